/**
 * Score matching (Chapter 6): the explicit objective E ||s(x~) - grad log q_sigma(x~)||^2 against
 * the data smoothed with Gaussian noise, and the denoising objective (Vincent, 2011)
 * E ||s(x~) - grad log q(x~ | x)||^2 that needs only the noise. They differ by a constant that does
 * not depend on s: the expected posterior variance of x given x~, over sigma^4. Exact for mixtures.
 *
 * @module
 */
import {
  createMixture,
  type Mixture,
  mixtureLogPdf,
  mixtureResponsibilities,
  mixtureSample,
  mixtureScore,
} from "./mixture.ts";
import { trapezoid } from "./quadrature.ts";
import type { Rng } from "./rng.ts";
import { assertTimestep, type Schedule } from "./schedule.ts";
import { assertPositive } from "./vector.ts";

/**
 * q_sigma = q * N(0, sigma2 I), the data smoothed with Gaussian noise (each component's variance
 * grows by sigma2), `eq:smoothed-data`.
 *
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * import { smoothMixture } from "./score_matching.ts";
 * const m = smoothMixture(createMixture({ weights: [1], means: [0], variances: [0.5] }), 0.25);
 * if (m.variances[0] !== 0.75) throw new Error();
 * ```
 */
export function smoothMixture(m: Mixture, sigma2: number): Mixture {
  assertPositive(sigma2, "smooth a mixture", "sigma2");
  return createMixture({
    weights: m.weights,
    means: m.means,
    variances: m.variances.map((v) => v + sigma2),
    labels: m.labels,
  });
}

/**
 * Var(x | x~) summed over coordinates, for x ~ q (a mixture) and x~ = x + sigma z: the posterior is
 * a mixture with component variances 1/(1/v_k + 1/sigma2), means m_k, weights r_k(x~) under q_sigma;
 * its total variance is sum_k r_k (dim s_k^2 + ||m_k||^2) - ||sum_k r_k m_k||^2.
 *
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * import { denoisingPosteriorVariance } from "./score_matching.ts";
 * // one Gaussian N(0, 1), sigma2 = 1: posterior variance 1/2 everywhere
 * const m = createMixture({ weights: [1], means: [0], variances: [1] });
 * if (Math.abs(denoisingPosteriorVariance(m, 1, [3]) - 0.5) > 1e-15) throw new Error();
 * ```
 */
export function denoisingPosteriorVariance(
  m: Mixture,
  sigma2: number,
  xTilde: ArrayLike<number>,
): number {
  const r = mixtureResponsibilities(smoothMixture(m, sigma2), xTilde);
  const mean = new Float64Array(m.dim);
  let second = 0;
  for (let k = 0; k < r.length; k++) {
    const s2 = 1 / (1 / m.variances[k] + 1 / sigma2); // posterior variance of component k
    for (let i = 0; i < m.dim; i++) {
      const mk = s2 * (m.means[k][i] / m.variances[k] + xTilde[i] / sigma2); // posterior mean
      mean[i] += r[k] * mk;
      second += r[k] * (s2 + mk * mk);
    }
  }
  let m2 = 0;
  for (let i = 0; i < m.dim; i++) m2 += mean[i] * mean[i];
  return second - m2;
}

/**
 * The gap between the denoising and the explicit score-matching objectives, `eq:dsm-equals-esm`,
 * for 1-D mixture data by quadrature: C = integral q_sigma(x~) Var(x | x~) dx~ / sigma^4.
 * Independent of the score model.
 *
 * @param m 1-D mixture data.
 * @param sigma2 Noise variance.
 * @param n Quadrature points over +-(12 sd) (4001).
 * @returns The constant C.
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * import { scoreMatchingGap } from "./score_matching.ts";
 * // N(0, 1) data, sigma2 = 1: Var(x | x~) = 1/2, so C = 1/2
 * const c = scoreMatchingGap(createMixture({ weights: [1], means: [0], variances: [1] }), 1);
 * if (Math.abs(c - 0.5) > 1e-12) throw new Error(`${c}`);
 * ```
 */
export function scoreMatchingGap(m: Mixture, sigma2: number, n = 4001): number {
  if (m.dim !== 1) {
    throw new RangeError(
      `Cannot compute the score-matching gap by quadrature as the data must be 1-D: current value is dim ${m.dim}`,
    );
  }
  const q = smoothMixture(m, sigma2);
  const [lo, hi] = quadratureRange(q);
  const f = (x: number) =>
    Math.exp(mixtureLogPdf(q, x)) * denoisingPosteriorVariance(m, sigma2, [x]);
  return trapezoid(f, lo, hi, n) / (sigma2 * sigma2);
}

/** [lo, hi] covering every component of a 1-D mixture by 12 standard deviations. */
export function quadratureRange(m: Mixture): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let k = 0; k < m.weights.length; k++) {
    const sd = Math.sqrt(m.variances[k]);
    lo = Math.min(lo, m.means[k][0] - 12 * sd);
    hi = Math.max(hi, m.means[k][0] + 12 * sd);
  }
  return [lo, hi];
}

/** A Monte Carlo estimate with its standard error. */
export interface Estimate {
  mean: number;
  stdErr: number;
}

function estimate(values: Float64Array): Estimate {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, stdErr: Math.sqrt(ss / (n - 1) / n) };
}

/**
 * Monte Carlo estimates of both objectives from the same draws x ~ q, x~ = x + sigma z:
 * denoising ||s(x~) + z / sigma||^2 (the conditional score is -z / sigma), explicit
 * ||s(x~) - grad log q_sigma(x~)||^2, and their per-draw difference, whose mean estimates the gap C.
 *
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * import { createRng } from "./rng.ts";
 * import { scoreMatchingLosses } from "./score_matching.ts";
 * const m = createMixture({ weights: [1], means: [[0, 0]], variances: 1 });
 * const r = scoreMatchingLosses(m, 1, (x) => x.map((v) => -v), 20000, createRng(1));
 * // 2-D, C = dim * 1/2 = 1
 * if (Math.abs(r.gap.mean - 1) > 4 * r.gap.stdErr) throw new Error(`${r.gap.mean}`);
 * ```
 */
export function scoreMatchingLosses(
  m: Mixture,
  sigma2: number,
  score: (x: Float64Array) => ArrayLike<number>,
  n: number,
  rng: Rng,
): { denoising: Estimate; explicit: Estimate; gap: Estimate } {
  assertPositive(sigma2, "estimate the score-matching losses", "sigma2");
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(
      `Cannot estimate the score-matching losses as n must be an integer >= 2: current value is ${n}`,
    );
  }
  const q = smoothMixture(m, sigma2), sigma = Math.sqrt(sigma2), d = m.dim;
  const x = mixtureSample(m, n, rng).x; // [n, dim]
  const dsm = new Float64Array(n), esm = new Float64Array(n), gap = new Float64Array(n);
  const xt = new Float64Array(d), z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      z[j] = rng.normal();
      xt[j] = x[i * d + j] + sigma * z[j]; // x~ = x + \sigma z
    }
    const s = score(xt), exact = mixtureScore(q, xt);
    let a = 0, b = 0;
    for (let j = 0; j < d; j++) {
      a += (s[j] + z[j] / sigma) ** 2; // \|s - \nabla \log q(x~ | x)\|^2
      b += (s[j] - exact[j]) ** 2; // \|s - \nabla \log q_\sigma(x~)\|^2
    }
    dsm[i] = a;
    esm[i] = b;
    gap[i] = a - b;
  }
  return { denoising: estimate(dsm), explicit: estimate(esm), gap: estimate(gap) };
}

/**
 * The conditional score of the forward marginal, grad_{x_t} log q(x_t | x_0) =
 * -(x_t - sqrt(alphaBar_t) x_0) / (1 - alphaBar_t): the target of denoising score matching with
 * x~ = x_t.
 *
 * @example
 * ```ts
 * import { conditionalScore } from "./score_matching.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const g = conditionalScore(scheduleFromBetas([0.75]), 1, [1], [2]); // -(1 - 0.5 * 2) / 0.75
 * if (g[0] !== 0) throw new Error();
 * ```
 */
export function conditionalScore(
  schedule: Schedule,
  t: number,
  xt: ArrayLike<number>,
  x0: ArrayLike<number>,
): Float64Array {
  assertTimestep(schedule, t);
  const a = schedule.alphaBars[t], s = Math.sqrt(a);
  return Float64Array.from(xt, (x, i) => -(x - s * x0[i]) / (1 - a));
}

/**
 * The weight that turns denoising score matching at step t into noise prediction, `eq:dsm-eps`:
 * with s = -epsHat / sqrt(1 - alphaBar_t), ||s - grad log q(x_t | x_0)||^2 = ||epsHat - eps||^2 / (1 - alphaBar_t).
 *
 * @example
 * ```ts
 * import { dsmEpsWeight } from "./score_matching.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * if (dsmEpsWeight(scheduleFromBetas([0.75]), 1) !== 1 / 0.75) throw new Error();
 * ```
 */
export function dsmEpsWeight(schedule: Schedule, t: number): number {
  assertTimestep(schedule, t);
  return 1 / (1 - schedule.alphaBars[t]);
}
