/**
 * A trained TrainAndSample model as one JSON document: the run's settings, the drawn points (for
 * drawn data), the step it was saved at, and the denoiser's EMA weights in `engine/model_io.ts`'s
 * format. The same text is kept in IndexedDB and written to the exported file.
 *
 * @module
 */
import { type TrainConfig, validateConfig } from "./config.ts";
import { MAX_DRAWN_POINTS } from "./drawn.ts";
import { checkSavedDenoiser } from "../../engine/model_check.ts";

/** The tag and version of a saved run. */
export const SAVED_RUN_FORMAT = "diffusion-book-run/1";

/**
 * Bounds on a saved run, checked before anything is built: the whole text (a model of the book's
 * demos is about 280 kB of it; `engine/model_check.ts` bounds the model itself), the batch and the
 * step budget (the demos use 256 and 4,000), and the drawn points (the drawing's own limit).
 */
export const SAVED_RUN_LIMITS = Object.freeze({
  /** Most characters of the whole saved run (16 MiB of model, plus the rest). */
  maxChars: 17 * 1024 * 1024,
  maxBatchSize: 4096,
  maxStepBudget: 1_000_000,
  maxPoints: MAX_DRAWN_POINTS,
});

/** A saved run. */
export interface SavedRun {
  format: typeof SAVED_RUN_FORMAT;
  config: TrainConfig;
  /** Flat [n, 2] drawn points (drawn data only). */
  points?: number[];
  /** Optimiser steps the model had taken. */
  step: number;
  /** When it was saved (ISO 8601). */
  savedAt: string;
  /** The denoiser, as `saveDenoiser` writes it (JSON text). */
  model: string;
}

/**
 * Reads and checks a saved run.
 *
 * @param text JSON text from IndexedDB or a file.
 * @returns The run.
 * @throws RangeError "Cannot load the saved model as ...: current value is ..." naming what is
 *   wrong: the file's size, the format, the config (with batch and step budget), `step` (a safe
 *   integer >= 0), the drawn points (1 to {@linkcode MAX_DRAWN_POINTS}, finite), and the model
 *   (`engine/model_check.ts`'s `checkSavedDenoiser`: its size fields, finite weights), all before
 *   anything is built, so that the demo refuses a bad file and stays as it was.
 * @example
 * ```ts
 * import { parseSavedRun, SAVED_RUN_FORMAT } from "./saved_run.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * import { MODEL_FORMAT } from "../../engine/model_check.ts";
 * const config = { parameterisation: "eps", hidden: 64, layers: 3, fourierOctaves: 6,
 *   timeEmbedDim: 32, T: 100, numClasses: 0, seed: 1 };
 * const model = JSON.stringify({ format: MODEL_FORMAT, config, weights: {} });
 * const run = { format: SAVED_RUN_FORMAT, config: DEFAULT_CONFIG, step: 5, savedAt: "", model };
 * if (parseSavedRun(JSON.stringify(run)).step !== 5) throw new Error();
 * ```
 */
export function parseSavedRun(text: string): SavedRun {
  const action = "load the saved model";
  const fail = (why: string, value: unknown) =>
    new RangeError(`Cannot ${action} as ${why}: current value is ${value}`);
  if (typeof text !== "string" || text.length > SAVED_RUN_LIMITS.maxChars) {
    throw fail(
      `the file must be at most ${SAVED_RUN_LIMITS.maxChars} characters`,
      typeof text === "string" ? text.length : typeof text,
    );
  }
  let value: SavedRun;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail("it is not JSON", text.slice(0, 40));
  }
  if (value?.format !== SAVED_RUN_FORMAT) {
    throw fail(`the format must be ${SAVED_RUN_FORMAT}`, value?.format);
  }
  if (typeof value.config !== "object" || value.config === null) {
    throw fail("config must be an object", value.config);
  }
  const problems = validateConfig(value.config);
  if (problems.length > 0) throw new RangeError(`Cannot ${action} as ${problems.join("; ")}`);
  const { batchSize, stepBudget } = value.config;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > SAVED_RUN_LIMITS.maxBatchSize) {
    throw fail(`batchSize must be an integer in [1, ${SAVED_RUN_LIMITS.maxBatchSize}]`, batchSize);
  }
  if (
    !Number.isInteger(stepBudget) || stepBudget < 1 || stepBudget > SAVED_RUN_LIMITS.maxStepBudget
  ) {
    throw fail(
      `stepBudget must be an integer in [1, ${SAVED_RUN_LIMITS.maxStepBudget}]`,
      stepBudget,
    );
  }
  if (!Number.isSafeInteger(value.step) || value.step < 0) {
    throw fail("step must be a whole number >= 0 (a safe integer)", value.step);
  }
  if (typeof value.model !== "string") throw fail("model must be JSON text", typeof value.model);
  try { // the model's own bounds, here too: a bad file is refused before the worker sees it
    checkSavedDenoiser(value.model);
  } catch (error) {
    throw new RangeError(
      (error as Error).message.replace(
        /^Cannot load the denoiser as /,
        `Cannot ${action} as in its model, `,
      ),
    );
  }
  if (value.config.dataset === "drawn" || value.points !== undefined) {
    const problem = pointsProblem(value.points);
    if (problem) throw fail(`drawn data ${problem[0]}`, problem[1]);
  }
  return value;
}

/** What is wrong with the drawn points, and the value to show; undefined when nothing. */
function pointsProblem(points: unknown): [string, unknown] | undefined {
  if (!Array.isArray(points)) return ["needs its points as a list of numbers", points];
  const n = points.length / 2;
  if (!Number.isInteger(n) || n < 1 || n > SAVED_RUN_LIMITS.maxPoints) {
    return [
      `needs 1 to ${SAVED_RUN_LIMITS.maxPoints} points (x, y pairs)`,
      `${points.length} numbers`,
    ];
  }
  const bad = points.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
  if (bad >= 0) return [`points must be finite numbers (at index ${bad})`, points[bad]];
  return undefined;
}

/**
 * A file name for an exported run, e.g. `diffusion-swissroll-step4000.json`.
 *
 * @example
 * ```ts
 * import { savedRunFileName } from "./saved_run.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const name = savedRunFileName({ config: DEFAULT_CONFIG, step: 40 });
 * if (name !== "diffusion-swissroll-step40.json") throw new Error(name);
 * ```
 */
export function savedRunFileName(run: Pick<SavedRun, "config" | "step">): string {
  return `diffusion-${run.config.dataset}-step${run.step}.json`;
}
