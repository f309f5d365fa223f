/**
 * How often the demo worker trains, draws and scores: the chunk size that keeps Pause heard, the
 * speed window of the steps/s readout, and the scoring cadence (how often a run's full, scored
 * pictures, e.g. MMD^2 of 2,000 samples, are drawn). One place, so that tuning it is one edit.
 *
 * @module
 */

/** The knobs. */
export interface Cadence {
  /** Aim for chunks of about this many milliseconds of training between yields. */
  chunkMs: number;
  /** Most steps in one chunk. */
  maxChunkSteps: number;
  /** Draw a quick picture at most this often while training, in milliseconds. */
  viewEveryMs: number;
  /** Draw the full, scored picture (MMD^2) at most this often while training, in milliseconds. */
  scoreEveryMs: number;
  /** Keep each kind of drawing below this share of the time (slow backends score less often). */
  maxRenderShare: number;
  /** Chunks the steps/s readout averages over. */
  speedWindow: number;
}

/** The browser's cadence: about 8 chunks a second, a picture a second, a score every 4 s. */
export const CADENCE: Readonly<Cadence> = Object.freeze({
  chunkMs: 120,
  maxChunkSteps: 64,
  viewEveryMs: 1000,
  scoreEveryMs: 4000,
  maxRenderShare: 0.15,
  speedWindow: 20,
});

/** When each kind of picture was last drawn and what it cost. */
export interface RenderClock {
  lastView: number;
  lastScore: number;
  viewMs: number;
  scoreMs: number;
}

/**
 * A clock that has drawn nothing; `now` starts the wait for the first score (an untrained model's
 * samples are noise, and scoring them would only delay the first steps).
 *
 * @param now The current time in milliseconds.
 * @returns The clock.
 */
export function freshClock(now: number): RenderClock {
  return { lastView: -Infinity, lastScore: now, viewMs: 0, scoreMs: 0 };
}

/**
 * Which picture is due after a chunk: the scored one, a quick one, or none.
 *
 * @param cadence The knobs.
 * @param now The current time in milliseconds.
 * @param clock When each kind was last drawn and its cost.
 * @returns `score`, `view` or undefined.
 * @example
 * ```ts
 * import { CADENCE, renderDue } from "./cadence.ts";
 * const clock = { lastView: 0, lastScore: 0, viewMs: 10, scoreMs: 100 };
 * if (renderDue(CADENCE, 500, clock) !== undefined) throw new Error("nothing due after 0.5 s");
 * if (renderDue(CADENCE, 1500, clock) !== "view") throw new Error("a picture a second");
 * if (renderDue(CADENCE, 4500, clock) !== "score") throw new Error("a score every 4 s");
 * ```
 */
export function renderDue(
  cadence: Cadence,
  now: number,
  clock: RenderClock,
): "score" | "view" | undefined {
  const due = (last: number, every: number, cost: number) =>
    now - last >= Math.max(every, cost / cadence.maxRenderShare);
  if (due(clock.lastScore, cadence.scoreEveryMs, clock.scoreMs)) return "score";
  if (due(clock.lastView, cadence.viewEveryMs, clock.viewMs)) return "view";
  return undefined;
}

/**
 * Steps in the next chunk, so that it takes about `chunkMs`.
 *
 * @param cadence The knobs.
 * @param msPerStep What the last chunk cost per step.
 * @returns At least 1, at most `maxChunkSteps`.
 * @example
 * ```ts
 * import { CADENCE, chunkSteps } from "./cadence.ts";
 * if (chunkSteps(CADENCE, 10) !== 12 || chunkSteps(CADENCE, 0) !== 64) throw new Error();
 * ```
 */
export function chunkSteps(cadence: Cadence, msPerStep: number): number {
  const steps = Math.round(cadence.chunkMs / Math.max(msPerStep, 0.1));
  return Math.max(1, Math.min(cadence.maxChunkSteps, steps));
}

/**
 * Steps per second over a window of recent chunks (training time only, so that it compares with
 * the engine's benchmarks); the window is trimmed to `cadence.speedWindow` chunks.
 *
 * @param cadence The knobs.
 * @param window Recent chunks as [milliseconds, steps]; the newest last.
 * @returns Steps per second, 0 before any time has passed.
 * @example
 * ```ts
 * import { CADENCE, stepsPerSecond } from "./cadence.ts";
 * if (stepsPerSecond(CADENCE, [[100, 10], [100, 30]]) !== 200) throw new Error();
 * ```
 */
export function stepsPerSecond(cadence: Cadence, window: [number, number][]): number {
  while (window.length > cadence.speedWindow) window.shift();
  const ms = window.reduce((sum, [m]) => sum + m, 0);
  const steps = window.reduce((sum, [, n]) => sum + n, 0);
  return ms > 0 ? (steps * 1000) / ms : 0;
}
