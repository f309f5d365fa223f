import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { createRng } from "../engine/rng.ts";
import { cosineSchedule, linearSchedule, type Schedule, snr } from "../engine/schedule.ts";
import { forwardSample } from "../engine/forward.ts";
import { datasetByName } from "../engine/datasets.ts";
import { type DatasetName, ENGINE_DATASET, type ScheduleName } from "../lib/demo/config.ts";

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

  useEffect(() => {
    const c = canvas.current;
    if (c) draw(c, x0, xt, alphaBar);
  }, [x0, xt, alphaBar]);

  return (
    <div class="forward-chain">
      <p class="demo-caption">
        Drag the slider (or use the arrow keys) to run the forward process; switch the schedule to
        see how fast each one destroys the structure.
      </p>
      <canvas
        ref={canvas}
        width={360}
        height={360}
        role="img"
        aria-label={`Points at diffusion step ${t} of ${T}`}
      />
      <div class="controls">
        <label>
          Step <output data-testid="step">{t}</output> of {T}
          <input
            type="range"
            min={0}
            max={T}
            step={1}
            value={t}
            onInput={(e) => setT(Number((e.target as HTMLInputElement).value))}
            aria-label="Diffusion step t"
          />
        </label>
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
            <option value="linear">linear (1e-3 to 0.2)</option>
            <option value="cosine">cosine</option>
          </select>
        </label>
      </div>
      <dl class="readout">
        <div>
          <dt>
            ᾱ<sub>t</sub>
          </dt>
          <dd data-testid="alpha-bar">{alphaBar.toPrecision(4)}</dd>
        </div>
        <div>
          <dt>signal-to-noise ᾱ/(1−ᾱ)</dt>
          <dd data-testid="snr">{Number.isFinite(ratio) ? ratio.toPrecision(3) : "∞"}</dd>
        </div>
      </dl>
    </div>
  );
}

function draw(c: HTMLCanvasElement, x0: Float64Array, xt: Float64Array, alphaBar: number) {
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
  // One standard deviation of q(x_t | x_0) around three tracked points.
  ctx.globalAlpha = 1;
  ctx.strokeStyle = accent;
  ctx.fillStyle = accent;
  const radius = (Math.sqrt(1 - alphaBar) / (2 * VIEW)) * size;
  for (const i of [0, 500, 1000]) {
    const cx = toPx(Math.sqrt(alphaBar) * x0[2 * i]);
    const cy = size - toPx(Math.sqrt(alphaBar) * x0[2 * i + 1]);
    ctx.beginPath();
    ctx.arc(cx, cy, Math.max(radius, 1), 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillRect(toPx(xt[2 * i]) - 2.5, size - toPx(xt[2 * i + 1]) - 2.5, 5, 5);
  }
}
