import { useEffect, useRef, useState } from "preact/hooks";
import {
  createTrainClient,
  probePageWebgl,
  type TrainClient,
  type WorkerLike,
} from "../lib/demo/client.ts";
import { createLineChart, type LineChart } from "../lib/demo/charts.ts";
import {
  configFromQuery,
  configToQuery,
  DEFAULT_CONFIG,
  isMixtureDataset,
  MMD2_THRESHOLD,
  oneOf,
  sameTraining,
  TRAIN_DATASETS,
  type TrainConfig,
} from "../lib/demo/config.ts";
import {
  drawDrawnPoints,
  drawField,
  drawSamples,
  fromPixel,
  paletteOf,
  smooth,
} from "../lib/demo/draw.ts";
import {
  decodePoints,
  encodePoints,
  heartPoints,
  MAX_DRAWN_POINTS,
  MIN_DRAWN_POINTS,
  POINTS_QUERY,
  snapPoint,
} from "../lib/demo/drawn.ts";
import { formatElapsed, formatLoss, formatMmd2, isGoodMmd2 } from "../lib/demo/format.ts";
import { getSavedRun, putSavedRun } from "../lib/demo/model_store.ts";
import { type BackendPreference, type FromWorker, statusAfterStop } from "../lib/demo/protocol.ts";
import {
  parseSavedRun,
  SAVED_RUN_FORMAT,
  type SavedRun,
  savedRunFileName,
} from "../lib/demo/saved_run.ts";
import { DRAWN_STD } from "../engine/toy_mixture.ts";

interface Props {
  /** The data set the chapter starts with (a URL query overrides it). */
  dataset?: string;
  /** The schedule the chapter starts with. */
  schedule?: "linear" | "cosine";
  /** The training worker's module URL (ChapterView passes it: `needsWorker` in demos.ts). */
  workerUrl?: string;
  /** Folder URL of tfjs's `.wasm` files, base path in front (DemoFigure passes it). */
  wasmPaths?: string;
  /** The default seed (site config `seeds`); `?seed=` in the URL still wins. */
  seed?: number;
}

type Status =
  | "idle"
  | "starting"
  | "loading"
  | "training"
  | "paused"
  | "done"
  | "diverged"
  | "error";

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

/** The latest ELBO report, for the readout. */
type ElboReadout = Extract<FromWorker, { type: "elbo" }>;

const EMPTY: Readout = { step: 0, stepsPerSecond: 0, elapsedMs: 0, loss: NaN, numTensors: 0 };
const DATASET_LABELS: Record<string, string> = {
  swissroll: "Swiss roll",
  moons: "Two moons",
  ring: "8-Gaussian ring",
  mixture: "Gaussian mixture (exact)",
  drawn: "Points you draw",
};
/** The IndexedDB slot of this demo's saved model. */
const STORE_KEY = "TrainAndSample";

function initialConfig(props: Props): TrainConfig {
  const dataset = oneOf(TRAIN_DATASETS, props.dataset, DEFAULT_CONFIG.dataset);
  return {
    ...DEFAULT_CONFIG,
    dataset,
    schedule: props.schedule ?? DEFAULT_CONFIG.schedule,
    seed: props.seed ?? DEFAULT_CONFIG.seed,
  };
}

/** Writes the settings (and the drawn points, for drawn data) into the page's URL. */
function writeUrl(config: TrainConfig, points: number[]): void {
  const params = configToQuery(config, new URLSearchParams(location.search));
  if (config.dataset === "drawn" && points.length > 0) {
    params.set(POINTS_QUERY, encodePoints(points));
  } else params.delete(POINTS_QUERY);
  history.replaceState(null, "", `${location.pathname}?${params}${location.hash}`);
}

/**
 * Train a small diffusion model in the reader's browser and watch samples emerge. The island is
 * thin: training, sampling, MMD^2, the ELBO and the score fields run in a Web Worker
 * (`lib/demo/worker.ts`, which alone imports tfjs and `engine/`); the island holds the settings
 * (mirrored in the URL, drawn points included), the readouts, the charts (uPlot, loaded with the
 * first chart) and draws what the worker reports.
 */
export default function TrainAndSample(props: Props) {
  const [config, setConfig] = useState<TrainConfig>(() => initialConfig(props));
  const [status, setStatus] = useState<Status>("idle");
  const [readout, setReadout] = useState<Readout>(EMPTY);
  const [hiddenPause, setHiddenPause] = useState(false);
  const [notes, setNotes] = useState<string[]>([]);
  const [hydrated, setHydrated] = useState(false);
  const [firstLoss, setFirstLoss] = useState<number | undefined>(undefined);
  const [points, setPoints] = useState<number[]>([]);
  const [elbo, setElbo] = useState<ElboReadout | undefined>(undefined);
  const [fieldT, setFieldT] = useState(10);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const client = useRef<TrainClient | null>(null);
  const losses = useRef({ steps: [] as number[], values: [] as number[] });
  const mmdHistory = useRef({ steps: [] as number[], values: [] as number[] });
  const statusRef = useRef<Status>("idle");
  const backendPref = useRef<BackendPreference>("auto");
  const samplesCanvas = useRef<HTMLCanvasElement>(null);
  const lossBox = useRef<HTMLDivElement>(null);
  const mmdBox = useRef<HTMLDivElement>(null);
  const learnedCanvas = useRef<HTMLCanvasElement>(null);
  const exactCanvas = useRef<HTMLCanvasElement>(null);
  const charts = useRef<{ loss?: LineChart; mmd?: LineChart; pending?: Promise<void> }>({});
  const pendingSave = useRef<"browser" | "file" | undefined>(undefined);
  const redrawTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latestProgress = useRef<Extract<FromWorker, { type: "progress" }> | undefined>(undefined);
  const drawing = useRef<{ active: boolean; last?: [number, number] }>({ active: false });
  const pointsRef = useRef(points);
  pointsRef.current = points;
  const configRef = useRef(config);
  configRef.current = config;

  const setStatusBoth = (s: Status) => {
    statusRef.current = s;
    setStatus(s);
  };

  /** Creates the worker client once (the worker itself starts with the first command). */
  const ensureClient = (probeNow: boolean): TrainClient | null => {
    if (client.current || !props.workerUrl) return client.current;
    const url = props.workerUrl;
    client.current = createTrainClient(
      () => new Worker(url, { type: "module" }) as unknown as WorkerLike,
      onReport,
      props.wasmPaths,
      probeNow ? probePageWebgl() : undefined,
    );
    return client.current;
  };

  /** Creates the charts once (uPlot's chunk loads when a chart nears the viewport or gets data). */
  const ensureCharts = () => {
    const c = charts.current;
    if (c.pending || !lossBox.current || !mmdBox.current) return;
    const [lossEl, mmdEl] = [lossBox.current, mmdBox.current];
    // One chart per task, so that neither blocks the page for long.
    c.pending = (async () => {
      const loss = await createLineChart(lossEl, {
        width: 360,
        height: 150,
        logY: true,
        xLabel: "step",
        yLabel: "loss",
        series: [
          { label: "loss", colour: "rule", width: 1 },
          { label: "smoothed", colour: "accent" },
        ],
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
      const mmd = await createLineChart(mmdEl, {
        width: 360,
        height: 150,
        logY: true,
        xLabel: "step",
        yLabel: "MMD²",
        series: [
          { label: "MMD²", colour: "ink", points: true },
          { label: "good below 2e-3", colour: "accent", dash: [4, 4], width: 1 },
        ],
      });
      c.loss = loss;
      c.mmd = mmd;
      scheduleRedraw();
    })().catch((error) => {
      setReadout((o) => ({ ...o, message: `Cannot draw the charts: ${error}` }));
    });
  };

  /** Redraws the charts at most four times a second (progress comes about eight times). */
  const scheduleRedraw = () => {
    if (redrawTimer.current !== undefined) return;
    redrawTimer.current = setTimeout(() => {
      redrawTimer.current = undefined;
      const r = latestProgress.current;
      latestProgress.current = undefined;
      if (r) {
        setReadout((o) => ({
          ...o,
          step: r.step,
          stepsPerSecond: r.stepsPerSecond,
          elapsedMs: r.elapsedMs,
          loss: r.loss,
          numTensors: r.numTensors,
        }));
      }
      redrawCharts();
    }, 250);
  };

  const redrawCharts = () => {
    const { steps, values } = losses.current;
    charts.current.loss?.setData(steps, [values, smooth(values, 0.9)]);
    const m = mmdHistory.current;
    charts.current.mmd?.setData(m.steps, [m.values, m.steps.map(() => MMD2_THRESHOLD)]);
  };

  const clearPictures = () => {
    losses.current = { steps: [], values: [] };
    mmdHistory.current = { steps: [], values: [] };
    redrawCharts();
    const ctx = samplesCanvas.current?.getContext("2d");
    ctx?.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    for (const c of [learnedCanvas.current, exactCanvas.current]) {
      c?.getContext("2d")?.clearRect(0, 0, c.width, c.height);
    }
    setElbo(undefined);
  };

  const finishSave = (r: Extract<FromWorker, { type: "model" }>) => {
    const how = pendingSave.current;
    pendingSave.current = undefined;
    const c = configRef.current;
    const run: SavedRun = {
      format: SAVED_RUN_FORMAT,
      config: c,
      ...(c.dataset === "drawn" ? { points: pointsRef.current } : {}),
      step: r.step,
      savedAt: new Date().toISOString(),
      model: r.model,
    };
    const text = JSON.stringify(run);
    if (how === "file") {
      const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = savedRunFileName(run);
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setReadout((o) => ({ ...o, message: `Exported the model at step ${r.step} as a file.` }));
      return;
    }
    putSavedRun(STORE_KEY, text).then(() => {
      setSaved(describeSaved(run));
      setReadout((o) => ({ ...o, message: `Saved the model at step ${r.step} in this browser.` }));
    }).catch((error) => setReadout((o) => ({ ...o, message: String(error) })));
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
        latestProgress.current = r; // shown with the next redraw, at most four times a second
        if (statusRef.current === "starting") setStatusBoth("training");
        ensureCharts();
        scheduleRedraw();
        return;
      }
      case "samples": {
        if (Number.isFinite(r.mmd2)) {
          setReadout((o) => ({ ...o, mmd2: r.mmd2, mmdStep: r.step }));
          mmdHistory.current.steps.push(r.step);
          mmdHistory.current.values.push(r.mmd2);
          ensureCharts();
          scheduleRedraw();
        }
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
      case "elbo":
        setElbo(r);
        return;
      case "field": {
        for (
          const [canvas, vectors] of [[learnedCanvas, r.learned], [exactCanvas, r.exact]] as const
        ) {
          const c = canvas.current;
          const ctx = c?.getContext("2d");
          if (!c || !ctx) continue;
          const palette = paletteOf(c);
          drawField(
            ctx,
            vectors,
            r.side,
            canvas === learnedCanvas ? palette.accent : palette.ink,
            palette,
          );
        }
        return;
      }
      case "model":
        finishSave(r);
        return;
      case "loaded":
        setReadout((o) => ({
          ...o,
          step: r.step,
          message: `Loaded a model saved at step ${r.step}; press Train to train a new one.`,
        }));
        setStatusBoth("done");
        return;
      case "stopped":
        latestProgress.current = undefined;
        setReadout((o) => ({ ...o, step: r.step, message: r.message }));
        setStatusBoth(statusAfterStop(r.reason));
        return;
      case "reset":
        latestProgress.current = undefined;
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
        pendingSave.current = undefined;
        setReadout((o) => ({ ...o, message: r.message }));
        if (statusRef.current !== "paused" && statusRef.current !== "done") setStatusBoth("error");
        return;
    }
  };

  // After hydration: read the URL (a copied URL reproduces the run), set up the worker client,
  // look for a saved model, and pause when the tab is hidden.
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const { config: fromUrl, ignored } = configFromQuery(params, initialConfig(props));
    setConfig(fromUrl);
    configRef.current = fromUrl;
    const pts = params.get(POINTS_QUERY);
    if (pts !== null) {
      try {
        setPoints(decodePoints(pts));
      } catch (error) {
        ignored.push((error as Error).message);
      }
    }
    setNotes(ignored);
    const b = params.get("backend");
    if (b === "webgl" || b === "wasm" || b === "cpu") backendPref.current = b;
    getSavedRun(STORE_KEY).then((text) => {
      if (text) setSaved(describeSaved(parseSavedRun(text)));
    }).catch(() => {}); // no IndexedDB (or nothing readable): no saved model to offer
    const onVisibility = () => {
      if (document.hidden && statusRef.current === "training") {
        client.current?.pause();
        setHiddenPause(true);
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    // The charts are set up when the page is idle after loading; uPlot's chunk loads, and they are
    // drawn, when their boxes come near the viewport (before Train can be pressed, as a rule), so
    // that building them rarely competes with training for the main thread.
    // The WebGL probe (a throwaway context) too, so that pressing Train only starts the worker.
    const whenIdle = () => {
      ensureClient(true);
      ensureCharts();
    };
    if ("requestIdleCallback" in window) requestIdleCallback(whenIdle, { timeout: 2000 });
    else setTimeout(whenIdle, 500);
    setHydrated(true);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      client.current?.terminate();
      charts.current.loss?.destroy();
      charts.current.mmd?.destroy();
    };
  }, []);

  // The drawn points show on the canvas until training draws samples over them.
  useEffect(() => {
    const c = samplesCanvas.current;
    const ctx = c?.getContext("2d");
    if (c && ctx && config.dataset === "drawn" && status === "idle") {
      drawDrawnPoints(ctx, points, DRAWN_STD, paletteOf(c));
    }
  }, [points, status, config.dataset, hydrated]);

  const train = () => {
    const c = ensureClient(false);
    if (!c) return;
    setHiddenPause(false);
    if (status === "paused") {
      setReadout((o) => ({ ...o, message: undefined }));
      c.resume();
      setStatusBoth("training");
      return;
    }
    clearPictures();
    setFirstLoss(undefined);
    setReadout((o) => ({ ...EMPTY, backend: o.backend, reason: o.reason }));
    c.start(config, backendPref.current, config.dataset === "drawn" ? points : undefined);
    setStatusBoth("starting");
  };
  const pause = () => {
    client.current?.pause();
    setHiddenPause(false);
  };
  const reset = () => {
    clearPictures();
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
    writeUrl(next, points);
    if (!sameTraining(config, next)) {
      if (status !== "idle") reset();
    } else if (status !== "idle") client.current?.sampler(next);
  };

  /** Replaces the drawn points (URL too); a trained model of the old points is reset. */
  const changePoints = (next: number[]) => {
    const capped = next.slice(0, 2 * MAX_DRAWN_POINTS);
    setPoints(capped);
    pointsRef.current = capped;
    writeUrl(configRef.current, capped);
    if (statusRef.current !== "idle") reset();
  };

  const canDraw = config.dataset === "drawn" && (status === "idle" || status === "error");
  const addAt = (e: PointerEvent) => {
    const c = samplesCanvas.current;
    if (!c) return;
    const box = c.getBoundingClientRect();
    const [x, y] = snapPoint(
      ...fromPixel(
        ((e.clientX - box.left) / box.width) * c.width,
        ((e.clientY - box.top) / box.height) * c.height,
        c.width,
      ),
    );
    const last = drawing.current.last;
    if (last && Math.hypot(x - last[0], y - last[1]) < 0.08) return; // spaced along a stroke
    drawing.current.last = [x, y];
    const next = [...pointsRef.current, x, y].slice(0, 2 * MAX_DRAWN_POINTS);
    pointsRef.current = next;
    setPoints(next);
  };
  const onPointerDown = (e: PointerEvent) => {
    if (!canDraw) return;
    drawing.current = { active: true };
    (e.currentTarget as HTMLCanvasElement).setPointerCapture?.(e.pointerId);
    addAt(e);
  };
  const onPointerMove = (e: PointerEvent) => {
    if (canDraw && drawing.current.active) addAt(e);
  };
  const onPointerUp = () => {
    if (!drawing.current.active) return;
    drawing.current = { active: false };
    writeUrl(configRef.current, pointsRef.current);
  };

  const loadText = (text: string) => {
    let run: SavedRun;
    try {
      run = parseSavedRun(text);
    } catch (error) {
      setReadout((o) => ({ ...o, message: (error as Error).message }));
      return;
    }
    setConfig(run.config);
    configRef.current = run.config;
    const pts = run.points ?? [];
    setPoints(pts);
    pointsRef.current = pts;
    writeUrl(run.config, pts);
    clearPictures();
    setReadout((o) => ({ ...EMPTY, backend: o.backend, reason: o.reason }));
    ensureClient(false)?.load(run, backendPref.current);
    setStatusBoth("loading");
  };
  const loadSaved = () => {
    getSavedRun(STORE_KEY).then((text) => text && loadText(text)).catch((error) =>
      setReadout((o) => ({ ...o, message: String(error) }))
    );
  };
  const importFile = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) file.text().then(loadText);
    input.value = "";
  };
  const save = (how: "browser" | "file") => {
    pendingSave.current = how;
    client.current?.save();
  };

  const running = status === "training" || status === "starting" || status === "loading";
  const tooFewPoints = config.dataset === "drawn" && points.length / 2 < MIN_DRAWN_POINTS;
  const canTrain = !!props.workerUrl && !running && !tooFewPoints;
  const hasModel = status === "paused" || status === "done";
  const mixture = isMixtureDataset(config.dataset);
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
        to x<sub>0</sub>. Choose “Points you draw” to train on your own drawing.
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
          class={canDraw ? "ts-samples ts-drawable" : "ts-samples"}
          width={360}
          height={360}
          role="img"
          aria-label={canDraw
            ? `Drawing area: ${points.length / 2} points drawn`
            : `Samples from the model at step ${readout.mmdStep ?? 0}`}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          data-testid="samples"
        />
        <div class="ts-side">
          <div
            ref={lossBox}
            class="ts-chart"
            role="img"
            aria-label="Training loss against step, log scale"
            data-testid="loss-chart"
          />
          <div
            ref={mmdBox}
            class="ts-chart"
            role="img"
            aria-label="MMD² of the samples against step, log scale, with the 2e-3 threshold"
            data-testid="mmd-chart"
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
            {mixture && (
              <>
                <dt>log-likelihood</dt>
                <dd data-testid="likelihood">
                  {elbo
                    ? (
                      <>
                        exact log q(x₀) <span data-testid="logq">{elbo.logQ.toFixed(3)}</span>
                        {" ≥ "}ELBO <span data-testid="elbo">{elbo.elbo.toFixed(3)}</span>
                        {"; gap "}
                        <span data-testid="gap">{elbo.gap.toFixed(3)}</span>{" "}
                        <span class="ts-muted">
                          nats per point, {elbo.n} points, step {elbo.step}
                        </span>
                      </>
                    )
                    : <span class="ts-muted">shown while training</span>}
                </dd>
              </>
            )}
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
      {config.dataset === "drawn" && (
        <div class="ts-buttons ts-draw" role="group" aria-label="Drawn points">
          <span class="ts-muted" data-testid="drawn-count">
            {points.length / 2} points drawn {canDraw ? "(drag on the picture; " : "("}
            they travel in the URL; each stands for a small Gaussian)
          </span>
          <button
            type="button"
            onClick={() =>
              changePoints([...points, ...heartPoints()])}
            disabled={running}
            data-testid="add-heart"
          >
            Add a heart
          </button>
          <button
            type="button"
            onClick={() =>
              changePoints([])}
            disabled={running || points.length === 0}
            data-testid="clear-points"
          >
            Clear points
          </button>
        </div>
      )}
      {mixture && (
        <div class="ts-fields" data-testid="fields">
          <label>
            Score field at t = <output>{Math.min(fieldT, config.T)}</output>
            <input
              type="range"
              min={1}
              max={config.T}
              step={1}
              value={Math.min(fieldT, config.T)}
              onInput={(e) => {
                setFieldT(num(e));
                client.current?.field(num(e));
              }}
              data-testid="field-t"
            />
          </label>
          <figure>
            <canvas
              ref={learnedCanvas}
              width={220}
              height={220}
              role="img"
              aria-label="Learned score field"
            />
            <figcaption>
              learned −ε<sub>θ</sub>/√(1−ᾱ<sub>t</sub>)
            </figcaption>
          </figure>
          <figure>
            <canvas
              ref={exactCanvas}
              width={220}
              height={220}
              role="img"
              aria-label="Exact score field"
            />
            <figcaption>
              exact ∇ log q(x<sub>t</sub>)
            </figcaption>
          </figure>
        </div>
      )}
      <div class="ts-buttons ts-store" role="group" aria-label="Saved models">
        <button
          type="button"
          onClick={() => save("browser")}
          disabled={!hasModel}
          data-testid="save"
        >
          Save in browser
        </button>
        <button
          type="button"
          onClick={loadSaved}
          disabled={!saved || running || !props.workerUrl}
          data-testid="load"
        >
          Load saved
        </button>
        <button
          type="button"
          onClick={() => save("file")}
          disabled={!hasModel}
          data-testid="export"
        >
          Export file
        </button>
        <label class="ts-file">
          Import file
          <input
            type="file"
            accept="application/json,.json"
            onChange={importFile}
            disabled={running || !props.workerUrl}
            data-testid="import"
          />
        </label>
        <span class="ts-muted" data-testid="saved">
          {saved ? `In this browser: ${saved}` : "Nothing saved in this browser yet."}
        </span>
      </div>
      <fieldset class="controls ts-controls" disabled={running}>
        <legend>Model and training (changing one resets the run)</legend>
        <label>
          Data set
          <select
            value={config.dataset}
            onChange={(e) => update({ dataset: str(e) as TrainConfig["dataset"] })}
            data-testid="dataset"
          >
            {TRAIN_DATASETS.map((d) => <option key={d} value={d}>{DATASET_LABELS[d]}</option>)}
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

/** One line about a saved run: data set, step and date. */
function describeSaved(run: SavedRun): string {
  const when = run.savedAt ? new Date(run.savedAt).toLocaleString() : "";
  return `${DATASET_LABELS[run.config.dataset]}, step ${run.step}${when ? `, ${when}` : ""}`;
}
