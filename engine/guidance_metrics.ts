/**
 * What guidance trades, as two numbers for a set of 2-D samples and a labelled mixture
 * (chapter 5, "What the guidance strength trades"):
 * - fidelity: the share of samples that fall in the chosen class's region, the points where the
 *   clean classifier q(y | x_0) (`noisyClassifier` at t = 0) ranks class y first;
 * - diversity: the spread of the samples, their root mean squared distance to their own mean.
 *
 * @module
 */
import { type Mixture, noisyClassifier } from "./mixture.ts";
import { linearSchedule } from "./schedule.ts";

/** Any schedule will do at t = 0 (q(x_0) does not depend on it). */
const CLEAN = linearSchedule(1);

function pointCount(points: ArrayLike<number>, action: string): number {
  if (points.length === 0 || points.length % 2 !== 0) {
    throw new RangeError(
      `Cannot ${action} as the points must be a non-empty flat [n, 2] array: ` +
        `current length is ${points.length}`,
    );
  }
  return points.length / 2;
}

/**
 * The class whose region holds x: argmax_y q(y | x_0 = x) for a labelled mixture.
 *
 * @param m A labelled mixture of dimension 2.
 * @param x The point [x_1, x_2].
 * @returns The most probable class (the lowest one on a tie).
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * import { regionOf } from "./guidance_metrics.ts";
 * const m = createMixture({ weights: [1, 1], means: [[-1, 0], [1, 0]], variances: 0.1, labels: [0, 1] });
 * if (regionOf(m, [0.2, 5]) !== 1) throw new Error("right of the middle is class 1");
 * ```
 */
export function regionOf(m: Mixture, x: ArrayLike<number>): number {
  const p = noisyClassifier(m, CLEAN, 0, [x[0], x[1]]); // q(y | x_0), [C]
  let best = 0;
  for (let y = 1; y < p.length; y++) if (p[y] > p[best]) best = y;
  return best;
}

/**
 * Fidelity: the share of samples in class y's region (see {@link regionOf}).
 *
 * @param m A labelled mixture of dimension 2.
 * @param points Flat [n, 2] samples.
 * @param y The chosen class.
 * @returns A number in [0, 1].
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * import { classFidelity } from "./guidance_metrics.ts";
 * const m = createMixture({ weights: [1, 1], means: [[-1, 0], [1, 0]], variances: 0.1, labels: [0, 1] });
 * if (classFidelity(m, [-2, 0, 0.5, 0, 3, 1, 0.9, -1], 1) !== 0.75) throw new Error("3 of 4");
 * ```
 */
export function classFidelity(m: Mixture, points: ArrayLike<number>, y: number): number {
  const n = pointCount(points, "compute the fidelity");
  if (!m.labels || !m.labels.includes(y)) {
    throw new RangeError(
      `Cannot compute the fidelity as class y must label a component: current value is ${y}`,
    );
  }
  let inside = 0;
  for (let i = 0; i < n; i++) {
    if (regionOf(m, [points[2 * i], points[2 * i + 1]]) === y) inside++;
  }
  return inside / n;
}

/**
 * Diversity: sqrt((1/n) sum_i ||x_i - xbar||^2), the root mean squared distance of the samples to
 * their mean (the square root of the trace of their covariance, with divisor n).
 *
 * @param points Flat [n, 2] samples.
 * @returns The spread, >= 0.
 * @example
 * ```ts
 * import { spread } from "./guidance_metrics.ts";
 * // Four corners of the square [-1, 1]^2: every point is sqrt(2) from the mean.
 * if (Math.abs(spread([-1, -1, -1, 1, 1, -1, 1, 1]) - Math.SQRT2) > 1e-15) throw new Error();
 * ```
 */
export function spread(points: ArrayLike<number>): number {
  const n = pointCount(points, "compute the spread");
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += points[2 * i] / n;
    my += points[2 * i + 1] / n;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += (points[2 * i] - mx) ** 2 + (points[2 * i + 1] - my) ** 2;
  return Math.sqrt(s / n); // \sqrt{\frac1n \sum_i \lVert x_i - \bar x \rVert^2}
}
