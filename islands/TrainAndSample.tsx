import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  DATASET_LABELS,
  DEFAULT_CONFIG,
  isMixtureDataset,
  MMD2_THRESHOLD,
  oneOf,
  sameTraining,
  TRAIN_DATASETS,
  type TrainConfig,
} from "../lib/demo/config.ts";
import { drawDrawnPoints, drawSamples, type Palette, paletteOf } from "../lib/demo/draw.ts";
import { MIN_DRAWN_POINTS } from "../lib/demo/drawn.ts";
import { DrawnPointsRow, useDrawing } from "../lib/demo/drawn_points.tsx";
import { ScoreFields } from "../lib/demo/score_fields.tsx";
import {
  formatElapsed,
  formatLoss,
  formatMmd2,
  formatPowerOfTen,
  formatSigned,
  isGoodMmd2,
} from "../lib/demo/format.ts";
import type { TrainParams, TrainView } from "../lib/demo/runs/train_types.ts";
import type { SavedRun } from "../lib/demo/saved_run.ts";
import { SavedModels } from "../lib/demo/saved_models.tsx";
import { dataOf, targetPoints } from "../lib/demo/target_data.ts";
import { TrainBar } from "../lib/demo/train_bar.tsx";
import { useTrainCharts } from "../lib/demo/train_charts.ts";
import { TrainSettings } from "../lib/demo/train_settings.tsx";
import { readTrainUrl, writeTrainUrl } from "../lib/demo/train_url.ts";
import { useDemoRun } from "../lib/demo/use_demo_run.ts";
import { DRAWN_STD } from "../engine/toy_mixture.ts";

interface Props {
  /** The data set the chapter starts with (a URL query overrides it). */
  dataset?: string;
  /** The schedule the chapter starts with. */
  schedule?: "linear" | "cosine";
  /** The demo worker's module URL (ChapterView passes it: `needsWorker` in lib/site/demos.ts). */
  workerUrl?: string;
  /** Folder URL of tfjs's `.wasm` files, base path in front (DemoFigure passes it). */
  wasmPaths?: string;
  /** The default seed (site config `seeds`); `?seed=` in the URL still wins. */
  seed?: number;
}

type Elbo = Extract<TrainView, { kind: "elbo" }>;
type Samples = Extract<TrainView, { kind: "samples" }>;
type Field = Extract<TrainView, { kind: "field" }>;

/** The IndexedDB slot of this demo's saved model. */
const STORE_KEY = "TrainAndSample";

function initialConfig(props: Props): TrainConfig {
  return {
    ...DEFAULT_CONFIG,
    dataset: oneOf(TRAIN_DATASETS, props.dataset, DEFAULT_CONFIG.dataset),
    schedule: props.schedule ?? DEFAULT_CONFIG.schedule,
    seed: props.seed ?? DEFAULT_CONFIG.seed,
  };
}

/** The model's parameters: the settings, and the drawn points for drawn data. */
const paramsOf = (config: TrainConfig, points: number[]): TrainParams =>
  config.dataset === "drawn" ? { config, points } : { config };
/** Two parameters train the same model when the training settings and points agree. */
const sameModel = (a: unknown, b: unknown) => {
  const [p, q] = [a as TrainParams, b as TrainParams];
  return sameTraining(p.config, q.config) && `${p.points ?? ""}` === `${q.points ?? ""}`;
};

/** One line about a saved run: data set, step and date. */
function describeSaved(run: SavedRun): string {
  const when = run.savedAt ? new Date(run.savedAt).toLocaleString() : "";
  return `${DATASET_LABELS[run.config.dataset]}, step ${run.step}${when ? `, ${when}` : ""}`;
}

/** Draws the data the model should learn, faintly (before any sample), or the drawn points. */
function drawTarget(c: HTMLCanvasElement, config: TrainConfig, points: number[], p: Palette) {
  const ctx = c.getContext("2d");
  if (!ctx) return;
  if (config.dataset === "drawn") return drawDrawnPoints(ctx, points, DRAWN_STD, p);
  const data = Float32Array.from(targetPoints(config, points, 1500));
  drawSamples(ctx, data, new Float32Array(0), 0, 0, { ...p, ink: p.muted });
}

/**
 * Train a small diffusion model in the reader's browser and watch samples emerge. The island is
 * UI: training, sampling, MMD², the ELBO and the score fields run in the demo worker
 * (`lib/demo/runs/train.ts`); the island holds the settings (mirrored in the URL, drawn points
 * included), shows the readouts and draws what the run reports.
 */
export default function TrainAndSample(props: Props) {
  const [config, setConfig] = useState<TrainConfig>(() => initialConfig(props));
  const [points, setPoints] = useState<number[]>([]);
  const [notes, setNotes] = useState<string[]>([]);
  const [elbo, setElbo] = useState<Elbo | undefined>(undefined);
  const [fieldT, setFieldT] = useState(10);
  const [field, setField] = useState<Field | undefined>(undefined);
  const [firstLoss, setFirstLoss] = useState<number | undefined>(undefined);
  const [sampled, setSampled] = useState(false);
  const [chartError, setChartError] = useState("");
  const samplesCanvas = useRef<HTMLCanvasElement>(null);
  const palette = useRef<Palette | undefined>(undefined);
  const lossBox = useRef<HTMLDivElement>(null);
  const mmdBox = useRef<HTMLDivElement>(null);
  const charts = useTrainCharts(lossBox, mmdBox, setChartError);

  const drawSampleView = (r: Samples) => {
    const c = samplesCanvas.current;
    const ctx = c?.getContext("2d");
    if (c) palette.current ??= paletteOf(c); // read once: it forces a style recalculation
    if (c && ctx && palette.current) {
      drawSamples(ctx, r.points, r.paths, r.pathCount, r.pathLength, palette.current);
    }
    setSampled(true);
    if (Number.isFinite(r.mmd2)) charts.score(r.step, r.mmd2);
  };
  const run = useDemoRun({
    workerUrl: props.workerUrl,
    wasmPaths: props.wasmPaths,
    slot: "train",
    run: "train",
    same: sameModel,
    warm: true, // islands hydrate near the viewport: start tfjs while the reader reads (issue 22)
    onViews: (views) => {
      for (const r of views as TrainView[]) {
        if (r.kind === "samples") drawSampleView(r);
        else if (r.kind === "elbo") setElbo(r);
        else setField(r);
      }
    },
  });
  const { state } = run;
  const { status, progress } = state;

  // After hydration: read the URL (a copied URL reproduces the run).
  useEffect(() => {
    const read = readTrainUrl(initialConfig(props));
    setConfig(read.config);
    setPoints(read.points);
    setNotes(read.ignored);
  }, []);
  // Every step's loss goes to the chart; the first one is kept for tests and readers.
  useEffect(() => {
    if (progress.losses.length === 0) return;
    if (firstLoss === undefined) setFirstLoss(progress.losses[0]);
    charts.loss(progress.step, progress.losses[0]);
  }, [progress]);
  // Before any sample: the data to learn (or the drawn points), and the exact field of a mixture.
  const mixture = isMixtureDataset(config.dataset);
  const target = useMemo(() => {
    try {
      return mixture ? dataOf(config, points).mixture : undefined;
    } catch {
      return undefined; // no points drawn yet
    }
  }, [config.dataset, config.seed, points]);
  useEffect(() => {
    const c = samplesCanvas.current;
    if (c && !sampled) drawTarget(c, config, points, paletteOf(c));
  }, [points, config.dataset, sampled, run.hydrated]);

  const clearPictures = () => {
    charts.clear();
    setElbo(undefined);
    setField(undefined);
    setSampled(false);
    setFirstLoss(undefined);
  };
  const params = paramsOf(config, points);
  const train = () => {
    if (run.train(params) === "started") clearPictures();
  };
  const reset = () => {
    clearPictures();
    run.reset();
  };
  /** Draws with `c`'s sampler now (scored): "Sample now", or a sampler change. */
  const sampleWith = (c: TrainConfig) =>
    run.ask<TrainView[]>({ kind: "sampler", ...c }).then((views) =>
      views.forEach((v) => v.kind === "samples" && drawSampleView(v))
    ).catch(() => {});
  /** Applies a settings change: URL, and the sampler at once; a new model only on Train. */
  const update = (patch: Partial<TrainConfig>) => {
    const next = { ...config, ...patch };
    next.samplerSteps = Math.min(next.samplerSteps, next.T);
    setConfig(next);
    writeTrainUrl(next, points);
    if (sameTraining(config, next) && run.hasModel) sampleWith(next);
  };
  const changePoints = (next: number[]) => {
    setPoints(next);
    writeTrainUrl(config, next);
  };
  const chooseT = (t: number) => {
    setFieldT(t);
    if (run.state.params !== undefined) {
      run.ask<Field>({ kind: "field", t }).then(setField).catch(() => {});
    }
  };
  const onLoad = (saved: SavedRun) => {
    setConfig(saved.config);
    setPoints(saved.points ?? []);
    writeTrainUrl(saved.config, saved.points ?? []);
    clearPictures();
  };

  const changed = run.changed(params);
  const canDraw = config.dataset === "drawn" && !run.running && (!run.hasModel || changed);
  const drawingHandlers = useDrawing(
    samplesCanvas,
    canDraw,
    setPoints,
    () => setPoints((p) => (writeTrainUrl(config, p), p)),
  );

  const tooFewPoints = config.dataset === "drawn" && points.length / 2 < MIN_DRAWN_POINTS;
  const score = state.score;
  const speed = status === "training"
    ? progress.stepsPerSecond.toFixed(1)
    : status === "paused"
    ? "paused"
    : "–";
  return (
    <div
      class="demo-island train-sample"
      data-status={status}
      data-hydrated={run.hydrated ? "true" : undefined}
      data-first-loss={firstLoss}
    >
      <p class="demo-caption">
        Press <strong>Train</strong>{" "}
        to fit a small denoising network to the data set (drawn faintly below), here in your
        browser. Every second the model draws fresh samples from pure noise; the thin orange lines
        follow a few of them from x<sub>T</sub> to x<sub>0</sub>. Press <strong>Sample now</strong>
        {" "}
        whenever you like, and <strong>Train more</strong>{" "}
        when a run has finished. Choose “Points you draw” to train on your own drawing.
      </p>
      <TrainBar
        run={run}
        onTrain={train}
        canTrain={!tooFewPoints}
        onReset={reset}
        budget={config.stepBudget}
        changed={changed}
      />
      <div class="demo-buttons">
        <button
          type="button"
          onClick={() => sampleWith(config)}
          disabled={!run.hasModel || changed}
          data-testid="sample"
        >
          Sample now
        </button>
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
            : sampled
            ? `Samples from the model at step ${score?.step ?? progress.step}`
            : `The data set to learn: ${DATASET_LABELS[config.dataset]}`}
          {...drawingHandlers}
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
            aria-label="MMD squared of the samples against step, log scale, with the threshold 2 times 10 to the minus 3"
            data-testid="mmd-chart"
          />
          {chartError && <p class="demo-message">{chartError}</p>}
          <dl class="readout ts-readout" aria-live="off">
            <dt>steps/s</dt>
            <dd data-testid="steps-per-second">{speed}</dd>
            <dt>elapsed</dt>
            <dd data-testid="elapsed">
              {progress.elapsedMs > 0 ? formatElapsed(progress.elapsedMs) : "–"}
            </dd>
            <dt>loss</dt>
            <dd data-testid="loss">
              {formatLoss(progress.losses[0])}
              {progress.losses.length > 0 && (
                <span class="demo-muted">{` at step ${progress.step}`}</span>
              )}
            </dd>
            <dt>samples</dt>
            <dd>
              <span
                data-testid="mmd2"
                data-value={score?.mmd2}
                data-step={score?.step}
                class={score && isGoodMmd2(score.mmd2) ? "demo-good" : undefined}
              >
                MMD² {score ? formatMmd2(score.mmd2) : "–"}
              </span>{" "}
              <span class="demo-muted">
                (good below {formatPowerOfTen(MMD2_THRESHOLD)}
                {score ? `; at step ${score.step}` : ""})
              </span>
            </dd>
            {mixture && (
              <>
                <dt>log-likelihood</dt>
                <dd data-testid="likelihood">
                  {elbo
                    ? (
                      <>
                        exact log q(x₀) <span data-testid="logq">{formatSigned(elbo.logQ)}</span>
                        {" ≥ "}ELBO <span data-testid="elbo">{formatSigned(elbo.elbo)}</span>
                        {"; gap "}
                        <span data-testid="gap">{formatSigned(elbo.gap)}</span>{" "}
                        <span class="demo-muted">
                          nats per point, {elbo.n} points, step {elbo.step}
                        </span>
                      </>
                    )
                    : <span class="demo-muted">– (shown while training)</span>}
                </dd>
              </>
            )}
          </dl>
        </div>
      </div>
      {notes.length > 0 && <p class="demo-muted">Ignored in the URL: {notes.join("; ")}</p>}
      {config.dataset === "drawn" && (
        <DrawnPointsRow
          points={points}
          canDraw={canDraw}
          locked={run.running}
          change={changePoints}
        />
      )}
      {mixture && (
        <ScoreFields config={config} mixture={target} view={field} t={fieldT} onT={chooseT} />
      )}
      <SavedModels
        run={run}
        storeKey={STORE_KEY}
        current={() => ({ config, points })}
        describe={describeSaved}
        onLoad={onLoad}
      />
      <TrainSettings config={config} update={update} running={run.running} />
      <p class="demo-muted">
        MMD² compares 2,000 samples with fresh data; below {formatPowerOfTen(MMD2_THRESHOLD)}{" "}
        the samples are hard to tell from the data.
      </p>
    </div>
  );
}
