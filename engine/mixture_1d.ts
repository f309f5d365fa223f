/**
 * The book's 1-D toy data: three Gaussian bumps of different weights and widths, the mixture that
 * Chapter 1's equation checks and its PosteriorExplorer demo use. Narrow, unequal components make
 * the exact reverse step q(x_{t-1} | x_t) visibly multimodal when beta_t is large.
 *
 * @module
 */

import { createMixture, type Mixture } from "./mixture.ts";

/**
 * q(x_0) = 0.3 N(-2, 0.05) + 0.5 N(0.5, 0.2) + 0.2 N(2.5, 0.02).
 *
 * @example
 * ```ts
 * import { threeBumps } from "./mixture_1d.ts";
 * import { mixtureMean } from "./mixture.ts";
 * if (Math.abs(mixtureMean(threeBumps)[0] - 0.15) > 1e-15) throw new Error("-0.6 + 0.25 + 0.5");
 * ```
 */
export const threeBumps: Mixture = createMixture({
  weights: [0.3, 0.5, 0.2],
  means: [-2, 0.5, 2.5],
  variances: [0.05, 0.2, 0.02],
});
