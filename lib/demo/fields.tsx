/**
 * The labelled form fields of the demos' settings: a choice among options, a number, and a slider
 * that shows its value. Each hands the island a typed value, never an event. Beside the diffusion
 * step's slider, the readout of that step's β.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import type { Schedule } from "../../engine/schedule.ts";
import { formatPrecision } from "./format.ts";

/** Props every field shares. */
interface FieldProps {
  /** The label's text (before the control). */
  label: ComponentChildren;
  /** The control's `data-testid`. */
  testid: string;
  disabled?: boolean;
}

const valueOf = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;

/**
 * A select among `options` ([value, text] pairs); hands on the chosen option's value.
 *
 * @example
 * ```tsx
 * import { renderToString } from "preact-render-to-string";
 * import { Choice } from "./fields.tsx";
 * const html = renderToString(
 *   <Choice label="Sampler" testid="s" value="ddim" options={[["ddpm", "DDPM"], ["ddim", "DDIM"]]} onValue={() => {}} />,
 * );
 * if (!html.includes('<option selected value="ddim">DDIM</option>')) throw new Error(html);
 * ```
 */
export function Choice<V extends string | number>(
  props: FieldProps & {
    value: V;
    options: readonly (readonly [V, string])[];
    onValue(value: V): void;
  },
) {
  return (
    <label>
      {props.label}
      <select
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => {
          const chosen = props.options.find(([v]) => String(v) === valueOf(e));
          if (chosen) props.onValue(chosen[0]);
        }}
        data-testid={props.testid}
      >
        {props.options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </label>
  );
}

/** A number input; hands on each change that is a number of at least `min`. */
export function NumberField(
  props: FieldProps & {
    value: number;
    min: number;
    max?: number;
    step: number | "any";
    onValue(value: number): void;
  },
) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => {
          const n = Number(valueOf(e));
          if (n >= props.min) props.onValue(n);
        }}
        data-testid={props.testid}
      />
    </label>
  );
}

/** A range slider with its value shown beside the label (`shown`, default the value). */
export function Slider(
  props: FieldProps & {
    value: number;
    shown?: string;
    min: number;
    max: number;
    step: number;
    onValue(value: number): void;
  },
) {
  return (
    <label>
      {props.label}{" "}
      <output data-testid={`${props.testid}-value`}>{props.shown ?? props.value}</output>
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        disabled={props.disabled}
        onInput={(e) => props.onValue(Number(valueOf(e)))}
        data-testid={props.testid}
      />
    </label>
  );
}

/** DDIM's η from 0 (deterministic) to 1 (as much noise as DDPM), as every demo offers it. */
export function EtaSlider(
  props: { value: number; disabled?: boolean; onValue(eta: number): void },
) {
  return (
    <Slider
      label="DDIM η"
      testid="eta"
      min={0}
      max={1}
      step={0.1}
      shown={props.value.toFixed(1)}
      {...props}
    />
  );
}

/**
 * The diffusion step t, from `min` (default 0) to T, shown as "Step t = 3 of 10".
 *
 * @example
 * ```tsx
 * import { renderToString } from "preact-render-to-string";
 * import { StepSlider } from "./fields.tsx";
 * const html = renderToString(<StepSlider t={3} T={10} onValue={() => {}} />);
 * if (!html.includes('<output data-testid="step">3</output> of 10')) throw new Error(html);
 * ```
 */
export function StepSlider(
  props: { t: number; T: number; min?: number; onValue(t: number): void },
) {
  return (
    <label>
      <span>
        Step t = <output data-testid="step">{props.t}</output> of {props.T}
      </span>
      <input
        type="range"
        min={props.min ?? 0}
        max={props.T}
        step={1}
        value={props.t}
        onInput={(e) => props.onValue(Number(valueOf(e)))}
        aria-label="Diffusion step t"
        data-testid="t-slider"
      />
    </label>
  );
}

/**
 * The readout row of β<sub>t</sub>, the variance added at the step the slider shows ("–" at t = 0,
 * where no step was taken yet), beside a {@link StepSlider}: the schedule select names the family,
 * this row shows its values as the reader scrubs.
 *
 * @example
 * ```tsx
 * import { renderToString } from "preact-render-to-string";
 * import { scheduleFromBetas } from "../../engine/schedule.ts";
 * import { StepBeta } from "./fields.tsx";
 * const schedule = scheduleFromBetas([0.5, 0.25]);
 * const html = renderToString(<StepBeta schedule={schedule} t={2} />);
 * if (!html.includes('<dd data-testid="beta">0.250</dd>')) throw new Error(html);
 * ```
 */
export function StepBeta(props: { schedule: Schedule; t: number }) {
  return (
    <div>
      <dt>
        β<sub>t</sub>
      </dt>
      <dd data-testid="beta">
        {props.t === 0 ? "–" : formatPrecision(props.schedule.betas[props.t], 3)}
      </dd>
    </div>
  );
}
