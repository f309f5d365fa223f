/**
 * How often the demo worker trains, draws and scores: the chunk size that keeps Pause heard, the
 * speed window of the steps/s readout, and the scoring cadence (how often a run's full, scored
 * pictures, e.g. MMD^2 of 2,000 samples, are drawn; the policy itself is `score_cadence.ts`). One
 * place the session asks, so that tuning it is one edit.
 *
 * @module
 */
import { MMD2_THRESHOLD } from "./config.ts";
import { SCORE_CADENCE, type ScoreCadencePolicy, type ScoreCadenceState } from "./score_cadence.ts";

/** The knobs: the chunk size and speed window, and the scoring policy's (`score_cadence.ts`). */
export interface Cadence extends ScoreCadencePolicy {
  /** The good-samples threshold on MMD^2 that the scoring policy aims at. */
  threshold: number;
  /** Aim for chunks of about this many milliseconds of training between yields. */
  chunkMs: number;
  /** Most steps in one chunk. */
  maxChunkSteps: number;
  /** Chunks the steps/s readout averages over. */
  speedWindow: number;
}

/** The browser's cadence: about 8 chunks a second, a picture a second, a score every 4 s. */
export const CADENCE: Readonly<Cadence> = Object.freeze({
  ...SCORE_CADENCE,
  threshold: MMD2_THRESHOLD,
  chunkMs: 120,
  maxChunkSteps: 64,
  speedWindow: 20,
});

/**
 * When each kind of picture was last drawn, what it cost, and the last numbers it gave: what
 * `scoreDue` decides by, with the time and the threshold.
 */
export type RenderClock = Omit<ScoreCadenceState, "now" | "threshold">;

/**
 * A clock that has drawn nothing; `now` starts the wait for the first score (an untrained model's
 * samples are noise, and scoring them would only delay the first steps).
 *
 * @param now The current time in milliseconds.
 * @returns The clock.
 */
export function freshClock(now: number): RenderClock {
  return {
    lastPreviewAt: -Infinity,
    lastFullAt: now,
    previewCostMs: 0,
    fullCostMs: 0,
    estimate: NaN,
    fullMmd2: NaN,
  };
}

/**
 * Notes a drawing on the clock: when it ended, what it cost, and the numbers the policy reads
 * from its views (a quick picture's finite `estimate`, a scored one's `mmd2`).
 *
 * @param clock The clock to update.
 * @param views What the run drew.
 * @param full Whether it was a scored drawing.
 * @param end When it ended, in milliseconds.
 * @param ms What it cost.
 */
export function noteDrawing(
  clock: RenderClock,
  views: unknown[],
  full: boolean,
  end: number,
  ms: number,
): void {
  clock.lastPreviewAt = end; // a scored picture is a picture too
  if (full) [clock.lastFullAt, clock.fullCostMs] = [end, ms];
  else clock.previewCostMs = ms;
  clock.estimate = NaN;
  for (const v of views) {
    const { estimate, mmd2 } = (v ?? {}) as { estimate?: unknown; mmd2?: unknown };
    if (!full && typeof estimate === "number" && Number.isFinite(estimate)) {
      clock.estimate = estimate;
    }
    if (full && typeof mmd2 === "number" && Number.isFinite(mmd2)) clock.fullMmd2 = mmd2;
  }
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
