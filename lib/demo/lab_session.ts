/**
 * The loop inside the lab worker, independent of tfjs and of `self`: it takes commands (`ToLab`),
 * trains a `LabRun` in chunks of about `chunkMs`, yields between chunks so that Pause, Reset and
 * view changes are heard, redraws the view about once a second and the full picture (samples and
 * MMD^2) every few seconds, and posts reports (`FromLab`). All tfjs work runs in one pump, one
 * piece at a time, so a view request never interleaves with an optimiser step. Tests drive it with
 * a fake run.
 *
 * @module
 */
import type { BackendName, BackendPreference } from "./protocol.ts";
import type { FromLab, LabDemo, LabView, ToLab } from "./lab_protocol.ts";

/** The models of one demo, behind what the session needs. */
export interface LabRun {
  /** Steps each model takes in all. */
  readonly budget: number;
  /** Takes `steps` optimiser steps per model; resolves with each model's mean loss. */
  train(steps: number): Promise<number[]>;
  /**
   * Reports for the current view (`full` false: the cheap, view-dependent part, e.g. Tweedie at t
   * or guided samples; `full` true: that plus samples scored by MMD^2 where the demo has them).
   */
  render(view: LabView, full: boolean, step: number): Promise<FromLab[]>;
  /** Frees every tensor of the run. */
  dispose(): void;
}

/** The tfjs side, injected. */
export interface LabEngine {
  initBackend(preference: BackendPreference, wasmPaths: string, pageWebgl: boolean): Promise<{
    backend: BackendName;
    reason: string;
  }>;
  numTensors(): number;
  createRun(demo: LabDemo, seed: number): Promise<LabRun>;
  isDivergence(error: unknown): boolean;
}

/** Timing knobs (tests shorten them). */
export interface LabTiming {
  /** Aim for chunks of about this many milliseconds. */
  chunkMs: number;
  /** Redraw the view at most this often while training. */
  viewEveryMs: number;
  /** Draw the full picture at most this often while training. */
  fullEveryMs: number;
  now(): number;
  yieldToEvents(): Promise<void>;
}

const DEFAULT_TIMING: LabTiming = {
  chunkMs: 150,
  viewEveryMs: 1000,
  fullEveryMs: 5000,
  now: () => performance.now(),
  yieldToEvents: () => new Promise((resolve) => setTimeout(resolve, 0)),
};

/** The worker's state machine. */
export interface LabSession {
  /** Handles one command (in order); resolves when its immediate effect is done. */
  handle(message: ToLab): Promise<void>;
  /** Resolves when no work is left (training stopped, views drawn). */
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
 * import { createLabSession } from "./lab_session.ts";
 * const reports: { type: string }[] = [];
 * const engine = {
 *   initBackend: () => Promise.resolve({ backend: "cpu" as const, reason: "test" }),
 *   numTensors: () => 0,
 *   isDivergence: () => false,
 *   createRun: () => Promise.resolve({
 *     budget: 8, train: () => Promise.resolve([1]), render: () => Promise.resolve([]), dispose() {},
 *   }),
 * };
 * const session = createLabSession(engine, (r) => reports.push(r));
 * await session.handle({
 *   type: "start", demo: "guidance", seed: 0, view: { kind: "tweedie", t: 1 },
 *   backend: "cpu", wasmPaths: "/", pageWebgl: false,
 * });
 * await session.idle();
 * if (reports.at(-1)?.type !== "stopped") throw new Error("a run stops at its budget");
 * ```
 */
export function createLabSession(
  engine: LabEngine,
  post: (report: FromLab) => void,
  timing: Partial<LabTiming> = {},
): LabSession {
  const knobs: LabTiming = { ...DEFAULT_TIMING, ...timing };
  let backendReady: Promise<number> | undefined;
  let run: LabRun | undefined;
  let view: LabView = { kind: "tweedie", t: 1 };
  let viewDirty = false;
  let running = false;
  let step = 0;
  let elapsedMs = 0;
  let stepsPerChunk = 2;
  let lastView = -Infinity, lastFull = -Infinity;
  let pump: Promise<void> = Promise.resolve();
  let pumping = false;

  const fail = (error: unknown, prefix: string) => {
    const message = error instanceof Error ? error.message : String(error);
    post({ type: "error", message: `${prefix}: ${message}` });
  };

  const render = async (full: boolean) => {
    if (!run) return;
    for (const report of await run.render(view, full, step)) post(report);
    lastView = knobs.now();
    if (full) lastFull = lastView;
  };

  /** Trains one chunk; returns false when training has to stop. */
  const trainChunk = async (r: LabRun, window: [number, number][]): Promise<boolean> => {
    const steps = Math.min(stepsPerChunk, r.budget - step);
    const t0 = knobs.now();
    let losses: number[];
    try {
      losses = await r.train(steps);
    } catch (error) {
      running = false;
      if (!engine.isDivergence(error)) throw error;
      post({ type: "stopped", reason: "diverged", step, message: (error as Error).message });
      return false;
    }
    const t1 = knobs.now();
    step += steps;
    elapsedMs += t1 - t0;
    const perStep = (t1 - t0) / steps;
    stepsPerChunk = Math.max(1, Math.min(64, Math.round(knobs.chunkMs / Math.max(perStep, 0.1))));
    window.push([t1 - t0, steps]);
    if (window.length > 20) window.shift();
    const ms = window.reduce((s, [m]) => s + m, 0), n = window.reduce((s, [, k]) => s + k, 0);
    post({
      type: "progress",
      step,
      budget: r.budget,
      losses,
      stepsPerSecond: ms > 0 ? (n * 1000) / ms : 0,
      elapsedMs,
      numTensors: engine.numTensors(),
    });
    return true;
  };

  const work = async () => {
    const window: [number, number][] = [];
    let trained = false;
    if (lastFull === -Infinity) lastFull = knobs.now(); // no MMD^2 of an untrained model
    while (run && (running || viewDirty)) {
      const r = run;
      if (viewDirty) {
        viewDirty = false;
        await render(false);
      } else {
        trained = true;
        if (!(await trainChunk(r, window))) return;
        const now = knobs.now();
        if (step >= r.budget) {
          running = false;
          await render(true);
          post({
            type: "stopped",
            reason: "budget",
            step,
            message: `Trained ${r.budget} steps per model.`,
          });
          return;
        }
        if (now - lastFull >= knobs.fullEveryMs) await render(true);
        else if (now - lastView >= knobs.viewEveryMs) await render(false);
      }
      await knobs.yieldToEvents();
    }
    if (trained && run) {
      await render(true); // the picture at the step where it paused
      post({ type: "stopped", reason: "paused", step, message: "Paused." });
    }
  };

  const kick = () => {
    if (pumping) return;
    pumping = true;
    pump = work().catch((error) => {
      running = false;
      fail(error, "Cannot train as the engine failed");
      post({ type: "stopped", reason: "error", step, message: String(error) });
    }).finally(() => pumping = false);
  };

  const halt = async () => {
    running = false;
    await pump;
  };

  const dispose = () => {
    run?.dispose();
    run = undefined;
    step = 0;
    elapsedMs = 0;
    stepsPerChunk = 2;
    lastView = lastFull = -Infinity;
  };

  const process = async (message: ToLab): Promise<void> => {
    switch (message.type) {
      case "start": {
        await halt();
        view = message.view;
        backendReady ??= engine.initBackend(message.backend, message.wasmPaths, message.pageWebgl)
          .then(({ backend, reason }) => {
            const baselineTensors = engine.numTensors();
            post({ type: "backend", backend, reason, baselineTensors });
            return baselineTensors;
          });
        try {
          await backendReady;
        } catch (error) {
          backendReady = undefined;
          fail(error, "Cannot start a tfjs backend");
          return;
        }
        dispose();
        try {
          run = await engine.createRun(message.demo, message.seed);
        } catch (error) {
          fail(error, "Cannot build the models");
          return;
        }
        running = true;
        kick();
        return;
      }
      case "pause":
        await halt();
        return;
      case "resume":
        if (run && !running && step < run.budget) {
          running = true;
          kick();
        }
        return;
      case "view":
        view = message.view;
        if (run) {
          viewDirty = true;
          kick();
        }
        return;
      case "reset": {
        viewDirty = false;
        await halt();
        dispose();
        const baselineTensors = backendReady ? await backendReady.catch(() => 0) : 0;
        post({ type: "reset", numTensors: engine.numTensors(), baselineTensors });
        return;
      }
    }
  };

  let queue: Promise<void> = Promise.resolve();
  return {
    handle(message) {
      queue = queue.catch(() => {}).then(() => process(message));
      return queue;
    },
    async idle() {
      await queue;
      while (pumping) await pump;
    },
  };
}
