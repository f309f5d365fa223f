/**
 * Monte Carlo for an expectation over a whole forward path, `\mathbb{E}_{q(x_{1:T} \mid x_0)}[f]`:
 * paths are drawn with the engine's forward sampler (`sampleForwardPath`) from a fixed seed, the
 * body is evaluated on each, and the error bound is {@link K_SE} standard errors of the mean plus
 * the body's own mean error bound. Quadrature cannot do this: the path has T dimensions.
 *
 * @module
 */
import { sampleForwardPath } from "../../../engine/path.ts";
import { type Mixture, mixtureSample } from "../../../engine/mixture.ts";
import type { Rng } from "../../../engine/rng.ts";
import { createRng } from "../../../engine/rng.ts";
import type { Schedule } from "../../../engine/schedule.ts";
import type { Num } from "./num.ts";

/** Standard errors in a Monte Carlo error bound (a 4σ band: a false failure about 1 in 16 000). */
export const K_SE = 4;
/** Paths per expectation: enough that 4 standard errors stay well under a typo's shift. */
export const PATHS = 256;
/** The fixed seed of every path expectation (the check is reproducible). */
export const PATH_SEED = 16;

/**
 * The mean of `body` over paths x_{0:T} drawn from q(x_{1:T} | x_0) (or from q(x_{0:T}) when x_0
 * is drawn from the data), with a k-standard-error bound.
 *
 * @param schedule the forward chain
 * @param x0 the path's start, or the 1-D data q(x_0) to draw it from (paths from q(x_{0:T}))
 * @param body the integrand at one path (x_0, …, x_T), with its error bound
 * @param paths how many paths (at least 2)
 * @returns the estimate with its error bound
 * @example
 * ```ts
 * import { pathExpectation } from "./path_expectation.ts";
 * import { linearSchedule } from "../../../engine/schedule.ts";
 * const s = linearSchedule(10);
 * // E[x_T | x_0] = sqrt(alphaBar_T) x_0
 * const r = pathExpectation(s, 2, (p) => ({ v: p[10], e: 0 }), 2000);
 * if (Math.abs(r.v - Math.sqrt(s.alphaBars[10]) * 2) > r.e) throw new Error(`${r.v} ± ${r.e}`);
 * ```
 */
export function pathExpectation(
  schedule: Schedule,
  x0: number | Mixture,
  body: (path: number[]) => Num,
  paths = PATHS,
): Num {
  const start = typeof x0 === "number" ? () => x0 : (rng: Rng) => mixtureSample(x0, 1, rng).x[0]; // x_0 ~ q(x_0), then the path from it
  if (!(paths >= 2)) {
    throw new RangeError(
      `Cannot estimate a path expectation as paths must be ≥ 2: current value is ${paths}`,
    );
  }
  const rng = createRng(PATH_SEED);
  let sum = 0, sumSq = 0, err = 0;
  for (let i = 0; i < paths; i++) {
    const path = sampleForwardPath(schedule, [start(rng)], rng).map((x) => x[0]); // [T + 1]
    const y = body(path);
    if (!Number.isFinite(y.v)) {
      throw new RangeError(`Cannot estimate a path expectation as the body is ${y.v} on path ${i}`);
    }
    sum += y.v;
    sumSq += y.v * y.v;
    err += y.e;
  }
  const mean = sum / paths;
  const variance = Math.max(0, (sumSq - paths * mean * mean) / (paths - 1));
  return { v: mean, e: K_SE * Math.sqrt(variance / paths) + err / paths };
}
