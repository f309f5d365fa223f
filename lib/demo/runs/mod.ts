/**
 * The registry of runs the demo worker can build, by the name an island starts it with. A new
 * training demo adds its run file here (CONTRIBUTING.md, "Add a training demo").
 *
 * @module
 */
import type { Run, RunFactory } from "../session.ts";
import { createGuidanceRun } from "./guidance.ts";
import { createParameterisationsRun } from "./parameterisations.ts";
import type { SmallRunParams } from "./small_model.ts";
import { createTrainRun } from "./train.ts";
import type { TrainParams } from "./train_types.ts";

/** A run that trains its own model: it refuses a saved one. */
function trainsOwn(name: string, create: (params: SmallRunParams) => Run): RunFactory {
  return (params, init) => {
    if (init.model === undefined) return Promise.resolve(create(params as SmallRunParams));
    const why = `Cannot load a saved model into the ${name} run: it trains its own`;
    return Promise.reject(new RangeError(why));
  };
}

/** Every run, by name. */
export const RUNS: Readonly<Record<string, RunFactory>> = Object.freeze({
  train: (params, init) => Promise.resolve(createTrainRun(params as TrainParams, init)),
  parameterisations: trainsOwn("parameterisations", createParameterisationsRun),
  guidance: trainsOwn("guidance", createGuidanceRun),
});
