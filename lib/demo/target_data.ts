/**
 * The data a training run learns and its schedule, in pure TypeScript: the run's pool and exact
 * score field come from here, and an island draws the same target (and, for mixtures, the exact
 * field) before anything has trained.
 *
 * @module
 */
import { createRng } from "../../engine/rng.ts";
import { type Dataset2D, datasetByName } from "../../engine/datasets.ts";
import { marginalScore, type Mixture } from "../../engine/mixture.ts";
import { cosineSchedule, linearSchedule, type Schedule } from "../../engine/schedule.ts";
import { FIELD_SIDE, fieldGrid } from "./field.ts";
import { bookMixture2D, mixtureDataset, mixtureFromPoints } from "../../engine/toy_mixture.ts";
import { ENGINE_DATASET, type TrainConfig } from "./config.ts";

/**
 * The data of a run: a generator, and the exact mixture when the data set is one.
 *
 * @param config The settings.
 * @param points Flat [n, 2] drawn points (the `drawn` data set).
 * @returns The generator and the mixture (undefined for the sampled data sets).
 * @example
 * ```ts
 * import { dataOf } from "./target_data.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const { mixture } = dataOf({ ...DEFAULT_CONFIG, dataset: "drawn" }, [0, 0, 1, 1]);
 * if (mixture?.weights.length !== 2) throw new Error("one component per drawn point");
 * ```
 */
export function dataOf(
  config: TrainConfig,
  points?: number[],
): { sampleData: Dataset2D; mixture?: Mixture } {
  if (config.dataset === "mixture" || config.dataset === "drawn") {
    if (config.dataset === "drawn" && !(points && points.length >= 2)) {
      throw new RangeError(
        `Cannot train on drawn points as none were drawn: current value is ${
          points?.length ?? 0
        } numbers`,
      );
    }
    const mixture = config.dataset === "mixture" ? bookMixture2D() : mixtureFromPoints(points!);
    return { sampleData: mixtureDataset(mixture), mixture };
  }
  return { sampleData: datasetByName(ENGINE_DATASET[config.dataset]) };
}

/**
 * Points of a run's target data to draw before training (seeded apart from the training pool).
 *
 * @param config The settings.
 * @param points Flat [n, 2] drawn points (the `drawn` data set; none drawn yet: no points).
 * @param n How many points.
 * @returns Flat [n, 2] points, or an empty array when there is nothing to draw.
 * @example
 * ```ts
 * import { targetPoints } from "./target_data.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * if (targetPoints(DEFAULT_CONFIG, undefined, 10).length !== 20) throw new Error("[10, 2]");
 * ```
 */
export function targetPoints(
  config: TrainConfig,
  points: number[] | undefined,
  n: number,
): Float64Array {
  if (config.dataset === "drawn" && !(points && points.length >= 2)) return new Float64Array(0);
  return Float64Array.from(dataOf(config, points).sampleData(n, createRng(config.seed + 31)));
}

/**
 * The schedule of a run's settings.
 *
 * @example
 * ```ts
 * import { scheduleOf } from "./target_data.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * if (scheduleOf({ ...DEFAULT_CONFIG, T: 50 }).T !== 50) throw new Error("T = 50");
 * ```
 */
export function scheduleOf(config: TrainConfig): Schedule {
  return config.schedule === "cosine" ? cosineSchedule(config.T) : linearSchedule(config.T);
}

/**
 * The exact score field grad log q(x_t) of a mixture on the `side` x `side` grid of `field.ts`.
 *
 * @param mixture The data's mixture.
 * @param schedule The noise schedule.
 * @param t The time step.
 * @param side Grid side.
 * @returns Flat [side^2, 2] vectors.
 * @example
 * ```ts
 * import { exactScoreField, scheduleOf } from "./target_data.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * import { bookMixture2D } from "../../engine/toy_mixture.ts";
 * const f = exactScoreField(bookMixture2D(), scheduleOf(DEFAULT_CONFIG), 10, 3);
 * if (f.length !== 18 || !f.every(Number.isFinite)) throw new Error("[9, 2] finite");
 * ```
 */
export function exactScoreField(
  mixture: Mixture,
  schedule: Schedule,
  t: number,
  side = FIELD_SIDE,
): Float32Array {
  const grid = fieldGrid(side); // [side^2, 2]
  const n = grid.length / 2;
  const exact = new Float32Array(2 * n); // [n, 2] \nabla \log q(x_t)
  for (let i = 0; i < n; i++) {
    exact.set(marginalScore(mixture, schedule, t, grid.subarray(2 * i, 2 * i + 2)), 2 * i);
  }
  return exact;
}
