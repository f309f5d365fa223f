/**
 * The ELBO of a Gaussian reverse chain and its terms (`eq:elbo-terms`):
 *
 *   ELBO(x_0) = E_q[log p(x_0 | x_1)] - KL(q(x_T | x_0) || p(x_T))
 *               - sum_{t=2}^T E_q KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t))
 *             = reconstruction - prior - sum_t denoising[t].
 *
 * `prior` and `denoising[t]` are KL divergences (>= 0, "losses"); `reconstruction` is a
 * log-likelihood. `denoising` is indexed by t with entries 0 and 1 left at 0 (t = 1 is the
 * reconstruction). The chain is p(x_T) = N(0, I), p(x_{t-1} | x_t) = N(mu(x_t, t), sigma_t^2 I);
 * with sigma_t^2 = tilde beta_t, t = 1 would be a point mass, so the reconstruction then uses
 * sigma_1^2 = beta_1 (see `reverseVariance`).
 *
 * For 1-D Gaussian data q(x_0) = N(m, s^2) and a linear reverse mean mu = a_t x_t + b_t every term
 * is a closed form (`exactElboGaussian`), as are log p(x_0) (`exactLogLikelihoodGaussianChain`) and
 * the gap KL(q(x_{1:T} | x_0) || p(x_{1:T} | x_0)) (`exactPathKlGaussian`), so `eq:elbo-identity`
 * can be checked to rounding error.
 *
 * @module
 */

import { forwardConditionalEntropy, forwardSample } from "./forward.ts";
import { diagGaussianLogPdf, gaussianEntropy, klDiagGaussians } from "./gaussian.ts";
import { chainVariance, type ReverseChainOptions, type ReverseMean } from "./path.ts";
import { posteriorMean } from "./posterior.ts";
import { linearChainPosterior } from "./linear_chain_posterior.ts";
import type { Rng } from "./rng.ts";
import type { Schedule } from "./schedule.ts";
import { assertFinite, assertPositive, toVector, type Value } from "./vector.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/** The ELBO and its terms (nats); `elbo = reconstruction - prior - sum(denoising)`. */
export interface ElboTerms {
  /** KL(q(x_T | x_0) || N(0, I)). */
  prior: number;
  /** E KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)) at index t = 2..T; entries 0, 1 are 0. */
  denoising: Float64Array;
  /** E log p(x_0 | x_1). */
  reconstruction: number;
  /** The evidence lower bound. */
  elbo: number;
}

function assemble(prior: number, denoising: Float64Array, reconstruction: number): ElboTerms {
  const total = denoising.reduce((a, b) => a + b, 0);
  return { prior, denoising, reconstruction, elbo: reconstruction - prior - total };
}

/**
 * One Monte Carlo draw of the ELBO terms for a data point x_0: the prior KL in closed form, and
 * for each t one x_t ~ q(x_t | x_0) with the denoising KL in closed form (`eq:kl-equal-cov` when
 * sigma_t^2 = tilde beta_t), plus one x_1 for the reconstruction. Implements `eq:elbo-terms`.
 * The draws are unbiased for the exact terms; average several calls for a tighter estimate.
 *
 * @param schedule The noise schedule.
 * @param x0 The data point.
 * @param reverseMean mu_theta(x_t, t).
 * @param rng Source of the noise.
 * @param opts The reverse variances sigma_t^2 (default beta_t; see `ReverseChainOptions`).
 * @example
 * ```ts
 * import { elboTerms } from "./elbo.ts";
 * import { posteriorMean } from "./posterior.ts";
import { linearChainPosterior } from "./linear_chain_posterior.ts";
 * import { createRng } from "./rng.ts";
 * import { linearSchedule } from "./schedule.ts";
 * // the reverse mean that knows x_0 makes every denoising KL vanish with sigma^2 = tilde beta
 * const s = linearSchedule(10), x0 = [0.5];
 * const r = elboTerms(s, x0, (xt, t) => posteriorMean(s, xt, x0, t), createRng(0), { variance: "betaTilde" });
 * if (Math.max(...r.denoising) > 1e-12) throw new Error();
 * ```
 */
export function elboTerms(
  schedule: Schedule,
  x0: Value,
  reverseMean: ReverseMean,
  rng: Rng,
  opts: ReverseChainOptions = {},
): ElboTerms {
  const action = "compute the ELBO terms";
  const x = toVector(typeof x0 === "number" ? [x0] : x0, action, "x_0");
  const T = schedule.T;
  const aBarT = schedule.alphaBars[T];
  const prior = klDiagGaussians(
    x.map((xi) => Math.sqrt(aBarT) * xi),
    1 - aBarT,
    new Float64Array(x.length),
    1,
  );
  const denoising = new Float64Array(T + 1); // [T + 1], index t
  for (let t = 2; t <= T; t++) {
    const { xt } = forwardSample(schedule, x, t, rng); // [dim]
    const muTheta = toVector(reverseMean(xt, t), action, `reverseMean(x_${t}, ${t})`);
    denoising[t] = klDiagGaussians(
      posteriorMean(schedule, xt, x, t),
      schedule.betaTildes[t],
      muTheta,
      chainVariance(schedule, t, opts),
    );
  }
  const { xt: x1 } = forwardSample(schedule, x, 1, rng);
  const mu1 = toVector(reverseMean(x1, 1), action, "reverseMean(x_1, 1)");
  const reconstruction = diagGaussianLogPdf(x, mu1, chainVariance(schedule, 1, opts));
  return assemble(prior, denoising, reconstruction);
}

/** 1-D Gaussian data q(x_0) = N(mean, variance); variance 0 is the single point x_0 = mean. */
export interface GaussianData {
  mean: number;
  variance: number;
}

/**
 * A 1-D linear-Gaussian reverse chain: p(x_{t-1} | x_t) = N(a[t] x_t + b[t], variance[t]),
 * arrays indexed by t = 1..T (length T + 1, entry 0 unused), with p(x_T) = N(0, 1).
 */
export interface LinearGaussianReverse {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  variance: ArrayLike<number>;
}

function checkData(data: GaussianData, action: string): void {
  assertFinite(data.mean, action, "the data mean");
  assertPositive(data.variance, action, "the data variance", true);
}

function checkReverse(schedule: Schedule, r: LinearGaussianReverse, action: string): void {
  for (const key of ["a", "b", "variance"] as const) {
    if (r[key].length !== schedule.T + 1) {
      throw new RangeError(
        `Cannot ${action} as reverse.${key} must have length T + 1 = ${
          schedule.T + 1
        }: current value is ${r[key].length}`,
      );
    }
  }
  for (let t = 1; t <= schedule.T; t++) {
    assertFinite(r.a[t], action, `reverse.a[${t}]`);
    assertFinite(r.b[t], action, `reverse.b[${t}]`);
    assertPositive(r.variance[t], action, `reverse.variance[${t}]`);
  }
}

/**
 * The reverse mean function x_t -> a[t] x_t + b[t] of a linear chain, for `elboTerms` and `path.ts`.
 *
 * @example
 * ```ts
 * import { linearReverseMean } from "./elbo.ts";
 * const mu = linearReverseMean({ a: [0, 2], b: [0, 1], variance: [0, 1] });
 * if (mu(Float64Array.of(3), 1)[0] !== 7) throw new Error();
 * ```
 */
export function linearReverseMean(reverse: LinearGaussianReverse): ReverseMean {
  return (xt, t) => xt.map((x) => reverse.a[t] * x + reverse.b[t]);
}

/**
 * The true reverse kernels q(x_{t-1} | x_t) of 1-D Gaussian data N(m, s^2), s^2 > 0: each is
 * Gaussian with a linear mean (Bayes with prior q(x_{t-1}) = N(sqrt(alphaBar_{t-1}) m,
 * alphaBar_{t-1} s^2 + 1 - alphaBar_{t-1})). Implements `eq:bayes-reverse` for Gaussian data: the
 * data's reverse conditional, not the x_0-conditioned posterior (`eq:posterior-gaussian`); it is
 * `eq:mixture-reverse-kernel` with one component.
 *
 * @example
 * ```ts
 * import { exactGaussianReverse } from "./elbo.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * // N(0, 1) data is stationary: q(x_{t-1} | x_t) = N(sqrt(alpha_t) x_t, beta_t)
 * const r = exactGaussianReverse(scheduleFromBetas([0.36]), { mean: 0, variance: 1 });
 * if (Math.abs(r.a[1] - 0.8) > 1e-15 || Math.abs(r.variance[1] - 0.36) > 1e-15) throw new Error();
 * ```
 */
export function exactGaussianReverse(
  schedule: Schedule,
  data: GaussianData,
): LinearGaussianReverse {
  const action = "compute the exact Gaussian reverse kernels";
  checkData(data, action);
  assertPositive(data.variance, action, "the data variance");
  const T = schedule.T;
  const a = new Float64Array(T + 1),
    b = new Float64Array(T + 1),
    variance = new Float64Array(T + 1);
  for (let t = 1; t <= T; t++) {
    const aBarPrev = schedule.alphaBars[t - 1],
      alpha = schedule.alphas[t],
      beta = schedule.betas[t];
    const muPrev = Math.sqrt(aBarPrev) * data.mean; // mean of q(x_{t-1})
    const vPrev = aBarPrev * data.variance + 1 - aBarPrev; // variance of q(x_{t-1})
    variance[t] = 1 / (1 / vPrev + alpha / beta);
    a[t] = (variance[t] * Math.sqrt(alpha)) / beta;
    b[t] = (variance[t] * muPrev) / vPrev;
  }
  return { a, b, variance };
}

/**
 * The ELBO terms averaged over 1-D Gaussian data N(m, s^2) (s^2 = 0: one point) for a linear
 * reverse chain, each in closed form: E over x_0 and x_t of quadratics in Gaussians.
 * Implements `eq:elbo-terms`.
 *
 * @example
 * ```ts
 * import { exactElboGaussian } from "./elbo.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * // T = 1, beta = 1: x_1 ~ N(0, 1) independent of x_0 = 0; p(x_0 | x_1) = N(0, 1)
 * const r = exactElboGaussian(scheduleFromBetas([1]), { mean: 0, variance: 0 },
 *   { a: [0, 0], b: [0, 0], variance: [0, 1] });
 * if (r.prior !== 0 || Math.abs(r.elbo + 0.5 * Math.log(2 * Math.PI)) > 1e-15) throw new Error();
 * ```
 */
export function exactElboGaussian(
  schedule: Schedule,
  data: GaussianData,
  reverse: LinearGaussianReverse,
): ElboTerms {
  const action = "compute the exact Gaussian ELBO";
  checkData(data, action);
  checkReverse(schedule, reverse, action);
  const { mean: m, variance: s2 } = data, T = schedule.T;
  // E[(c x_0 + d)^2] for x_0 ~ N(m, s2)
  const sq = (c: number, d: number) => (c * m + d) ** 2 + c * c * s2;
  const aBarT = schedule.alphaBars[T];
  const prior = 0.5 * (-Math.log(1 - aBarT) + (1 - aBarT) + aBarT * (m * m + s2) - 1);
  const denoising = new Float64Array(T + 1); // [T + 1], index t
  for (let t = 2; t <= T; t++) {
    const aBar = schedule.alphaBars[t], bTilde = schedule.betaTildes[t];
    const cX0 = schedule.posteriorCoefX0[t], cXt = schedule.posteriorCoefXt[t];
    const a = reverse.a[t], b = reverse.b[t], v = reverse.variance[t];
    // tilde mu - mu = [(cXt - a) sqrt(aBar) + cX0] x_0 - b + (cXt - a) sqrt(1 - aBar) eps
    const meanSq = sq((cXt - a) * Math.sqrt(aBar) + cX0, -b) + (cXt - a) ** 2 * (1 - aBar);
    denoising[t] = 0.5 * (Math.log(v / bTilde) + bTilde / v - 1) + meanSq / (2 * v);
  }
  const a1 = reverse.a[1],
    b1 = reverse.b[1],
    v1 = reverse.variance[1],
    aBar1 = schedule.alphaBars[1];
  // x_0 - a_1 x_1 - b_1 = (1 - a_1 sqrt(aBar_1)) x_0 - b_1 - a_1 sqrt(1 - aBar_1) eps
  const residualSq = sq(1 - a1 * Math.sqrt(aBar1), -b1) + a1 * a1 * (1 - aBar1);
  const reconstruction = -0.5 * (LOG_2PI + Math.log(v1)) - residualSq / (2 * v1);
  return assemble(prior, denoising, reconstruction);
}

/**
 * Means and variances of the reverse chain's marginals p(x_t), t = 0..T (index t), by
 * M_T = 0, V_T = 1, M_{t-1} = a_t M_t + b_t, V_{t-1} = a_t^2 V_t + sigma_t^2.
 *
 * @example
 * ```ts
 * import { gaussianChainMarginals } from "./elbo.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const r = gaussianChainMarginals(scheduleFromBetas([0.5]), { a: [0, 2], b: [0, 1], variance: [0, 3] });
 * if (r.means[0] !== 1 || r.variances[0] !== 7) throw new Error("4 * 1 + 3");
 * ```
 */
export function gaussianChainMarginals(
  schedule: Schedule,
  reverse: LinearGaussianReverse,
): { means: Float64Array; variances: Float64Array } {
  checkReverse(schedule, reverse, "compute the chain's marginals");
  const T = schedule.T, means = new Float64Array(T + 1), variances = new Float64Array(T + 1);
  variances[T] = 1;
  for (let t = T; t >= 1; t--) {
    means[t - 1] = reverse.a[t] * means[t] + reverse.b[t];
    variances[t - 1] = reverse.a[t] ** 2 * variances[t] + reverse.variance[t];
  }
  return { means, variances };
}

/**
 * E_{x_0 ~ N(m, s^2)} log p(x_0) for a linear-Gaussian reverse chain (s^2 = 0: log p at x_0 = m).
 * It is >= the `exactElboGaussian` ELBO (`eq:elbo-identity`).
 *
 * @example
 * ```ts
 * import { exactLogLikelihoodGaussianChain } from "./elbo.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const v = exactLogLikelihoodGaussianChain(scheduleFromBetas([0.5]), { mean: 0, variance: 0 },
 *   { a: [0, 0], b: [0, 0], variance: [0, 1] });
 * if (Math.abs(v + 0.5 * Math.log(2 * Math.PI)) > 1e-15) throw new Error("log N(0; 0, 1)");
 * ```
 */
export function exactLogLikelihoodGaussianChain(
  schedule: Schedule,
  data: GaussianData,
  reverse: LinearGaussianReverse,
): number {
  checkData(data, "compute the exact log-likelihood");
  const { means, variances } = gaussianChainMarginals(schedule, reverse);
  const M = means[0], V = variances[0];
  return -0.5 * (LOG_2PI + Math.log(V)) - ((data.mean - M) ** 2 + data.variance) / (2 * V);
}

/**
 * KL(q(x_{1:T} | x_0) || p(x_{1:T} | x_0)) for 1-D data point x_0 and a linear-Gaussian reverse
 * chain, from the two T-dimensional Gaussians (dense, O(T^3): meant for small T). It is the gap
 * in `eq:elbo-identity`: log p(x_0) = ELBO(x_0) + this KL.
 *
 * @example
 * ```ts
 * import { exactPathKlGaussian } from "./elbo.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * // T = 1, beta = 1: q(x_1 | x_0) = N(0, 1); p(x_0 | x_1) = N(0, 1) ignores x_1, so
 * // p(x_1 | x_0) = p(x_1) = N(0, 1) too and the KL is 0
 * const kl = exactPathKlGaussian(scheduleFromBetas([1]), 0.3, { a: [0, 0], b: [0, 0], variance: [0, 1] });
 * if (Math.abs(kl) > 1e-15) throw new Error();
 * ```
 */
export function exactPathKlGaussian(
  schedule: Schedule,
  x0: number,
  reverse: LinearGaussianReverse,
): number {
  const action = "compute the path KL";
  assertFinite(x0, action, "x_0");
  checkReverse(schedule, reverse, action);
  const T = schedule.T, n = T; // unknowns x_1..x_T at index t - 1
  // p(x_{1:T} | x_0): precision P and mean, from log p(x_{0:T}) with x_0 fixed
  const post = linearChainPosterior(schedule, x0, reverse);
  const P = post.precision, muP = post.mean, logDetP = post.logDetPrecision; // [T, T], [T]
  // q(x_{1:T} | x_0): mean sqrt(aBar_t) x_0, Cov[x_s, x_t] = sqrt(aBar_t / aBar_s) (1 - aBar_s), s <= t
  const muQ = Float64Array.from({ length: n }, (_, i) => Math.sqrt(schedule.alphaBars[i + 1]) * x0);
  const covQ = (i: number, j: number) => {
    const s = Math.min(i, j) + 1, t = Math.max(i, j) + 1, ab = schedule.alphaBars;
    return Math.sqrt(ab[t] / ab[s]) * (1 - ab[s]);
  };
  let trace = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) trace += P[i * n + j] * covQ(j, i);
  let logDetCovQ = 0;
  for (let t = 1; t <= T; t++) logDetCovQ += Math.log(schedule.betas[t]); // triangular chain
  let quad = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) quad += (muP[i] - muQ[i]) * P[i * n + j] * (muP[j] - muQ[j]);
  }
  return 0.5 * (trace + quad - n - logDetP - logDetCovQ); // KL(q || p), Cov_p = P^{-1}
}

/**
 * The entropy terms of Sohl-Dickstein et al.'s bound (`eq:sd-bound`) for d-dimensional data:
 * H_q(X_T | X_0), H_q(X_1 | X_0) and H_p(X_T) for p(x_T) = N(0, I), and
 * `total` = H_q(X_T | X_0) - H_q(X_1 | X_0) - H_p(X_T).
 * The bound K = -sum_{t>=2} E KL + total holds exactly when p(x_0 | x_1) is the forward kernel
 * run backwards, N(sqrt(alpha_1) x_1, beta_1 I), and E||x_0||^2 = d (then E_q log p(x_T) = -H_p(X_T)
 * and the edge terms cancel); otherwise it is their paper's approximation.
 *
 * @example
 * ```ts
 * import { sdBoundEntropies } from "./elbo.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const e = sdBoundEntropies(scheduleFromBetas([1]), 1); // T = 1: H_q(X_1 | X_0) = H_p = H_q(X_T | X_0)
 * if (Math.abs(e.total + e.hpT) > 1e-15) throw new Error();
 * ```
 */
export function sdBoundEntropies(
  schedule: Schedule,
  dim = 1,
): { hqT: number; hq1: number; hpT: number; total: number } {
  const hqT = forwardConditionalEntropy(schedule, schedule.T, dim);
  const hq1 = forwardConditionalEntropy(schedule, 1, dim);
  const hpT = gaussianEntropy(1, dim);
  return { hqT, hq1, hpT, total: hqT - hq1 - hpT };
}
