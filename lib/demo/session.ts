/**
 * The training loop that runs inside the worker, independent of tfjs and of `self`: it takes
 * commands (`ToWorker`), drives a `Run` (model + optimiser + sampler) in chunks of optimiser
 * steps, yields between chunks so that Pause and Reset are heard, samples about once a second,
 * and posts reports (`FromWorker`). Tests drive it with a fake run.
 *
 * @module
 */
import { isMixtureDataset, MMD2_THRESHOLD, type TrainConfig, validateConfig } from "./config.ts";
import type { BackendName, BackendPreference, FromWorker, ToWorker } from "./protocol.ts";
import { SCORE_CADENCE, scoreDue } from "./score_cadence.ts";

/** Samples and trajectories drawn from the model, with the MMD^2 of the samples when scored. */
export interface SampleReport {
  points: Float32Array;
  trajectories: Float32Array;
  trajectoryCount: number;
  trajectoryLength: number;
  /** MMD^2 against fresh data; NaN for a preview (too few samples to score). */
  mmd2: number;
  /**
   * A preview's rough MMD^2 (few samples): only decides when to score in full (`score_cadence.ts`),
   * never shown.
   */
  estimate?: number;
}

/** The ELBO report's numbers (see `FromWorker`'s `elbo`), without step and timing. */
export interface ElboReport {
  prior: number;
  denoising: Float64Array;
  reconstruction: number;
  elbo: number;
  logQ: number;
  gap: number;
  n: number;
  variance: string;
}

/** A score-field report's numbers (see `FromWorker`'s `field`), without the step. */
export interface FieldReport {
  t: number;
  side: number;
  learned: Float32Array;
  exact: Float32Array;
}

/** What a run may start from besides its config. */
export interface RunInit {
  /** Flat [n, 2] drawn points (the `drawn` data set). */
  points?: number[];
  /** A saved denoiser (`saveDenoiser`'s JSON) to start from instead of fresh weights. */
  model?: string;
}

/** One training run: what the session needs from the engine. */
export interface Run {
  /** Takes `steps` optimiser steps; resolves with their mean loss. Rejects on divergence. */
  train(steps: number): Promise<number>;
  /**
   * Draws samples with the sampler settings in `config`: `full` draws the 2,000 that MMD^2 needs
   * and scores them; otherwise a cheaper preview for the picture (mmd2 NaN).
   */
  sample(config: TrainConfig, full: boolean): Promise<SampleReport>;
  /** Frees every tensor the run holds. */
  dispose(): void;
  /** The ELBO terms of the EMA model (left out: the session never reports them). */
  elbo?(): Promise<ElboReport>;
  /** The learned and exact score fields at t (mixture data only). */
  field?(t: number): Promise<FieldReport>;
  /** The EMA model as JSON text (`saveDenoiser`). */
  save?(): Promise<string>;
}

/** What the session needs from the tfjs side (injected, so tests need no tfjs). */
export interface Engine {
  /** Starts a backend; resolves with its name and the reason it was chosen. */
  initBackend(preference: BackendPreference, wasmPaths: string, pageWebgl: boolean): Promise<{
    backend: BackendName;
    reason: string;
  }>;
  /** tf.memory().numTensors. */
  numTensors(): number;
  /** Builds a run for `config` (from drawn points or saved weights when `init` says so). */
  createRun(config: TrainConfig, init?: RunInit): Promise<Run>;
  /** Whether an error is the engine's DivergenceError. */
  isDivergence(error: unknown): boolean;
}

/** Timing knobs; the defaults suit the browser, tests shorten them. */
export interface SessionTiming {
  /** Aim for chunks of about this many milliseconds of training. */
  chunkMs: number;
  /** Draw a preview at most this often, in milliseconds. */
  sampleEveryMs: number;
  /**
   * Draw the full, scored sample (MMD^2) at least this often, in milliseconds; sooner when a
   * preview's estimate comes near the threshold (`score_cadence.ts`).
   */
  mmdEveryMs: number;
  /** Compute the ELBO terms at most this often, in milliseconds. */
  elboEveryMs: number;
  /** Keep each kind of sampling below this share of the time. */
  maxSampleShare: number;
  now(): number;
  /** Lets queued messages through between chunks. */
  yieldToEvents(): Promise<void>;
}

const DEFAULT_TIMING: SessionTiming = {
  chunkMs: 120,
  sampleEveryMs: 1000,
  mmdEveryMs: 4000,
  elboEveryMs: 2500,
  maxSampleShare: 0.15,
  now: () => performance.now(),
  yieldToEvents: () => new Promise((resolve) => setTimeout(resolve, 0)),
};

/** The worker's state machine. */
export interface Session {
  /** Queues one command; resolves when its immediate effect is done (training goes on after). */
  handle(message: ToWorker): Promise<void>;
  /** Resolves when the training loop (if any) has stopped. */
  idle(): Promise<void>;
}

/**
 * Creates a session that posts its reports with `post`.
 *
 * @param engine The tfjs side.
 * @param post Sends a report to the page.
 * @param timing Overrides for the timing knobs.
 * @returns The session.
 * @example
 * ```ts
 * import { createSession } from "./session.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const reports: { type: string }[] = [];
 * const engine = {
 *   initBackend: () => Promise.resolve({ backend: "cpu" as const, reason: "test" }),
 *   numTensors: () => 0,
 *   isDivergence: () => false,
 *   createRun: () => Promise.resolve({
 *     train: () => Promise.resolve(1),
 *     sample: () => Promise.resolve({
 *       points: new Float32Array(2), trajectories: new Float32Array(2),
 *       trajectoryCount: 1, trajectoryLength: 1, mmd2: 0.5,
 *     }),
 *     dispose() {},
 *   }),
 * };
 * const session = createSession(engine, (r) => reports.push(r));
 * await session.handle({ type: "start", config: { ...DEFAULT_CONFIG, stepBudget: 10 }, backend: "auto", wasmPaths: "/", pageWebgl: false });
 * await session.idle();
 * if (reports.at(-1)?.type !== "stopped") throw new Error("a run stops at its budget");
 * ```
 */
export function createSession(
  engine: Engine,
  post: (report: FromWorker) => void,
  timing: Partial<SessionTiming> = {},
): Session {
  const knobs: SessionTiming = { ...DEFAULT_TIMING, ...timing };
  let backendReady: Promise<number> | undefined; // resolves with the baseline tensor count
  let run: Run | undefined;
  let config: TrainConfig | undefined;
  let step = 0;
  let elapsedMs = 0; // time spent running, pauses excluded
  let running = false;
  let loop: Promise<void> = Promise.resolve();
  let stepsPerChunk = 4;
  // Per kind (0 = preview, 1 = full, 2 = ELBO): when it last ran and what it cost.
  const lastSampleAt = [-Infinity, -Infinity, -Infinity];
  const sampleCostMs = [0, 0, 0];
  let estimate = NaN; // the last preview's MMD^2 estimate, NaN once a full score follows it
  let fullMmd2 = NaN; // the last full MMD^2
  let fieldT = 10; // time step of the score field
  let drawSamples = true; // false: the page shows no samples, so none are drawn
  let reportElbo = false; // whether the ELBO terms are computed (they cost model calls)

  const fail = (error: unknown, prefix: string) => {
    const message = error instanceof Error ? error.message : String(error);
    post({ type: "error", message: `${prefix}: ${message}` });
  };

  const sampleNow = async (full: boolean) => {
    if (!run || !config) return;
    const t0 = knobs.now();
    const { estimate: rough, ...report } = await run.sample(config, full);
    const sampleMs = knobs.now() - t0;
    const kind = full ? 1 : 0;
    sampleCostMs[kind] = sampleMs;
    lastSampleAt[kind] = lastSampleAt[0] = knobs.now(); // a full sample is also a fresh picture
    estimate = full ? NaN : rough ?? NaN;
    if (full) fullMmd2 = report.mmd2;
    post({ type: "samples", step, sampleMs, ...report });
    await fieldNow();
  };

  const fieldNow = async () => {
    if (!run?.field || !config) return;
    const report = await run.field(Math.min(fieldT, config.T));
    post({ type: "field", step, ...report });
  };

  const elboNow = async () => {
    if (!run?.elbo || !reportElbo) return;
    const t0 = knobs.now();
    const report = await run.elbo();
    const ms = knobs.now() - t0;
    sampleCostMs[2] = ms;
    lastSampleAt[2] = knobs.now();
    post({ type: "elbo", step, ms, ...report });
  };

  const trainLoop = async () => {
    // Recent chunks as (training ms, steps): steps/s counts training time only, so that it
    // compares with the engine's benchmarks; sampling time shows in `elapsedMs`.
    const window: [number, number][] = [];
    let stopReason: "paused" | "budget" | "diverged" = "paused";
    let stopMessage = "Paused.";
    // The first scored sample waits mmdEveryMs: the untrained model's samples are just noise, and
    // scoring them would delay the first steps (seconds on a software GPU).
    if (lastSampleAt[1] === -Infinity) lastSampleAt[1] = knobs.now();
    while (running && run && config && step < config.stepBudget) {
      const steps = Math.min(stepsPerChunk, config.stepBudget - step);
      const t0 = knobs.now();
      let loss: number;
      try {
        loss = await run.train(steps);
      } catch (error) {
        if (!engine.isDivergence(error)) throw error;
        stopReason = "diverged";
        stopMessage = error instanceof Error ? error.message : String(error);
        break;
      }
      const t1 = knobs.now();
      step += steps;
      elapsedMs += t1 - t0;
      // Adapt the chunk to about chunkMs of work (at least 1 step, at most 64).
      const perStep = (t1 - t0) / steps;
      stepsPerChunk = Math.max(1, Math.min(64, Math.round(knobs.chunkMs / Math.max(perStep, 0.1))));
      window.push([t1 - t0, steps]);
      if (window.length > 20) window.shift();
      const windowMs = window.reduce((sum, [ms]) => sum + ms, 0);
      const windowSteps = window.reduce((sum, [, n]) => sum + n, 0);
      const stepsPerSecond = windowMs > 0 ? (windowSteps * 1000) / windowMs : 0;
      post({
        type: "progress",
        step,
        loss,
        stepsPerSecond,
        elapsedMs,
        numTensors: engine.numTensors(),
      });
      // A picture about once a second and a scored sample every few seconds, or as soon as a
      // picture's estimate comes near the threshold (score_cadence.ts).
      const now = knobs.now();
      const due = (kind: number, every: number) =>
        now - lastSampleAt[kind] >= Math.max(every, sampleCostMs[kind] / knobs.maxSampleShare);
      const next = scoreDue({
        now,
        lastPreviewAt: lastSampleAt[0],
        lastFullAt: lastSampleAt[1],
        previewCostMs: sampleCostMs[0],
        fullCostMs: sampleCostMs[1],
        estimate,
        fullMmd2,
        threshold: MMD2_THRESHOLD,
      }, {
        ...SCORE_CADENCE,
        previewEveryMs: knobs.sampleEveryMs,
        fullEveryMs: knobs.mmdEveryMs,
        maxShare: knobs.maxSampleShare,
      });
      if (drawSamples && next !== "none") {
        await sampleNow(next === "full");
        elapsedMs += knobs.now() - now;
      } else if (run.elbo && reportElbo && due(2, knobs.elboEveryMs)) {
        await elboNow();
        elapsedMs += knobs.now() - now;
      }
      await knobs.yieldToEvents();
    }
    if (config && step >= config.stepBudget) {
      stopReason = "budget";
      stopMessage = `Reached the budget of ${config.stepBudget} steps.`;
      if (drawSamples) await sampleNow(true); // the final samples, scored
      await elboNow();
    }
    running = false;
    post({ type: "stopped", reason: stopReason, step, message: stopMessage });
  };

  const startLoop = () => {
    running = true;
    loop = trainLoop().catch((error) => {
      running = false;
      fail(error, "Cannot train as the engine failed");
      post({ type: "stopped", reason: "error", step, message: String(error) });
    });
  };

  const stopLoop = async () => {
    running = false;
    await loop;
  };

  const disposeRun = () => {
    run?.dispose();
    run = undefined;
    step = 0;
    elapsedMs = 0;
    lastSampleAt.fill(-Infinity);
    sampleCostMs.fill(0);
    estimate = fullMmd2 = NaN;
    stepsPerChunk = 4;
  };

  const backendUp = async (
    message: { backend: BackendPreference; wasmPaths: string; pageWebgl: boolean },
  ): Promise<boolean> => {
    if (!backendReady) {
      backendReady = engine.initBackend(message.backend, message.wasmPaths, message.pageWebgl)
        .then(
          ({ backend, reason }) => {
            const baselineTensors = engine.numTensors();
            post({ type: "backend", backend, reason, baselineTensors });
            return baselineTensors;
          },
        );
    }
    try {
      await backendReady;
      return true;
    } catch (error) {
      backendReady = undefined;
      fail(error, "Cannot start a tfjs backend");
      return false;
    }
  };

  const process = async (message: ToWorker): Promise<void> => {
    switch (message.type) {
      case "start": {
        const problems = validateConfig(message.config);
        if (problems.length > 0) {
          post({ type: "error", message: problems.join("; ") });
          return;
        }
        await stopLoop();
        if (!(await backendUp(message))) return;
        disposeRun();
        config = { ...message.config };
        drawSamples = message.samples ?? true;
        reportElbo = message.elbo ?? isMixtureDataset(config.dataset);
        try {
          run = await engine.createRun(config, message.points ? { points: message.points } : {});
        } catch (error) {
          fail(error, "Cannot build the model");
          return;
        }
        startLoop();
        return;
      }
      case "load": {
        const problems = validateConfig(message.config);
        if (problems.length > 0) {
          post({ type: "error", message: problems.join("; ") });
          return;
        }
        await stopLoop();
        if (!(await backendUp(message))) return;
        disposeRun();
        config = { ...message.config };
        drawSamples = true;
        reportElbo = isMixtureDataset(config.dataset);
        try {
          run = await engine.createRun(config, { points: message.points, model: message.model });
        } catch (error) {
          config = undefined;
          fail(error, "Cannot load the model");
          return;
        }
        step = message.step;
        post({ type: "loaded", step });
        await sampleNow(true);
        await elboNow();
        return;
      }
      case "save":
        if (run?.save) post({ type: "model", step, model: await run.save() });
        else post({ type: "error", message: "Cannot save the model as no model is built yet" });
        return;
      case "field":
        fieldT = message.t;
        if (run && !running) await fieldNow();
        return;
      case "resume":
        if (run && !running && config && step < config.stepBudget) startLoop();
        return;
      case "pause":
        await stopLoop();
        return;
      case "sampler":
        if (config && validateConfig(message.config).length === 0) {
          config = { ...config, ...pickSampler(message.config) };
          if (run && !running) await sampleNow(true); // redraw at once when paused
        }
        return;
      case "reset": {
        await stopLoop();
        disposeRun();
        config = undefined;
        const baselineTensors = backendReady ? await backendReady.catch(() => 0) : 0;
        post({ type: "reset", numTensors: engine.numTensors(), baselineTensors });
        return;
      }
    }
  };

  let queue: Promise<void> = Promise.resolve();
  return {
    // Commands run one after another, in the order they came (a Pause sent while the backend is
    // still starting is not lost).
    handle(message) {
      queue = queue.catch(() => {}).then(() => process(message));
      return queue;
    },
    idle: () => queue.then(() => loop),
  };
}

function pickSampler(c: TrainConfig): Pick<TrainConfig, "sampler" | "eta" | "samplerSteps"> {
  return { sampler: c.sampler, eta: c.eta, samplerSteps: c.samplerSteps };
}
