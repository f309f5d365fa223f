/**
 * A trained TrainAndSample model as one JSON document: the run's settings, the drawn points (for
 * drawn data), the step it was saved at, and the denoiser's EMA weights in `engine/model_io.ts`'s
 * format. The same text is kept in IndexedDB and written to the exported file.
 *
 * @module
 */
import { type TrainConfig, validateConfig } from "./config.ts";

/** The tag and version of a saved run. */
export const SAVED_RUN_FORMAT = "diffusion-book-run/1";

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
 * @throws RangeError naming what is wrong.
 * @example
 * ```ts
 * import { parseSavedRun, SAVED_RUN_FORMAT } from "./saved_run.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const run = { format: SAVED_RUN_FORMAT, config: DEFAULT_CONFIG, step: 5, savedAt: "", model: "{}" };
 * if (parseSavedRun(JSON.stringify(run)).step !== 5) throw new Error();
 * ```
 */
export function parseSavedRun(text: string): SavedRun {
  const action = "load the saved model";
  let value: SavedRun;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RangeError(
      `Cannot ${action} as it is not JSON: current value is ${text.slice(0, 40)}`,
    );
  }
  if (value?.format !== SAVED_RUN_FORMAT) {
    throw new RangeError(
      `Cannot ${action} as the format must be ${SAVED_RUN_FORMAT}: current value is ${value?.format}`,
    );
  }
  const problems = validateConfig(value.config ?? {});
  if (problems.length > 0) throw new RangeError(`Cannot ${action} as ${problems.join("; ")}`);
  if (!Number.isInteger(value.step) || value.step < 0) {
    throw new RangeError(
      `Cannot ${action} as step must be an integer >= 0: current value is ${value.step}`,
    );
  }
  if (typeof value.model !== "string") {
    throw new RangeError(
      `Cannot ${action} as model must be JSON text: current value is ${typeof value.model}`,
    );
  }
  if (
    value.config.dataset === "drawn" && !(Array.isArray(value.points) && value.points.length >= 2)
  ) {
    throw new RangeError(
      `Cannot ${action} as drawn data needs its points: current value is ${value.points}`,
    );
  }
  return value;
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
