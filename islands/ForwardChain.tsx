import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { createRng } from "../engine/rng.ts";
import { cosineSchedule, linearSchedule, type Schedule, snr } from "../engine/schedule.ts";
import { forwardSample } from "../engine/forward.ts";
import { datasetByName } from "../engine/datasets.ts";
import { type DatasetName, ENGINE_DATASET, type ScheduleName } from "../lib/demo/config.ts";
import { StepBeta, StepSlider } from "../lib/demo/fields.tsx";
import { formatPrecision, formatShort, formatSigned } from "../lib/demo/format.ts";

interface Props {
  dataset?: DatasetName | "mixture";
  schedule?: ScheduleName;
}

const N = 1500; // points drawn
const T = 100; // diffusion steps
const VIEW = 3.2; // the canvas shows [-VIEW, VIEW]^2 in standardised units

function makeSchedule(name: ScheduleName): Schedule {
  return name === "cosine" ? cosineSchedule(T) : linearSchedule(T);
}

/**
 * A 2-D data set diffusing forward: drag the time slider and watch
 * x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps (`eq:forward-marginal`) turn data into noise.
 * The rings around three highlighted points show one standard deviation of q(x_t | x_0).
 */
export default function ForwardChain(props: Props) {
  const [datasetName, setDatasetName] = useState<DatasetName>(
    props.dataset === "moons" || props.dataset === "ring" ? props.dataset : "swissroll",
  );
  const [scheduleName, setScheduleName] = useState<ScheduleName>(props.schedule ?? "linear");
  const [t, setT] = useState(0);
  const [overlay, setOverlay] = useState(true);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const canvas = useRef<HTMLCanvasElement>(null);

  const schedule = useMemo(() => makeSchedule(scheduleName), [scheduleName]);
  const x0 = useMemo(() => datasetByName(ENGINE_DATASET[datasetName])(N, createRng(1)), [
    datasetName,
  ]);
  const xt = useMemo(() => {
    if (t === 0) return x0;
    const eps = new Float64Array(x0.length);
    const rng = createRng(2);
    for (let i = 0; i < eps.length; i++) eps[i] = rng.normal(); // the same noise at every t
    return forwardSample(schedule, x0, t, rng, eps).xt;
  }, [x0, schedule, t]);

  const alphaBar = schedule.alphaBars[t];
  const ratio = t === 0 ? Infinity : snr(schedule, t);

  const curves = useMemo(() => scheduleCurves(schedule), [schedule]);

  useEffect(() => {
    const c = canvas.current;
    if (c) draw(c, x0, xt, alphaBar, overlay);
  }, [x0, xt, alphaBar, overlay]);

  return (
    <div class="forward-chain" data-hydrated={hydrated}>
      <p class="demo-caption">
        Drag the slider (or use the arrow keys) to run the forward process; switch the schedule to
        see how fast each one destroys the structure. The rings are 1 and 2 standard deviations of
        the closed-form q(x<sub>t</sub> | x<sub>0</sub>) for three marked points.
      </p>
      <canvas
        ref={canvas}
        width={360}
        height={360}
        role="img"
        aria-label={`Points at diffusion step ${t} of ${T}`}
      />
      <div class="fc-plots">
        <MiniPlot
          title="ᾱₜ"
          ys={curves.alphaBar}
          lo={0}
          hi={1}
          t={t}
          label={`alpha bar over t, now ${formatPrecision(alphaBar, 3)} at t = ${t}`}
        />
        <MiniPlot
          title="log₁₀ SNRₜ"
          ys={curves.logSnr}
          lo={curves.logSnrRange[0]}
          hi={curves.logSnrRange[1]}
          t={t}
          label={`log base 10 of the signal-to-noise ratio over t, now ${
            Number.isFinite(ratio) ? formatSigned(Math.log10(ratio), 2) : "infinite"
          } at t = ${t}`}
        />
      </div>
      <div class="controls">
        <StepSlider t={t} T={T} onValue={setT} />
        <label>
          Data{" "}
          <select
            value={datasetName}
            onChange={(e) => setDatasetName((e.target as HTMLSelectElement).value as DatasetName)}
          >
            <option value="swissroll">swiss roll</option>
            <option value="moons">two moons</option>
            <option value="ring">8-Gaussian ring</option>
          </select>
        </label>
        <label>
          Schedule{" "}
          <select
            value={scheduleName}
            onChange={(e) => setScheduleName((e.target as HTMLSelectElement).value as ScheduleName)}
          >
            <option value="linear">linear</option>
            <option value="cosine">cosine</option>
          </select>
        </label>
        <label class="fc-toggle">
          <span>
            <input
              type="checkbox"
              checked={overlay}
              onChange={(e) => setOverlay((e.target as HTMLInputElement).checked)}
            />{" "}
            show q(x<sub>t</sub> | x<sub>0</sub>) rings
          </span>
        </label>
      </div>
      <dl class="readout">
        <StepBeta schedule={schedule} t={t} />
        <div>
          <dt>
            ᾱ<sub>t</sub>
          </dt>
          <dd data-testid="alpha-bar">{formatPrecision(alphaBar, 4)}</dd>
        </div>
        <div>
          <dt>signal-to-noise ᾱ/(1−ᾱ)</dt>
          <dd data-testid="snr">{Number.isFinite(ratio) ? formatPrecision(ratio, 3) : "∞"}</dd>
        </div>
        <div>
          <dt>
            mean scale √ᾱ<sub>t</sub>
          </dt>
          <dd data-testid="mean-scale">{formatPrecision(Math.sqrt(alphaBar), 4)}</dd>
        </div>
        <div>
          <dt>
            noise sd √(1−ᾱ<sub>t</sub>)
          </dt>
          <dd data-testid="noise-sd">{formatPrecision(Math.sqrt(1 - alphaBar), 4)}</dd>
        </div>
      </dl>
    </div>
  );
}

/** alphaBar_t for t = 0..T, and log10 SNR_t for t = 1..T (NaN at t = 0, where it is infinite). */
function scheduleCurves(schedule: Schedule) {
  const alphaBar = Float64Array.from(schedule.alphaBars); // [T+1]
  const logSnr = Float64Array.from(
    { length: schedule.T + 1 },
    (_, t) => (t === 0 ? NaN : Math.log10(snr(schedule, t))), // [T+1]
  );
  let lo = Infinity, hi = -Infinity;
  for (const v of logSnr) {
    if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  }
  return { alphaBar, logSnr, logSnrRange: [Math.floor(lo), Math.ceil(hi)] as [number, number] };
}

const PW = 220, PH = 90, PL = 30, PB = 4; // mini plot geometry (viewBox units)

/** A small line plot of a per-step curve over t = 0..T with a marker at the current t. */
function MiniPlot(
  { title, ys, lo, hi, t, label }: {
    title: string;
    ys: Float64Array;
    lo: number;
    hi: number;
    t: number;
    label: string;
  },
) {
  const T = ys.length - 1;
  const toX = (s: number) => PL + (s / T) * (PW - PL - 4);
  const toY = (v: number) =>
    4 + (1 - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * (PH - 8 - PB);
  let d = "";
  ys.forEach((v, s) => {
    if (Number.isFinite(v)) d += `${d ? "L" : "M"}${toX(s).toFixed(1)} ${toY(v).toFixed(1)}`;
  });
  const now = Number.isFinite(ys[t]) ? ys[t] : hi;
  return (
    <figure class="fc-plot">
      <svg viewBox={`0 0 ${PW} ${PH}`} role="img" aria-label={label}>
        <line class="pe-axis" x1={PL} x2={PL} y1={4} y2={PH - PB - 4} />
        <text class="fc-plot-label" x={PL - 4} y={12} text-anchor="end">{formatShort(hi)}</text>
        <text class="fc-plot-label" x={PL - 4} y={PH - PB - 4} text-anchor="end">
          {formatShort(lo)}
        </text>
        <line class="fc-now" x1={toX(t)} x2={toX(t)} y1={4} y2={PH - PB - 4} />
        <path class="fc-curve" d={d} />
        <circle class="fc-marker" cx={toX(t)} cy={toY(now)} r={4} />
      </svg>
      <figcaption>{title} over t</figcaption>
    </figure>
  );
}

function draw(
  c: HTMLCanvasElement,
  x0: Float64Array,
  xt: Float64Array,
  alphaBar: number,
  overlay: boolean,
) {
  const ctx = c.getContext("2d");
  if (!ctx) return;
  const dpr = globalThis.devicePixelRatio ?? 1;
  const size = c.clientWidth || 360;
  if (c.width !== Math.round(size * dpr)) {
    c.width = Math.round(size * dpr);
    c.height = Math.round(size * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const style = getComputedStyle(c);
  const ink = style.getPropertyValue("--ink").trim() || "#222";
  const accent = style.getPropertyValue("--accent").trim() || "#c2410c";
  const toPx = (v: number) => ((v + VIEW) / (2 * VIEW)) * size;
  ctx.clearRect(0, 0, size, size);
  ctx.globalAlpha = 0.55;
  ctx.fillStyle = ink;
  for (let i = 0; i < xt.length; i += 2) {
    ctx.fillRect(toPx(xt[i]) - 1, size - toPx(xt[i + 1]) - 1, 2, 2);
  }
  // One and two standard deviations of q(x_t | x_0) (`eq:forward-marginal`) around three points.
  if (!overlay) return;
  ctx.globalAlpha = 1;
  ctx.strokeStyle = accent;
  ctx.fillStyle = accent;
  const radius = (Math.sqrt(1 - alphaBar) / (2 * VIEW)) * size;
  for (const i of [0, 500, 1000]) {
    const cx = toPx(Math.sqrt(alphaBar) * x0[2 * i]);
    const cy = size - toPx(Math.sqrt(alphaBar) * x0[2 * i + 1]);
    for (const k of [1, 2]) {
      ctx.globalAlpha = k === 1 ? 1 : 0.5;
      ctx.beginPath();
      ctx.arc(cx, cy, Math.max(k * radius, 1), 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    ctx.fillRect(toPx(xt[2 * i]) - 2.5, size - toPx(xt[2 * i + 1]) - 2.5, 5, 5);
  }
}
