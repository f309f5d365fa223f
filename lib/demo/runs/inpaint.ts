/**
 * Chapter 2's inpainting with an observed coordinate (`engine/inpaint.ts`): the replacement
 * method pins x_0's observed coordinate to the value (the observed coordinate of every x_{t-1}
 * comes from q(x_{t-1} | x_0), the free one from the model's step), beside the two conditionals it
 * should match: the model's own samples that land within a band of the value, and fresh data in
 * that band. Runs in the worker; the math is engine/'s.
 *
 * @module
 */
import { replacementInpaint } from "../../../engine/inpaint.ts";
import { mmd2 } from "../../../engine/metrics.ts";
import { createRng } from "../../../engine/rng.ts";
import { ddpmSample, type EpsModel } from "../../../engine/samplers.ts";
import type { Schedule } from "../../../engine/schedule.ts";
import { batchReverseMean } from "./panel.ts";
import type { InpaintRequest, InpaintResult } from "./train_types.ts";

/** Half-width of the band around the observed value that the two conditionals are read from. */
export const SLICE_BAND = 0.1;
/** The model's own samples drawn to find those in the band. */
const OWN_SAMPLES = 2000;

/** The points of flat [n, 2] `points` whose coordinate `c` is within `band` of `value`. */
function slice(points: ArrayLike<number>, c: number, value: number, band: number): Float32Array {
  const kept: number[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    if (Math.abs(points[i + c] - value) <= band) kept.push(points[i], points[i + 1]);
  }
  return Float32Array.from(kept);
}

/** The free coordinate of flat [n, 2] points, as [n, 1]. */
const free = (points: ArrayLike<number>, c: number) =>
  Float32Array.from({ length: points.length / 2 }, (_, i) => points[2 * i + 1 - c]);

/** MMD^2 in 1-D, NaN where either side has fewer than two points. */
const mmd2Free = (a: Float32Array, b: Float32Array, c: number) =>
  a.length < 4 || b.length < 4 ? NaN : mmd2(free(a, c), free(b, c), 0.1, 1);

/**
 * Samples x_0 with one coordinate observed, by the replacement method, and the two conditionals
 * it should match.
 *
 * @param model The noise model.
 * @param schedule Its schedule.
 * @param reference Fresh data, flat [m, 2].
 * @param r The observed coordinate and value, count and seed.
 * @returns The pinned samples, both slices and the free coordinate's MMD^2 of each to the data.
 */
export async function pinnedInpaint(
  model: EpsModel,
  schedule: Schedule,
  reference: ArrayLike<number>,
  r: InpaintRequest,
): Promise<InpaintResult> {
  const c = r.coordinate;
  if ((c !== 0 && c !== 1) || !Number.isFinite(r.value)) {
    throw new RangeError(
      `Cannot inpaint as the observation must be coordinate 0 or 1 and a finite value: current value is ${c}, ${r.value}`,
    );
  }
  // The whole batch is one vector of 2n coordinates: every point's coordinate c is observed.
  const observation = {
    indices: Array.from({ length: r.n }, (_, i) => 2 * i + c),
    values: new Float64Array(r.n).fill(r.value),
  };
  const mean = batchReverseMean(model, schedule);
  const pinned = Float32Array.from(
    replacementInpaint(schedule, 2 * r.n, mean, observation, createRng(r.seed)),
  ); // [n, 2]
  const own = await ddpmSample({ model, schedule, n: OWN_SAMPLES, seed: r.seed + 1 });
  const modelSlice = slice(own.samples, c, r.value, SLICE_BAND);
  const dataSlice = slice(reference, c, r.value, SLICE_BAND);
  return {
    pinned,
    modelSlice,
    dataSlice,
    band: SLICE_BAND,
    pinnedMmd2: mmd2Free(pinned, dataSlice, c),
    modelMmd2: mmd2Free(modelSlice, dataSlice, c),
  };
}
