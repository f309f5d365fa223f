/**
 * How often the demo worker trains, draws and scores: the chunk size that keeps Pause heard, the
 * speed window of the steps/s readout, and the scoring cadence (how often a run's full, scored
 * pictures, e.g. MMD^2 of 2,000 samples, are drawn; the policy itself is `score_cadence.ts`). One
 * place the session asks, so that tuning it is one edit.
 *
 * @module
 */
import { MMD2_THRESHOLD } from "./config.ts";
import { SCORE_CADENCE, scoreDue } from "./score_cadence.ts";

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
  viewEveryMs: SCORE_CADENCE.previewEveryMs,
  scoreEveryMs: SCORE_CADENCE.fullEveryMs,
  maxRenderShare: SCORE_CADENCE.maxShare,
  speedWindow: 20,
});

/** When each kind of picture was last drawn, what it cost, and the last numbers it gave. */
export interface RenderClock {
  lastView: number;
  lastScore: number;
  viewMs: number;
  scoreMs: number;
  /** The last quick picture's rough MMD^2 (a view's `estimate`; NaN: none since a score). */
  estimate: number;
  /** The last full MMD^2 (a view's `mmd2`; NaN: none yet). */
  fullMmd2: number;
}

/**
 * A clock that has drawn nothing; `now` starts the wait for the first score (an untrained model's
 * samples are noise, and scoring them would only delay the first steps).
 *
 * @param now The current time in milliseconds.
 * @returns The clock.
 */
export function freshClock(now: number): RenderClock {
  return {
    lastView: -Infinity,
    lastScore: now,
    viewMs: 0,
    scoreMs: 0,
    estimate: NaN,
    fullMmd2: NaN,
  };
}

/**
 * Which picture is due after a chunk: the scored one, a quick one, or none. The policy is
 * `score_cadence.ts`'s: a score on the steady clock, or at once when a quick picture's estimate
 * nears the threshold; each kind of drawing kept to its share of the time.
 *
 * @param cadence The knobs.
 * @param now The current time in milliseconds.
 * @param clock When each kind was last drawn, its cost and its numbers.
 * @returns `score`, `view` or undefined.
 * @example
 * ```ts
 * import { CADENCE, renderDue } from "./cadence.ts";
 * const clock = { lastView: 0, lastScore: 0, viewMs: 10, scoreMs: 100, estimate: NaN, fullMmd2: NaN };
 * if (renderDue(CADENCE, 500, clock) !== undefined) throw new Error("nothing due after 0.5 s");
 * if (renderDue(CADENCE, 1500, clock) !== "view") throw new Error("a picture a second");
 * if (renderDue(CADENCE, 4500, clock) !== "score") throw new Error("a score every 4 s");
 * if (renderDue(CADENCE, 500, { ...clock, estimate: 2.5e-3 }) !== "score") throw new Error("near");
 * ```
 */
export function renderDue(
  cadence: Cadence,
  now: number,
  clock: RenderClock,
): "score" | "view" | undefined {
  const due = scoreDue({
    now,
    lastPreviewAt: clock.lastView,
    lastFullAt: clock.lastScore,
    previewCostMs: clock.viewMs,
    fullCostMs: clock.scoreMs,
    estimate: clock.estimate,
    fullMmd2: clock.fullMmd2,
    threshold: MMD2_THRESHOLD,
  }, {
    ...SCORE_CADENCE,
    previewEveryMs: cadence.viewEveryMs,
    fullEveryMs: cadence.scoreEveryMs,
    maxShare: cadence.maxRenderShare,
  });
  return due === "full" ? "score" : due === "preview" ? "view" : undefined;
}

/**
 * Keeps the numbers the policy reads from a drawing's views: a view's finite `estimate` (a quick
 * picture) and `mmd2` (a score).
 *
 * @param clock The clock to update.
 * @param views What the run drew.
 * @param full Whether it was a scored drawing.
 */
export function noteNumbers(clock: RenderClock, views: unknown[], full: boolean): void {
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
