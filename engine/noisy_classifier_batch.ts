/**
 * The noisy classifier's gradient grad_{x_t} log p(y | x_t) for a whole batch of points, as
 * classifier guidance needs it at every reverse step. Same value as `noisyClassifierGradient`
 * (`eq:classifier-guidance`: grad log q(x_t | y) - grad log q(x_t)), but the class mixture and both
 * noisy marginals are built once per call instead of once per point.
 *
 * @module
 */
import { classMixture, marginalScore, type Mixture } from "./mixture.ts";
import type { Schedule } from "./schedule.ts";

/**
 * grad_{x_t} log p(y | x_t) at each of n points (flat [n, dim]) for a labelled mixture.
 *
 * @param m A labelled mixture.
 * @param schedule The schedule.
 * @param t Step in 0..T (0: the clean classifier).
 * @param points Flat [n, dim] points x_t.
 * @param y The class.
 * @returns Flat [n, dim] gradients.
 * @example
 * ```ts
 * import { createMixture, noisyClassifierGradient } from "./mixture.ts";
 * import { noisyClassifierGradients } from "./noisy_classifier_batch.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const m = createMixture({ weights: [1, 1], means: [[-1, 0], [1, 0]], variances: 0.3, labels: [0, 1] });
 * const s = linearSchedule(10);
 * const g = noisyClassifierGradients(m, s, 4, [0.2, 0.1, -0.5, 1], 1);
 * const one = noisyClassifierGradient(m, s, 4, [-0.5, 1], 1);
 * if (Math.abs(g[2] - one[0]) > 1e-12 || Math.abs(g[3] - one[1]) > 1e-12) throw new Error();
 * ```
 */
export function noisyClassifierGradients(
  m: Mixture,
  schedule: Schedule,
  t: number,
  points: ArrayLike<number>,
  y: number,
): Float64Array {
  const d = m.dim;
  if (points.length % d !== 0) {
    throw new RangeError(
      `Cannot compute classifier gradients as the points must be a flat [n, ${d}] array: ` +
        `current length is ${points.length}`,
    );
  }
  const given = classMixture(m, y); // q(x_0 | y), built once
  const out = new Float64Array(points.length); // [n, dim]
  const x = new Float64Array(d);
  for (let i = 0; i < points.length; i += d) {
    for (let k = 0; k < d; k++) x[k] = points[i + k];
    const c = marginalScore(given, schedule, t, x); // \nabla \log q(x_t | y)
    const g = marginalScore(m, schedule, t, x); // \nabla \log q(x_t)
    for (let k = 0; k < d; k++) out[i + k] = c[k] - g[k]; // \nabla \log p(y | x_t)
  }
  return out;
}
