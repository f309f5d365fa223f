import { useEffect, useMemo, useState } from "preact/hooks";
import { gaussianGap } from "../engine/gaussian_gap.ts";
import { gaussianLogPdf } from "../engine/gaussian.ts";
import { mixtureLogPdf, reverseKernel } from "../engine/mixture.ts";
import { threeBumps } from "../engine/mixture_1d.ts";
import { posteriorLogPdf } from "../engine/posterior.ts";
import { uniformGrid } from "../engine/quadrature.ts";
import { reverseIdentityResidual } from "../engine/reverse_average.ts";
import { scheduleWithSteps, type StepScheduleName } from "../engine/schedule_steps.ts";
import { StepBeta, StepSlider } from "../lib/demo/fields.tsx";
import {
  formatExponential,
  formatPrecision,
  formatShort,
  formatSigned,
} from "../lib/demo/format.ts";

interface Props {
  /** The schedule family the chapter starts with. */
  schedule?: StepScheduleName;
}

/** The step counts offered: few large steps to many small ones (beta_t scales like 1 / T). */
const STEP_COUNTS = [5, 10, 20, 50, 100, 200, 1000];
const GRID = 241; // points on the x_{t-1} axis
const W = 600, H = 230, PAD = 6, AXIS = 22; // SVG geometry (viewBox units)
const X0S = threeBumps.means.map((mu) => mu[0]); // the x_0 of the thin curves: the bumps' centres

/**
 * Chapter 1's reverse step, exactly: for the three-bump data set, the exact q(x_{t-1} | x_t)
 * (`eq:mixture-reverse-kernel`), its moment-matched Gaussian, and q(x_{t-1} | x_t, x_0) for three
 * x_0. The readouts give the distance between the exact step and its Gaussian fit and check
 * `eq:reverse-as-expectation` on the plotted grid. All the math comes from `engine/`.
 */
export default function PosteriorExplorer(props: Props) {
  const [scheduleName, setScheduleName] = useState<StepScheduleName>(
    props.schedule === "cosine" ? "cosine" : "linear",
  );
  const [stepIndex, setStepIndex] = useState(1); // T = 10
  const [t, setT] = useState(2);
  const [xt, setXt] = useState(-1);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const T = STEP_COUNTS[stepIndex];
  const schedule = useMemo(() => scheduleWithSteps(scheduleName, T), [scheduleName, T]);

  const view = useMemo(() => {
    const kernel = reverseKernel(threeBumps, schedule, t, xt); // q(x_{t-1} | x_t), a mixture
    const gap = gaussianGap(kernel);
    const sd = Math.sqrt(gap.variance);
    const xs = uniformGrid(gap.mean - 4.5 * sd, gap.mean + 4.5 * sd, GRID); // [GRID]
    const exact = xs.map((x) => Math.exp(mixtureLogPdf(kernel, x))); // [GRID]
    const fit = xs.map((x) => Math.exp(gaussianLogPdf(x, gap.mean, gap.variance))); // [GRID]
    const conditioned = X0S.map((x0) =>
      xs.map((x) => Math.exp(posteriorLogPdf(schedule, x, xt, x0, t))) // q(x_{t-1} | x_t, x_0)
    );
    const residual = reverseIdentityResidual(threeBumps, schedule, t, xt, xs);
    return { xs, exact, fit, conditioned, gap, residual, weights: kernel.weights };
  }, [schedule, t, xt]);

  const setSteps = (index: number) => {
    const next = STEP_COUNTS[index];
    setT((old) => Math.min(next, Math.max(2, Math.round((old * next) / T)))); // keep t / T
    setStepIndex(index);
  };

  const yMax = 1.1 * Math.max(...view.exact, ...view.fit);
  const toX = (x: number) =>
    PAD + ((x - view.xs[0]) / (view.xs[GRID - 1] - view.xs[0])) * (W - 2 * PAD);
  const toY = (y: number) => H - AXIS - Math.min(y / yMax, 1.05) * (H - AXIS - PAD);
  const path = (ys: Float64Array) =>
    Array.from(ys, (y, i) => `${i ? "L" : "M"}${toX(view.xs[i]).toFixed(1)} ${toY(y).toFixed(1)}`)
      .join("");
  const ticks = niceTicks(view.xs[0], view.xs[GRID - 1]);
  const kl = Math.max(0, view.gap.kl);

  return (
    <div class="posterior-explorer" data-hydrated={hydrated}>
      <p class="demo-caption">
        Drag the number of steps T from 5 to 1000 (arrow keys work): the solid exact reverse step
        and its dashed Gaussian fit merge, and the distance below falls towards zero.
      </p>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Reverse step at t = ${t} of ${T} given x sub t = ${
          formatSigned(xt, 2)
        }: total variation to its Gaussian fit ${formatPrecision(view.gap.totalVariation, 2)}`}
      >
        <line class="pe-axis" x1={PAD} x2={W - PAD} y1={H - AXIS} y2={H - AXIS} />
        {ticks.map((v) => (
          <g key={v}>
            <line class="pe-axis" x1={toX(v)} x2={toX(v)} y1={H - AXIS} y2={H - AXIS + 4} />
            <text class="pe-tick" x={toX(v)} y={H - 6} text-anchor="middle">{formatShort(v)}</text>
          </g>
        ))}
        {view.conditioned.map((ys, k) => <path key={k} class="pe-conditioned" d={path(ys)} />)}
        <path class="pe-fit" d={path(view.fit)} />
        <path class="pe-exact" d={path(view.exact)} />
      </svg>
      <p class="pe-legend">
        <span class="pe-key pe-key-exact" /> exact q(x<sub>t−1</sub> | x<sub>t</sub>){" "}
        <span class="pe-key pe-key-fit" /> best Gaussian (same mean and variance){" "}
        <span class="pe-key pe-key-conditioned" /> q(x<sub>t−1</sub> | x<sub>t</sub>, x<sub>0</sub>)
        {" "}
        <span class="pe-nowrap">
          for x<sub>0</sub> = {X0S.map((x0) => formatShort(x0)).join(", ")}
        </span>
      </p>
      <div class="controls">
        <label>
          <span>
            Steps T = <output data-testid="steps">{T}</output> (β<sub>t</sub> ∝ 1/T)
          </span>
          <input
            type="range"
            min={0}
            max={STEP_COUNTS.length - 1}
            step={1}
            value={stepIndex}
            onInput={(e) => setSteps(Number((e.target as HTMLInputElement).value))}
            aria-label="Number of steps T"
            aria-valuetext={`T = ${T}`}
            data-testid="steps-slider"
          />
        </label>
        <StepSlider t={t} T={T} min={2} onValue={setT} />
        <label>
          <span>
            x<sub>t</sub> = <output data-testid="xt">{formatSigned(xt, 2)}</output>
          </span>
          <input
            type="range"
            min={-3}
            max={3}
            step={0.05}
            value={xt}
            onInput={(e) => setXt(Number((e.target as HTMLInputElement).value))}
            aria-label="The noisy point x sub t"
            aria-valuetext={`x sub t = ${formatSigned(xt, 2)}`}
          />
        </label>
        <label>
          Schedule
          <select
            value={scheduleName}
            onChange={(e) =>
              setScheduleName((e.target as HTMLSelectElement).value as StepScheduleName)}
          >
            <option value="linear">linear (β from 0.1/T to 20/T)</option>
            <option value="cosine">cosine</option>
          </select>
        </label>
      </div>
      <dl class="readout">
        <StepBeta schedule={schedule} t={t} />
        <div>
          <dt>distance to Gaussian (total variation)</dt>
          <dd data-testid="tv">{formatExponential(view.gap.totalVariation, 2)}</dd>
        </div>
        <div>
          <dt>KL(exact ‖ Gaussian)</dt>
          <dd data-testid="kl">{formatExponential(kl, 2)} nats</dd>
        </div>
        <div>
          <dt>
            max |q(x<sub>t−1</sub>|x<sub>t</sub>) − E[q(x<sub>t−1</sub>|x<sub>t</sub>,x<sub>
              0
            </sub>)]|
          </dt>
          <dd data-testid="identity">{formatExponential(view.residual.absolute, 1)}</dd>
        </div>
      </dl>
    </div>
  );
}

/** About five round tick values inside [lo, hi]. */
function niceTicks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(Number(v.toPrecision(6)));
  return out;
}
