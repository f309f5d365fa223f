/**
 * The registry of runs the demo worker can build, by the name an island starts it with. A new
 * training demo adds its run file here (CONTRIBUTING.md, "Add a training demo").
 *
 * @module
 */
import type { RunFactory } from "../session.ts";
import { createGuidanceRun } from "./guidance.ts";
import { createParameterisationsRun } from "./parameterisations.ts";
import type { SmallRunParams } from "./small_model.ts";
import { createTrainRun } from "./train.ts";
import type { TrainParams } from "./train_types.ts";

/** Refuses a saved model for a run that cannot load one. */
const fresh = (name: string, init: { model?: string }) => {
  if (init.model !== undefined) {
    throw new RangeError(`Cannot load a saved model into the ${name} run: it trains its own`);
  }
};

/** Every run, by name. */
export const RUNS: Readonly<Record<string, RunFactory>> = Object.freeze({
  train: (params, init) => Promise.resolve(createTrainRun(params as TrainParams, init)),
  parameterisations: (params, init) => {
    fresh("parameterisations", init);
    return Promise.resolve(createParameterisationsRun(params as SmallRunParams));
  },
  guidance: (params, init) => {
    fresh("guidance", init);
    return Promise.resolve(createGuidanceRun(params as SmallRunParams));
  },
});
