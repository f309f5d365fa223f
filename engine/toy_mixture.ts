/**
 * Exact 2-D mixture data sets for the demos: the book's fixed toy mixture (five isotropic
 * Gaussians of unequal weight and width, about standardised), and a mixture built from points a
 * reader draws (a small Gaussian around each point, i.e. a kernel density estimate). Both are
 * `Mixture`s, so their density, score and every noisy marginal are exact (`mixture.ts`).
 *
 * @module
 */
import type { Dataset2D } from "./datasets.ts";
import { createMixture, type Mixture, mixtureSample } from "./mixture.ts";

/**
 * The book's 2-D toy mixture: five components, weights 0.3, 0.25, 0.2, 0.15, 0.1, standard
 * deviations 0.1 to 0.3, spread over about [-1.5, 1.5]^2.
 *
 * @returns The mixture (dim 2).
 * @example
 * ```ts
 * import { bookMixture2D } from "./toy_mixture.ts";
 * import { mixtureMean } from "./mixture.ts";
 * const m = bookMixture2D();
 * const mean = mixtureMean(m);
 * if (m.dim !== 2 || Math.hypot(mean[0], mean[1]) > 0.3) throw new Error("about centred");
 * ```
 */
export function bookMixture2D(): Mixture {
  return createMixture({
    weights: [0.3, 0.25, 0.2, 0.15, 0.1],
    means: [[-1.1, -0.7], [0.2, 1.1], [1.2, -0.9], [1.4, 0.7], [-1.3, 0.9]],
    variances: [0.3 ** 2, 0.2 ** 2, 0.15 ** 2, 0.1 ** 2, 0.2 ** 2],
  });
}

/** Standard deviation of the Gaussian put around each drawn point (standardised units). */
export const DRAWN_STD = 0.06;

/**
 * The mixture with one equal-weight Gaussian N(p_i, std^2 I) per drawn point p_i: the data set a
 * reader's drawing stands for.
 *
 * @param points Flat [n, 2] points, n >= 1.
 * @param std Standard deviation around each point (> 0).
 * @returns The mixture (dim 2, n components).
 * @example
 * ```ts
 * import { mixtureFromPoints } from "./toy_mixture.ts";
 * const m = mixtureFromPoints([0, 0, 1, 1], 0.1);
 * if (m.weights.length !== 2 || m.weights[0] !== 0.5 || m.means[1][1] !== 1) throw new Error();
 * ```
 */
export function mixtureFromPoints(points: ArrayLike<number>, std = DRAWN_STD): Mixture {
  if (points.length < 2 || points.length % 2 !== 0) {
    throw new RangeError(
      `Cannot build a mixture from points as it needs a flat [n, 2] array with n >= 1: current value is length ${points.length}`,
    );
  }
  const n = points.length / 2;
  const means = Array.from({ length: n }, (_, i) => [points[2 * i], points[2 * i + 1]]);
  return createMixture({ weights: new Float64Array(n).fill(1), means, variances: std * std });
}

/**
 * A mixture as a 2-D data set generator (flat [n, 2] points).
 *
 * @param m A mixture of dimension 2.
 * @returns The generator.
 * @example
 * ```ts
 * import { bookMixture2D, mixtureDataset } from "./toy_mixture.ts";
 * import { createRng } from "./rng.ts";
 * const x = mixtureDataset(bookMixture2D())(10, createRng(1));
 * if (x.length !== 20) throw new Error("[10, 2]");
 * ```
 */
export function mixtureDataset(m: Mixture): Dataset2D {
  if (m.dim !== 2) {
    throw new RangeError(
      `Cannot use a mixture as a 2-D data set as its dimension must be 2: current value is ${m.dim}`,
    );
  }
  return (n, rng) => mixtureSample(m, n, rng).x;
}
