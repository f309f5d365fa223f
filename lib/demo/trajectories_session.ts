/**
 * The state machine of chapter 2's sampling worker, free of tfjs and of `self`: start a backend,
 * train one model in chunks (reporting progress, yielding so Pause is heard), score it, then answer
 * sampling requests in order. Tests drive it with a fake engine.
 *
 * @module
 */
import type { DatasetName } from "./config.ts";
import type { BackendName, BackendPreference } from "./protocol.ts";
import type { TrajectoryModel } from "./trajectories_run.ts";
import type { FromTrajectoriesWorker, ToTrajectoriesWorker } from "./trajectories_protocol.ts";

/** What the session needs from the tfjs side. */
export interface TrajectoryEngine {
  initBackend(preference: BackendPreference, wasmPaths: string, pageWebgl: boolean): Promise<{
    backend: BackendName;
    reason: string;
  }>;
  numTensors(): number;
  createModel(dataset: DatasetName, totalSteps: number): TrajectoryModel;
  isDivergence(error: unknown): boolean;
}

/** Timing knobs (tests shorten them). */
export interface TrajectoryTiming {
  /** Aim for training chunks of about this many milliseconds. */
  chunkMs: number;
  now(): number;
  yieldToEvents(): Promise<void>;
}

/** The session: commands in, reports out through `post`. */
export interface TrajectorySession {
  handle(message: ToTrajectoriesWorker): Promise<void>;
  /** Resolves when the training loop (if any) has stopped. */
  idle(): Promise<void>;
}

/**
 * Creates a session.
 *
 * @param engine The tfjs side (fake in tests).
 * @param post Sends a report.
 * @param timing Overrides of the timing knobs.
 * @returns The session.
 * @example
 * ```ts
 * import { createTrajectorySession } from "./trajectories_session.ts";
 * const reports: { type: string }[] = [];
 * const model = {
 *   train: () => Promise.resolve(1), score: () => Promise.resolve(0.001),
 *   trajectories: () => Promise.reject(new Error("unused")),
 *   multiply: () => Promise.reject(new Error("unused")), dispose() {},
 * };
 * const engine = {
 *   initBackend: () => Promise.resolve({ backend: "cpu" as const, reason: "test" }),
 *   numTensors: () => 0, createModel: () => model, isDivergence: () => false,
 * };
 * const session = createTrajectorySession(engine, (r) => reports.push(r));
 * await session.handle({
 *   type: "train", dataset: "swissroll", steps: 10, backend: "auto", wasmPaths: "/", pageWebgl: false,
 * });
 * await session.idle();
 * if (reports.at(-1)?.type !== "scored") throw new Error("training ends with ready, then scored");
 * ```
 */
export function createTrajectorySession(
  engine: TrajectoryEngine,
  post: (report: FromTrajectoriesWorker) => void,
  timing: Partial<TrajectoryTiming> = {},
): TrajectorySession {
  const knobs: TrajectoryTiming = {
    chunkMs: 100,
    now: () => performance.now(),
    yieldToEvents: () => new Promise((resolve) => setTimeout(resolve, 0)),
    ...timing,
  };
  let baseline: Promise<number> | undefined;
  let model: TrajectoryModel | undefined;
  let dataset: DatasetName | undefined;
  let step = 0;
  let trainMs = 0;
  let ready = false;
  let score = NaN;
  let running = false;
  let loop: Promise<void> = Promise.resolve();
  let perChunk = 4;
  let totalSteps = 0;

  const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

  const trainLoop = async () => {
    const window: [number, number][] = [];
    while (running && model && step < totalSteps) {
      const steps = Math.min(perChunk, totalSteps - step);
      const t0 = knobs.now();
      let loss: number;
      try {
        loss = await model.train(steps);
      } catch (error) {
        running = false;
        const why = engine.isDivergence(error) ? "diverged" : "failed";
        post({ type: "error", message: `Cannot train as the model ${why}: ${errorText(error)}` });
        return;
      }
      const ms = knobs.now() - t0;
      step += steps;
      trainMs += ms;
      perChunk = Math.max(1, Math.min(64, Math.round(knobs.chunkMs / Math.max(ms / steps, 0.1))));
      window.push([ms, steps]);
      if (window.length > 20) window.shift();
      const wMs = window.reduce((s, [m]) => s + m, 0);
      const wSteps = window.reduce((s, [, n]) => s + n, 0);
      const stepsPerSecond = wMs > 0 ? (1000 * wSteps) / wMs : 0;
      post({ type: "progress", step, total: totalSteps, loss, stepsPerSecond });
      await knobs.yieldToEvents();
    }
    running = false;
    if (!model) return;
    if (step < totalSteps) {
      post({ type: "paused", step });
      return;
    }
    // Ready first, so that requests need not wait for the score (they interleave with it).
    ready = true;
    post({ type: "ready", step, trainMs, numTensors: engine.numTensors() });
    try {
      score = await model.score();
      post({ type: "scored", mmd2: score });
    } catch (error) {
      post({ type: "error", message: `Cannot score the model: ${errorText(error)}` });
    }
  };

  const startLoop = () => {
    running = true;
    loop = trainLoop();
  };

  const notReady = (id: number) =>
    post({
      type: "error",
      id,
      message: `Cannot sample as the model must be trained first: current step is ${step}`,
    });

  const process = async (message: ToTrajectoriesWorker): Promise<void> => {
    switch (message.type) {
      case "train": {
        if (model && dataset === message.dataset && totalSteps === message.steps) {
          if (ready) {
            post({ type: "ready", step, trainMs, numTensors: engine.numTensors() });
            if (Number.isFinite(score)) post({ type: "scored", mmd2: score });
          } else if (!running) startLoop();
          return;
        }
        baseline ??= engine.initBackend(message.backend, message.wasmPaths, message.pageWebgl)
          .then(({ backend, reason }) => {
            const baselineTensors = engine.numTensors();
            post({ type: "backend", backend, reason, baselineTensors });
            return baselineTensors;
          });
        try {
          await baseline;
        } catch (error) {
          baseline = undefined;
          post({ type: "error", message: `Cannot start a tfjs backend: ${errorText(error)}` });
          return;
        }
        running = false;
        await loop;
        model?.dispose();
        [step, trainMs, ready, perChunk] = [0, 0, false, 4];
        try {
          model = engine.createModel(message.dataset, message.steps);
          [dataset, totalSteps] = [message.dataset, message.steps];
        } catch (error) {
          model = undefined;
          post({ type: "error", message: `Cannot build the model: ${errorText(error)}` });
          return;
        }
        startLoop();
        return;
      }
      case "pause":
        running = false;
        await loop;
        return;
      case "resume":
        if (model && !running && !ready) startLoop();
        return;
      case "trajectories":
      case "multiply": {
        if (!model || !ready) return notReady(message.id);
        const t0 = knobs.now();
        try {
          if (message.type === "trajectories") {
            const result = await model.trajectories(message.request);
            const ms = knobs.now() - t0;
            post({
              type: "trajectories",
              id: message.id,
              result,
              ms,
              numTensors: engine.numTensors(),
            });
          } else {
            const result = await model.multiply(message.request);
            const ms = knobs.now() - t0;
            post({ type: "multiply", id: message.id, result, ms, numTensors: engine.numTensors() });
          }
        } catch (error) {
          post({ type: "error", id: message.id, message: errorText(error) });
        }
        return;
      }
      case "reset": {
        running = false;
        await loop;
        model?.dispose();
        model = undefined;
        dataset = undefined;
        [step, trainMs, ready] = [0, 0, false];
        const baselineTensors = baseline ? await baseline.catch(() => 0) : 0;
        post({ type: "reset", numTensors: engine.numTensors(), baselineTensors });
        return;
      }
    }
  };

  let queue: Promise<void> = Promise.resolve();
  return {
    handle(message) {
      // Pause must be heard while training runs, so it acts at once; it is queued as well, so a
      // Pause sent while a Train is still starting the backend stops the loop that Train starts.
      if (message.type === "pause") running = false;
      queue = queue.catch(() => {}).then(() => process(message));
      return queue;
    },
    idle: () => queue.then(() => loop),
  };
}
