/**
 * How far a 1-D Gaussian mixture is from its best Gaussian approximation (the moment-matched fit
 * of `gaussianFit`): the total variation distance and KL(p || fit), both by the trapezoid rule.
 * Chapter 1 uses it on the exact reverse kernel q(x_{t-1} | x_t) (`eq:mixture-reverse-kernel`):
 * the gap is what a Gaussian reverse step p_theta(x_{t-1} | x_t) cannot capture, however well it
 * is trained, and it shrinks as beta_t shrinks.
 *
 * @module
 */

import { gaussianLogPdf } from "./gaussian.ts";
import { gaussianFit, type Mixture, mixtureLogPdf } from "./mixture.ts";

/** The distance between a mixture p and its moment-matched Gaussian g. */
export interface GaussianGap {
  /** TV(p, g) = (1/2) integral |p - g| dx, in [0, 1]. */
  totalVariation: number;
  /** KL(p || g) = integral p log(p / g) dx in nats (>= 0; the smallest over all Gaussians g). */
  kl: number;
  /** The fit's mean (= the mixture's mean). */
  mean: number;
  /** The fit's variance (= the mixture's variance). */
  variance: number;
}

/** Grid points per standard deviation of the narrowest component (and of the fit). */
const POINTS_PER_SD = 24;
/** The grid covers this many standard deviations beyond every component and the fit. */
const SPAN_SDS = 12;
/** The most grid points used (a very narrow component far from the others is the worst case). */
const MAX_POINTS = 200_001;

/**
 * TV and KL between a 1-D mixture and its moment-matched Gaussian, by the trapezoid rule on a
 * uniform grid that covers +-12 sd of every component and of the fit with 24 points per sd of the
 * narrowest (capped at 200,001 points). The KL integrand is smooth, so its error is at round-off
 * level; |p - g| has kinks where the curves cross, so TV converges like h^2 (about 1e-6 here).
 *
 * @param m A mixture with dim = 1.
 * @returns TV, KL and the fit's mean and variance.
 * @example
 * ```ts
 * import { gaussianGap } from "./gaussian_gap.ts";
 * import { createMixture } from "./mixture.ts";
 * const one = gaussianGap(createMixture({ weights: [1], means: [0.3], variances: [2] }));
 * if (one.totalVariation > 1e-12 || Math.abs(one.kl) > 1e-12) throw new Error("a Gaussian is its own fit");
 * const two = gaussianGap(createMixture({ weights: [1, 1], means: [-3, 3], variances: [0.1, 0.1] }));
 * if (!(two.totalVariation > 0.5)) throw new Error("two far-apart bumps are not Gaussian");
 * ```
 */
export function gaussianGap(m: Mixture): GaussianGap {
  if (m.dim !== 1) {
    throw new RangeError(
      `Cannot measure the gap to a Gaussian as the mixture must be 1-D: current value is dim ${m.dim}`,
    );
  }
  const fit = gaussianFit(m);
  const mean = fit.means[0][0], variance = fit.variances[0];
  let lo = mean - SPAN_SDS * Math.sqrt(variance), hi = mean + SPAN_SDS * Math.sqrt(variance);
  let minSd = Math.sqrt(variance);
  m.means.forEach((mu, k) => {
    if (m.weights[k] === 0) return;
    const sd = Math.sqrt(m.variances[k]);
    lo = Math.min(lo, mu[0] - SPAN_SDS * sd);
    hi = Math.max(hi, mu[0] + SPAN_SDS * sd);
    minSd = Math.min(minSd, sd);
  });
  const n = Math.min(MAX_POINTS, Math.ceil(((hi - lo) / minSd) * POINTS_PER_SD) + 1);
  const h = (hi - lo) / (n - 1);
  let tv = 0, kl = 0;
  for (let i = 0; i < n; i++) {
    const x = lo + i * h, w = i === 0 || i === n - 1 ? 0.5 : 1; // trapezoid weights
    const logP = mixtureLogPdf(m, x), logG = gaussianLogPdf(x, mean, variance);
    const p = Math.exp(logP);
    tv += w * Math.abs(p - Math.exp(logG)); // |p - g|
    if (p > 0) kl += w * p * (logP - logG); // p log(p / g)
  }
  return { totalVariation: 0.5 * tv * h, kl: kl * h, mean, variance };
}
