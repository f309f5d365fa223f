import { useEffect, useRef, useState } from "preact/hooks";
import { createTrainClient, type TrainClient, type WorkerLike } from "../lib/demo/client.ts";
import {
  configFromQuery,
  configToQuery,
  DATASETS,
  DEFAULT_CONFIG,
  MMD2_THRESHOLD,
  sameTraining,
  type TrainConfig,
} from "../lib/demo/config.ts";
import { drawLoss, drawSamples, paletteOf } from "../lib/demo/draw.ts";
import { formatElapsed, formatLoss, formatMmd2, isGoodMmd2 } from "../lib/demo/format.ts";
import type { BackendPreference, FromWorker } from "../lib/demo/protocol.ts";

interface Props {
  /** The data set the chapter starts with (a URL query overrides it). */
  dataset?: string;
  /** The schedule the chapter starts with. */
  schedule?: "linear" | "cosine";
  /** The training worker's module URL (ChapterView passes it: `needsWorker` in demos.ts). */
  workerUrl?: string;
  /** Folder URL of tfjs's `.wasm` files, with the site's base path (ChapterView passes it). */
  wasmPaths?: string;
  /** The default seed (site config `seeds`); `?seed=` in the URL still wins. */
  seed?: number;
}

type Status = "idle" | "starting" | "training" | "paused" | "done" | "diverged" | "error";

interface Readout {
  step: number;
  stepsPerSecond: number;
  elapsedMs: number;
  loss: number;
  numTensors: number;
  mmd2?: number;
  mmdStep?: number;
  backend?: string;
  reason?: string;
  baselineTensors?: number;
  message?: string;
}

const EMPTY: Readout = { step: 0, stepsPerSecond: 0, elapsedMs: 0, loss: NaN, numTensors: 0 };
const DATASET_LABELS: Record<string, string> = {
  swissroll: "Swiss roll",
  moons: "Two moons",
  ring: "8-Gaussian ring",
};

function initialConfig(props: Props): TrainConfig {
  const dataset = (DATASETS as readonly string[]).includes(props.dataset ?? "")
    ? props.dataset as TrainConfig["dataset"]
    : DEFAULT_CONFIG.dataset;
  return {
    ...DEFAULT_CONFIG,
    dataset,
    schedule: props.schedule ?? DEFAULT_CONFIG.schedule,
    seed: props.seed ?? DEFAULT_CONFIG.seed,
  };
}

/**
 * Train a small diffusion model in the reader's browser and watch samples emerge. The island is
 * thin: training, sampling and MMD^2 run in a Web Worker (`lib/demo/worker.ts`, which alone
 * imports tfjs and `engine/`); the island holds the settings (mirrored in the URL), the readouts,
 * and draws what the worker reports.
 */
export default function TrainAndSample(props: Props) {
  const [config, setConfig] = useState<TrainConfig>(() => initialConfig(props));
  const [status, setStatus] = useState<Status>("idle");
  const [readout, setReadout] = useState<Readout>(EMPTY);
  const [hiddenPause, setHiddenPause] = useState(false);
  const [notes, setNotes] = useState<string[]>([]);
  const [hydrated, setHydrated] = useState(false);
  const [firstLoss, setFirstLoss] = useState<number | undefined>(undefined);
  const client = useRef<TrainClient | null>(null);
  const losses = useRef({ steps: [] as number[], values: [] as number[] });
  const statusRef = useRef<Status>("idle");
  const backendPref = useRef<BackendPreference>("auto");
  const samplesCanvas = useRef<HTMLCanvasElement>(null);
  const lossCanvas = useRef<HTMLCanvasElement>(null);
  const configRef = useRef(config);
  configRef.current = config;

  const setStatusBoth = (s: Status) => {
    statusRef.current = s;
    setStatus(s);
  };

  const redrawLoss = () => {
    const c = lossCanvas.current;
    const ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    const { steps, values } = losses.current;
    drawLoss(ctx, steps, values, configRef.current.stepBudget, paletteOf(c));
  };

  const onReport = (r: FromWorker) => {
    switch (r.type) {
      case "backend":
        setReadout((o) => ({
          ...o,
          backend: r.backend,
          reason: r.reason,
          baselineTensors: r.baselineTensors,
        }));
        return;
      case "progress": {
        if (losses.current.steps.length === 0) setFirstLoss(r.loss);
        losses.current.steps.push(r.step);
        losses.current.values.push(r.loss);
        setReadout((o) => ({
          ...o,
          step: r.step,
          stepsPerSecond: r.stepsPerSecond,
          elapsedMs: r.elapsedMs,
          loss: r.loss,
          numTensors: r.numTensors,
        }));
        if (statusRef.current === "starting") setStatusBoth("training");
        redrawLoss();
        return;
      }
      case "samples": {
        if (Number.isFinite(r.mmd2)) setReadout((o) => ({ ...o, mmd2: r.mmd2, mmdStep: r.step }));
        const c = samplesCanvas.current;
        const ctx = c?.getContext("2d");
        if (c && ctx) {
          drawSamples(
            ctx,
            r.points,
            r.trajectories,
            r.trajectoryCount,
            r.trajectoryLength,
            paletteOf(c),
          );
        }
        return;
      }
      case "stopped":
        setReadout((o) => ({ ...o, step: r.step, message: r.message }));
        setStatusBoth(
          r.reason === "budget"
            ? "done"
            : r.reason === "diverged"
            ? "diverged"
            : r.reason === "error"
            ? "error"
            : "paused",
        );
        return;
      case "reset":
        setReadout((o) => ({
          ...EMPTY,
          backend: o.backend,
          reason: o.reason,
          baselineTensors: r.baselineTensors,
          numTensors: r.numTensors,
          message: `Reset: ${r.numTensors} tensors held (baseline ${r.baselineTensors}).`,
        }));
        setStatusBoth("idle");
        return;
      case "error":
        setReadout((o) => ({ ...o, message: r.message }));
        setStatusBoth("error");
        return;
    }
  };

  // After hydration: read the URL (a copied URL reproduces the run), set up the worker client,
  // and pause when the tab is hidden.
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const { config: fromUrl, ignored } = configFromQuery(params, initialConfig(props));
    setConfig(fromUrl);
    configRef.current = fromUrl;
    setNotes(ignored);
    const b = params.get("backend");
    if (b === "webgl" || b === "wasm" || b === "cpu") backendPref.current = b;
    if (props.workerUrl) {
      const url = props.workerUrl;
      client.current = createTrainClient(
        () => new Worker(url, { type: "module" }) as unknown as WorkerLike,
        onReport,
        props.wasmPaths,
      );
    }
    const onVisibility = () => {
      if (document.hidden && statusRef.current === "training") {
        client.current?.pause();
        setHiddenPause(true);
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    redrawLoss();
    setHydrated(true);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      client.current?.terminate();
    };
  }, []);

  const train = () => {
    const c = client.current;
    if (!c) return;
    setHiddenPause(false);
    if (status === "paused") {
      setReadout((o) => ({ ...o, message: undefined }));
      c.resume();
      setStatusBoth("training");
      return;
    }
    losses.current = { steps: [], values: [] };
    setFirstLoss(undefined);
    setReadout((o) => ({ ...EMPTY, backend: o.backend, reason: o.reason }));
    c.start(config, backendPref.current);
    setStatusBoth("starting");
  };
  const pause = () => {
    client.current?.pause();
    setHiddenPause(false);
  };
  const reset = () => {
    losses.current = { steps: [], values: [] };
    redrawLoss();
    const ctx = samplesCanvas.current?.getContext("2d");
    ctx?.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    setHiddenPause(false);
    if (client.current?.started) client.current.reset();
    else setReadout(EMPTY);
  };

  /** Applies a settings change: URL, and a reset when the change needs a new model. */
  const update = (patch: Partial<TrainConfig>) => {
    const next = { ...config, ...patch };
    next.samplerSteps = Math.min(next.samplerSteps, next.T);
    setConfig(next);
    configRef.current = next;
    const params = configToQuery(next, new URLSearchParams(location.search));
    history.replaceState(null, "", `${location.pathname}?${params}${location.hash}`);
    if (!sameTraining(config, next)) {
      if (status !== "idle") reset();
    } else if (status !== "idle") client.current?.sampler(next);
  };

  const running = status === "training" || status === "starting";
  const canTrain = !!props.workerUrl && !running;
  const num = (e: Event) => Number((e.target as HTMLInputElement).value);
  const str = (e: Event) => (e.target as HTMLSelectElement).value;
  const mmdGood = readout.mmd2 !== undefined && isGoodMmd2(readout.mmd2);

  return (
    <div
      class="train-sample"
      data-status={status}
      data-hydrated={hydrated ? "true" : undefined}
      data-first-loss={firstLoss}
    >
      <p class="demo-caption">
        Press <strong>Train</strong>{" "}
        to fit a small denoising network to the data set, here in your browser. Every second the
        model draws fresh samples from pure noise; the orange lines follow a few of them from x<sub>
          T
        </sub>{" "}
        to x<sub>0</sub>.
      </p>
      <div class="ts-buttons" role="group" aria-label="Training">
        <button type="button" onClick={train} disabled={!canTrain} data-testid="train">
          {status === "paused" ? "Resume" : "Train"}
        </button>
        <button type="button" onClick={pause} disabled={!running} data-testid="pause">
          Pause
        </button>
        <button type="button" onClick={reset} data-testid="reset">
          Reset
        </button>
      </div>
      <div class="ts-progress">
        <progress
          max={config.stepBudget}
          value={readout.step}
          aria-label="Training progress"
          data-testid="progress"
        />
        <span>
          step <output data-testid="step">{readout.step}</output> / {config.stepBudget}
        </span>
      </div>
      <div class="ts-plots">
        <canvas
          ref={samplesCanvas}
          class="ts-samples"
          width={360}
          height={360}
          role="img"
          aria-label={`Samples from the model at step ${readout.mmdStep ?? 0}`}
        />
        <div class="ts-side">
          <canvas
            ref={lossCanvas}
            class="ts-loss"
            width={360}
            height={150}
            role="img"
            aria-label="Training loss against step, log scale"
          />
          <dl class="readout ts-readout" aria-live="off">
            <dt>steps/s</dt>
            <dd data-testid="steps-per-second">{readout.stepsPerSecond.toFixed(1)}</dd>
            <dt>elapsed</dt>
            <dd data-testid="elapsed">{formatElapsed(readout.elapsedMs)}</dd>
            <dt>loss</dt>
            <dd data-testid="loss">{formatLoss(readout.loss)}</dd>
            <dt>samples</dt>
            <dd>
              <span data-testid="mmd2" class={mmdGood ? "ts-good" : undefined}>
                MMD² {readout.mmd2 === undefined ? "–" : formatMmd2(readout.mmd2)}
              </span>{" "}
              <span class="ts-muted">
                (good below {MMD2_THRESHOLD.toExponential(0)}
                {readout.mmdStep !== undefined ? `; at step ${readout.mmdStep}` : ""})
              </span>
            </dd>
            <dt>backend</dt>
            <dd data-testid="backend">
              {readout.backend ?? "not started"}
              {readout.reason && <span class="ts-muted">{` — ${readout.reason}`}</span>}
            </dd>
            <dt>tensors</dt>
            <dd data-testid="tensors">{readout.numTensors}</dd>
          </dl>
        </div>
      </div>
      <p class="ts-message" role="status" data-testid="message">
        {!props.workerUrl
          ? "Training is unavailable here: the page did not provide the worker."
          : hiddenPause
          ? "Paused because the tab was hidden; press Resume to go on."
          : status === "diverged"
          ? `Training stopped: ${readout.message}`
          : readout.message ?? ""}
      </p>
      {notes.length > 0 && <p class="ts-muted">Ignored in the URL: {notes.join("; ")}</p>}
      <fieldset class="controls ts-controls" disabled={running}>
        <legend>Model and training (changing one resets the run)</legend>
        <label>
          Data set
          <select
            value={config.dataset}
            onChange={(e) => update({ dataset: str(e) as TrainConfig["dataset"] })}
            data-testid="dataset"
          >
            {DATASETS.map((d) => <option key={d} value={d}>{DATASET_LABELS[d]}</option>)}
          </select>
        </label>
        <label>
          Schedule
          <select
            value={config.schedule}
            onChange={(e) => update({ schedule: str(e) as TrainConfig["schedule"] })}
            data-testid="schedule"
          >
            <option value="linear">linear (β 1e-3 … 0.2)</option>
            <option value="cosine">cosine</option>
          </select>
        </label>
        <label>
          Steps T
          <input
            type="number"
            min={10}
            max={1000}
            step={10}
            value={config.T}
            onChange={(e) => num(e) >= 10 && num(e) <= 1000 && update({ T: Math.round(num(e)) })}
            data-testid="T"
          />
        </label>
        <label>
          Network predicts
          <select
            value={config.parameterisation}
            onChange={(e) =>
              update({ parameterisation: str(e) as TrainConfig["parameterisation"] })}
            data-testid="param"
          >
            <option value="eps">the noise ε</option>
            <option value="x0">the clean point x₀</option>
            <option value="score">the score ∇ log p</option>
          </select>
        </label>
        <label>
          Learning rate
          <input
            type="number"
            min={1e-6}
            step="any"
            value={config.lr}
            onChange={(e) => num(e) > 0 && update({ lr: num(e) })}
            data-testid="lr"
          />
        </label>
        <label>
          Seed
          <input
            type="number"
            min={0}
            step={1}
            value={config.seed}
            onChange={(e) => num(e) >= 0 && update({ seed: Math.round(num(e)) })}
            data-testid="seed"
          />
        </label>
      </fieldset>
      <fieldset class="controls ts-controls">
        <legend>Sampler (applies to the next samples)</legend>
        <label>
          Sampler
          <select
            value={config.sampler}
            onChange={(e) => update({ sampler: str(e) as TrainConfig["sampler"] })}
            data-testid="sampler"
          >
            <option value="ddpm">DDPM (T steps, stochastic)</option>
            <option value="ddim">DDIM</option>
          </select>
        </label>
        <label>
          DDIM steps
          <input
            type="number"
            min={2}
            max={config.T}
            step={1}
            value={config.samplerSteps}
            disabled={config.sampler !== "ddim"}
            onChange={(e) =>
              num(e) >= 2 && update({ samplerSteps: Math.min(Math.round(num(e)), config.T) })}
            data-testid="sampler-steps"
          />
        </label>
        <label>
          DDIM η <output>{config.eta.toFixed(1)}</output>
          <input
            type="range"
            min={0}
            max={1}
            step={0.1}
            value={config.eta}
            disabled={config.sampler !== "ddim"}
            onInput={(e) => update({ eta: num(e) })}
            data-testid="eta"
          />
        </label>
      </fieldset>
    </div>
  );
}
