/**
 * Gaussian mixtures with isotropic components: the book's exact toy data. Under the forward
 * process every quantity a diffusion model tries to learn is available in closed form for them:
 * the noisy marginal q(x_t), its score, the true reverse kernel q(x_{t-1} | x_t), the posterior
 * q(x_0 | x_t), Tweedie's denoiser, the optimal eps-prediction and the noisy classifier p(y | x_t).
 *
 * Points are numbers (1-D) or arrays of length `dim`. Everything is float64 and uses log-sum-exp.
 *
 * @module
 */

import type { Rng } from "./rng.ts";
import { assertTimestep, type Schedule } from "./schedule.ts";
import { assertFinite, assertPositive, logSumExp, toVector, type Value } from "./vector.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/** A mixture sum_k w_k N(mu_k, v_k I), optionally with an integer class label per component. */
export interface Mixture {
  /** Dimension of a point. */
  readonly dim: number;
  /** Weights w_k, normalised to sum to 1. */
  readonly weights: Float64Array;
  /** Means mu_k, each of length `dim`. */
  readonly means: readonly Float64Array[];
  /** Isotropic variances v_k > 0. */
  readonly variances: Float64Array;
  /** Class y_k of each component (integers >= 0), when given. */
  readonly labels?: Int32Array;
}

/** What `createMixture` accepts. */
export interface MixtureSpec {
  /** Non-negative weights with a positive total (normalised for you). */
  weights: ArrayLike<number>;
  /** One mean per component: numbers for 1-D, arrays for any dimension. */
  means: ArrayLike<Value>;
  /** One variance per component, or one for all; each > 0. */
  variances: ArrayLike<number> | number;
  /** Optional class label per component (integers >= 0). */
  labels?: ArrayLike<number>;
}

/**
 * Builds a mixture, checking every input and normalising the weights.
 *
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * const m = createMixture({ weights: [1, 3], means: [-1, 1], variances: 0.5 });
 * if (m.dim !== 1 || m.weights[1] !== 0.75) throw new Error("weights are normalised");
 * ```
 */
export function createMixture(spec: MixtureSpec): Mixture {
  const action = "create a mixture";
  const K = spec.weights.length;
  if (K < 1) {
    throw new RangeError(`Cannot ${action} as it needs at least one component: current value is 0`);
  }
  if (spec.means.length !== K) {
    throw new RangeError(
      `Cannot ${action} as there must be one mean per weight (${K}): current value is ${spec.means.length}`,
    );
  }
  let total = 0;
  for (let k = 0; k < K; k++) {
    assertPositive(spec.weights[k], action, `weight ${k}`, true);
    total += spec.weights[k];
  }
  if (!(total > 0)) {
    throw new RangeError(
      `Cannot ${action} as the total weight must be > 0: current value is ${total}`,
    );
  }
  const weights = Float64Array.from({ length: K }, (_, k) => spec.weights[k] / total);
  const means = Array.from({ length: K }, (_, k) => {
    const mu = spec.means[k];
    return typeof mu === "number"
      ? toVector([mu], action, `mean ${k}`)
      : toVector(mu, action, `mean ${k}`);
  });
  const dim = means[0].length;
  if (dim < 1) {
    throw new RangeError(`Cannot ${action} as the dimension must be >= 1: current value is 0`);
  }
  means.forEach((mu, k) => {
    if (mu.length !== dim) {
      throw new RangeError(
        `Cannot ${action} as mean ${k} must have length ${dim}: current value is ${mu.length}`,
      );
    }
  });
  const vs = spec.variances;
  if (typeof vs !== "number" && vs.length !== K) {
    throw new RangeError(
      `Cannot ${action} as there must be one variance per component (${K}): current value is ${vs.length}`,
    );
  }
  const variances = Float64Array.from({ length: K }, (_, k) => {
    const v = typeof vs === "number" ? vs : vs[k];
    assertPositive(v, action, `variance ${k}`);
    return v;
  });
  let labels: Int32Array | undefined;
  if (spec.labels !== undefined) {
    if (spec.labels.length !== K) {
      throw new RangeError(
        `Cannot ${action} as there must be one label per component (${K}): current value is ${spec.labels.length}`,
      );
    }
    labels = Int32Array.from({ length: K }, (_, k) => {
      const y = spec.labels![k];
      if (!Number.isInteger(y) || y < 0 || y > 2 ** 31 - 1) {
        throw new RangeError(
          `Cannot ${action} as label ${k} must be an integer >= 0: current value is ${y}`,
        );
      }
      return y;
    });
  }
  return Object.freeze({ dim, weights, means: Object.freeze(means), variances, labels });
}

/** Checks a point and returns it as an array of length m.dim. */
function point(m: Mixture, x: Value, action: string, name = "x"): Float64Array {
  if (typeof x === "number") {
    if (m.dim !== 1) {
      throw new RangeError(
        `Cannot ${action} as ${name} must have length ${m.dim}: current value is ${x}`,
      );
    }
    assertFinite(x, action, name);
    return Float64Array.of(x);
  }
  if (x.length !== m.dim) {
    throw new RangeError(
      `Cannot ${action} as ${name} must have length ${m.dim}: current value is length ${x.length}`,
    );
  }
  return toVector(x, action, name);
}

/** log(w_k N(x; mu_k, v_k I)) for every k. */
function componentLogJoint(m: Mixture, x: Float64Array): Float64Array {
  const out = new Float64Array(m.weights.length);
  for (let k = 0; k < out.length; k++) {
    const mu = m.means[k], v = m.variances[k];
    let d2 = 0;
    for (let i = 0; i < m.dim; i++) d2 += (x[i] - mu[i]) ** 2;
    out[k] = Math.log(m.weights[k]) - 0.5 * m.dim * (LOG_2PI + Math.log(v)) - d2 / (2 * v);
  }
  return out;
}

function normalise(logs: Float64Array): Float64Array {
  const lse = logSumExp(logs);
  return logs.map((l) => Math.exp(l - lse));
}

/**
 * log p(x) = log sum_k w_k N(x; mu_k, v_k I).
 *
 * @example
 * ```ts
 * import { createMixture, mixtureLogPdf } from "./mixture.ts";
 * import { gaussianLogPdf } from "./gaussian.ts";
 * const m = createMixture({ weights: [1], means: [2], variances: [3] });
 * if (Math.abs(mixtureLogPdf(m, 0.5) - gaussianLogPdf(0.5, 2, 3)) > 1e-14) throw new Error();
 * ```
 */
export function mixtureLogPdf(m: Mixture, x: Value): number {
  return logSumExp(componentLogJoint(m, point(m, x, "evaluate a mixture log-density")));
}

/**
 * Responsibilities r_k(x) = w_k N(x; mu_k, v_k I) / p(x) (they sum to 1).
 *
 * @example
 * ```ts
 * import { createMixture, mixtureResponsibilities } from "./mixture.ts";
 * const m = createMixture({ weights: [1, 1], means: [-1, 1], variances: 1 });
 * const r = mixtureResponsibilities(m, 0); // halfway: equal
 * if (Math.abs(r[0] - 0.5) > 1e-15) throw new Error();
 * ```
 */
export function mixtureResponsibilities(m: Mixture, x: Value): Float64Array {
  return normalise(componentLogJoint(m, point(m, x, "compute responsibilities")));
}

/**
 * The score grad_x log p(x) = sum_k r_k(x) (mu_k - x) / v_k.
 *
 * @example
 * ```ts
 * import { createMixture, mixtureScore } from "./mixture.ts";
 * const m = createMixture({ weights: [1], means: [[1, 2]], variances: 2 });
 * const g = mixtureScore(m, [0, 0]); // (mu - x) / v
 * if (Math.abs(g[0] - 0.5) > 1e-15 || Math.abs(g[1] - 1) > 1e-15) throw new Error();
 * ```
 */
export function mixtureScore(m: Mixture, x: Value): Float64Array {
  const xv = point(m, x, "compute a mixture score");
  const r = normalise(componentLogJoint(m, xv));
  const g = new Float64Array(m.dim);
  for (let k = 0; k < r.length; k++) {
    for (let i = 0; i < m.dim; i++) g[i] += (r[k] * (m.means[k][i] - xv[i])) / m.variances[k];
  }
  return g; // [dim] \nabla_x \log p(x)
}

/**
 * Draws n points: pick component k with probability w_k, then x ~ N(mu_k, v_k I).
 *
 * @returns `x` (n * dim, row-major), `component` (n), and `label` (n) when the mixture has labels.
 * @example
 * ```ts
 * import { createMixture, mixtureSample } from "./mixture.ts";
 * import { createRng } from "./rng.ts";
 * const m = createMixture({ weights: [0, 1], means: [[-5, 0], [5, 0]], variances: 1e-6, labels: [0, 1] });
 * const s = mixtureSample(m, 3, createRng(1));
 * if (s.x.length !== 6 || s.component[2] !== 1 || s.label?.[0] !== 1) throw new Error();
 * ```
 */
export function mixtureSample(
  m: Mixture,
  n: number,
  rng: Rng,
): { x: Float64Array; component: Int32Array; label?: Int32Array } {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(
      `Cannot sample a mixture as n must be an integer >= 0: current value is ${n}`,
    );
  }
  const x = new Float64Array(n * m.dim); // [n, dim]
  const component = new Int32Array(n); // [n]
  const label = m.labels ? new Int32Array(n) : undefined; // [n]
  const K = m.weights.length;
  for (let j = 0; j < n; j++) {
    let u = rng.uniform(), k = 0;
    while (k < K - 1 && (u >= m.weights[k] || m.weights[k] === 0)) {
      u -= m.weights[k];
      k++;
    }
    while (m.weights[k] === 0) k--; // rounding at the end of the list: last positive weight
    component[j] = k;
    if (label) label[j] = m.labels![k];
    const sd = Math.sqrt(m.variances[k]);
    for (let i = 0; i < m.dim; i++) x[j * m.dim + i] = m.means[k][i] + sd * rng.normal();
  }
  return label ? { x, component, label } : { x, component };
}

/**
 * The mean sum_k w_k mu_k.
 *
 * @example
 * ```ts
 * import { createMixture, mixtureMean } from "./mixture.ts";
 * const m = createMixture({ weights: [1, 3], means: [-1, 1], variances: 1 });
 * if (mixtureMean(m)[0] !== 0.5) throw new Error("-0.25 + 0.75");
 * ```
 */
export function mixtureMean(m: Mixture): Float64Array {
  const mean = new Float64Array(m.dim);
  m.weights.forEach((w, k) => {
    for (let i = 0; i < m.dim; i++) mean[i] += w * m.means[k][i];
  });
  return mean; // [dim]
}

/**
 * The covariance sum_k w_k (v_k I + mu_k mu_k^T) - mu mu^T, row-major (dim * dim).
 *
 * @example
 * ```ts
 * import { createMixture, mixtureCovariance } from "./mixture.ts";
 * const m = createMixture({ weights: [1, 1], means: [[-1, 0], [1, 0]], variances: 0.5 });
 * const c = mixtureCovariance(m); // [[1.5, 0], [0, 0.5]]
 * if (c[0] !== 1.5 || c[1] !== 0 || c[3] !== 0.5) throw new Error();
 * ```
 */
export function mixtureCovariance(m: Mixture): Float64Array {
  const mean = mixtureMean(m), d = m.dim;
  const cov = new Float64Array(d * d); // [dim, dim]
  m.weights.forEach((w, k) => {
    const mu = m.means[k];
    for (let i = 0; i < d; i++) {
      cov[i * d + i] += w * m.variances[k];
      for (let j = 0; j < d; j++) cov[i * d + j] += w * (mu[i] - mean[i]) * (mu[j] - mean[j]);
    }
  });
  return cov;
}

/**
 * Per-coordinate variances (the diagonal of `mixtureCovariance`).
 *
 * @example
 * ```ts
 * import { createMixture, mixtureVariance } from "./mixture.ts";
 * const m = createMixture({ weights: [1, 1], means: [-1, 1], variances: 0.5 });
 * if (mixtureVariance(m)[0] !== 1.5) throw new Error("0.5 + 1");
 * ```
 */
export function mixtureVariance(m: Mixture): Float64Array {
  const cov = mixtureCovariance(m);
  return Float64Array.from({ length: m.dim }, (_, i) => cov[i * m.dim + i]);
}

/**
 * The moment-matched single Gaussian ("its best Gaussian approximation", the one minimising
 * KL(p || N)): the same mean, and, since components are isotropic here, the variance
 * trace(Cov) / dim. In 1-D this matches mean and variance exactly.
 *
 * @example
 * ```ts
 * import { createMixture, gaussianFit } from "./mixture.ts";
 * const g = gaussianFit(createMixture({ weights: [1, 1], means: [-1, 1], variances: 0.5 }));
 * if (g.means[0][0] !== 0 || g.variances[0] !== 1.5) throw new Error();
 * ```
 */
export function gaussianFit(m: Mixture): Mixture {
  const v = mixtureVariance(m).reduce((a, b) => a + b, 0) / m.dim;
  return createMixture({ weights: [1], means: [mixtureMean(m)], variances: [v] });
}

/**
 * Mean log-density (1/n) sum_j log p(x_j) of a data set given row-major as n * dim numbers.
 *
 * @example
 * ```ts
 * import { createMixture, mixtureLogLikelihood, mixtureLogPdf } from "./mixture.ts";
 * const m = createMixture({ weights: [1, 1], means: [-1, 1], variances: 1 });
 * const v = mixtureLogLikelihood(m, [0, 2]);
 * if (Math.abs(v - (mixtureLogPdf(m, 0) + mixtureLogPdf(m, 2)) / 2) > 1e-15) throw new Error();
 * ```
 */
export function mixtureLogLikelihood(m: Mixture, data: ArrayLike<number>): number {
  const action = "compute a mean log-likelihood";
  if (data.length === 0 || data.length % m.dim !== 0) {
    throw new RangeError(
      `Cannot ${action} as the data length must be a positive multiple of ${m.dim}: current value is ${data.length}`,
    );
  }
  const n = data.length / m.dim;
  let s = 0;
  for (let j = 0; j < n; j++) {
    const row = Array.from({ length: m.dim }, (_, i) => data[j * m.dim + i]);
    s += mixtureLogPdf(m, row);
  }
  return s / n;
}

/** Mixtures and schedules are immutable, so q(x_t) is computed once per (mixture, schedule, t). */
const marginalCache = new WeakMap<Mixture, WeakMap<Schedule, Map<number, Mixture>>>();

function assertTimeOrZero(schedule: Schedule, t: number): void {
  if (t !== 0) assertTimestep(schedule, t);
}

/**
 * q(x_t) for mixture data: each component pushed through `eq:forward-marginal`,
 * N(sqrt(alphaBar_t) mu_k, (alphaBar_t v_k + 1 - alphaBar_t) I), same weights and labels.
 * t = 0 returns the data mixture itself.
 *
 * @example
 * ```ts
 * import { createMixture, marginalAt } from "./mixture.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const m = createMixture({ weights: [1], means: [2], variances: [0.5] });
 * const q = marginalAt(m, scheduleFromBetas([0.75]), 1); // alphaBar = 0.25
 * if (q.means[0][0] !== 1 || q.variances[0] !== 0.875) throw new Error("0.25 * 0.5 + 0.75");
 * ```
 */
export function marginalAt(m: Mixture, schedule: Schedule, t: number): Mixture {
  assertTimeOrZero(schedule, t);
  if (t === 0) return m;
  let bySchedule = marginalCache.get(m);
  if (!bySchedule) marginalCache.set(m, bySchedule = new WeakMap());
  let byT = bySchedule.get(schedule);
  if (!byT) bySchedule.set(schedule, byT = new Map());
  const hit = byT.get(t);
  if (hit) return hit;
  const alphaBar = schedule.alphaBars[t], s = Math.sqrt(alphaBar);
  const q = createMixture({
    weights: m.weights,
    means: m.means.map((mu) => mu.map((x) => s * x)), // \sqrt{\bar\alpha_t} \mu_k
    variances: m.variances.map((v) => alphaBar * v + 1 - alphaBar), // \bar\alpha_t v_k + 1 - \bar\alpha_t
    labels: m.labels,
  });
  byT.set(t, q);
  return q;
}

/**
 * grad log q(x_t) at x_t for mixture data (t = 0 gives the data score).
 *
 * @example
 * ```ts
 * import { createMixture, marginalScore } from "./mixture.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const m = createMixture({ weights: [1], means: [0], variances: [1] });
 * // N(0, 1) is stationary: score -x at every t
 * if (Math.abs(marginalScore(m, scheduleFromBetas([0.3, 0.3]), 2, 0.7)[0] + 0.7) > 1e-15) throw new Error();
 * ```
 */
export function marginalScore(m: Mixture, schedule: Schedule, t: number, xt: Value): Float64Array {
  return mixtureScore(marginalAt(m, schedule, t), xt);
}

/**
 * q(x_0 | x_t) for mixture data, a mixture: component k contributes
 * N(x_0; m_k, s_k^2 I) with 1/s_k^2 = 1/v_k + alphaBar_t / (1 - alphaBar_t),
 * m_k = s_k^2 (mu_k / v_k + sqrt(alphaBar_t) x_t / (1 - alphaBar_t)), weighted by the component's
 * responsibility for x_t under q(x_t). Implements `eq:bayes-reverse` (Bayes' rule for x_0).
 *
 * @example
 * ```ts
 * import { createMixture, x0Posterior } from "./mixture.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const m = createMixture({ weights: [1], means: [0], variances: [1] });
 * const p = x0Posterior(m, scheduleFromBetas([0.5]), 1, 2); // precision 1 + 1 = 2, mean 0.5 * sqrt(.5) * 2 / 0.5
 * if (p.variances[0] !== 0.5 || Math.abs(p.means[0][0] - Math.SQRT2) > 1e-15) throw new Error();
 * ```
 */
export function x0Posterior(m: Mixture, schedule: Schedule, t: number, xt: Value): Mixture {
  assertTimestep(schedule, t);
  const x = point(m, xt, "compute q(x_0 | x_t)", "x_t");
  const alphaBar = schedule.alphaBars[t], s = Math.sqrt(alphaBar), n = 1 - alphaBar;
  const r = mixtureResponsibilities(marginalAt(m, schedule, t), x);
  const variances = m.variances.map((v) => 1 / (1 / v + alphaBar / n)); // s_k^2
  const means = m.means.map((mu, k) =>
    mu.map((mi, i) => variances[k] * (mi / m.variances[k] + (s * x[i]) / n))
  );
  return createMixture({ weights: r, means, variances, labels: m.labels });
}

/**
 * The exact reverse kernel q(x_{t-1} | x_t) for mixture data, a mixture: component k contributes
 * its Gaussian posterior q(x_{t-1} | x_t, k) (Bayes with prior N(sqrt(alphaBar_{t-1}) mu_k,
 * (alphaBar_{t-1} v_k + 1 - alphaBar_{t-1}) I) and likelihood N(x_t; sqrt(alpha_t) x_{t-1}, beta_t I)),
 * reweighted by r_k(x_t). Implements `eq:mixture-reverse-kernel` (and so
 * `eq:reverse-as-expectation`: it is E_{q(x_0 | x_t)} q(x_{t-1} | x_t, x_0)). At t = 1 it equals
 * `x0Posterior`.
 *
 * @example
 * ```ts
 * import { createMixture, reverseKernel } from "./mixture.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const m = createMixture({ weights: [1], means: [0], variances: [1] });
 * // N(0, 1) data: q(x_{t-1}|x_t) = N(sqrt(alpha_t) x_t, beta_t)
 * const k = reverseKernel(m, scheduleFromBetas([0.2, 0.36]), 2, 1);
 * if (Math.abs(k.means[0][0] - 0.8) > 1e-15 || Math.abs(k.variances[0] - 0.36) > 1e-15) throw new Error();
 * ```
 */
export function reverseKernel(m: Mixture, schedule: Schedule, t: number, xt: Value): Mixture {
  assertTimestep(schedule, t);
  const x = point(m, xt, "compute q(x_{t-1} | x_t)", "x_t");
  const prev = marginalAt(m, schedule, t - 1); // q(x_{t-1}) per component
  const alpha = schedule.alphas[t], beta = schedule.betas[t], sa = Math.sqrt(alpha);
  const r = mixtureResponsibilities(marginalAt(m, schedule, t), x);
  const variances = prev.variances.map((v) => 1 / (1 / v + alpha / beta)); // posterior variance
  const means = prev.means.map((mu, k) =>
    mu.map((mi, i) => variances[k] * (mi / prev.variances[k] + (sa * x[i]) / beta))
  );
  return createMixture({ weights: r, means, variances, labels: m.labels });
}

/**
 * E[x_0 | x_t], the mean of `x0Posterior` (the exact x_0-prediction). By Tweedie's formula it also
 * equals (x_t + (1 - alphaBar_t) grad log q(x_t)) / sqrt(alphaBar_t). Implements `eq:tweedie-diffusion`.
 *
 * @example
 * ```ts
 * import { createMixture, tweedieMean } from "./mixture.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const m = createMixture({ weights: [1], means: [3], variances: [1e-12] });
 * // a (near) point mass at 3: the denoiser returns 3 wherever x_t is
 * if (Math.abs(tweedieMean(m, scheduleFromBetas([0.5]), 1, -7)[0] - 3) > 1e-9) throw new Error();
 * ```
 */
export function tweedieMean(m: Mixture, schedule: Schedule, t: number, xt: Value): Float64Array {
  return mixtureMean(x0Posterior(m, schedule, t, xt));
}

/**
 * E[eps | x_t] = (x_t - sqrt(alphaBar_t) E[x_0 | x_t]) / sqrt(1 - alphaBar_t): the minimiser of
 * `eq:simple-loss` at this x_t (what a perfect eps-network outputs).
 *
 * @example
 * ```ts
 * import { createMixture, optimalEps } from "./mixture.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const m = createMixture({ weights: [1], means: [0], variances: [1] });
 * // N(0, 1) data: E[eps | x_t] = sqrt(1 - alphaBar_t) x_t
 * if (Math.abs(optimalEps(m, scheduleFromBetas([0.36]), 1, 2)[0] - 1.2) > 1e-14) throw new Error();
 * ```
 */
export function optimalEps(m: Mixture, schedule: Schedule, t: number, xt: Value): Float64Array {
  const mean = tweedieMean(m, schedule, t, xt);
  const x = point(m, xt, "compute E[eps | x_t]", "x_t");
  const s = Math.sqrt(schedule.alphaBars[t]), sigma = Math.sqrt(1 - schedule.alphaBars[t]);
  return mean.map((x0, i) => (x[i] - s * x0) / sigma); // [dim]
}

function numClasses(m: Mixture, action: string): number {
  if (!m.labels) {
    throw new RangeError(
      `Cannot ${action} as the mixture must have labels: current value is undefined`,
    );
  }
  return Math.max(...m.labels) + 1;
}

/**
 * The noisy classifier p(y | x_t) = sum_{k: y_k = y} r_k(x_t) under q(x_t), over classes
 * 0..max label (t = 0 gives the clean classifier). Implements `eq:noisy-classifier`.
 *
 * @example
 * ```ts
 * import { createMixture, noisyClassifier } from "./mixture.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const m = createMixture({ weights: [1, 1, 2], means: [-2, 0, 2], variances: 0.3, labels: [0, 0, 1] });
 * const p = noisyClassifier(m, linearSchedule(10), 3, 0.1);
 * if (Math.abs(p[0] + p[1] - 1) > 1e-15) throw new Error("probabilities sum to 1");
 * ```
 */
export function noisyClassifier(
  m: Mixture,
  schedule: Schedule,
  t: number,
  xt: Value,
): Float64Array {
  const C = numClasses(m, "compute p(y | x_t)");
  const r = mixtureResponsibilities(marginalAt(m, schedule, t), xt);
  const p = new Float64Array(C); // [C]
  r.forEach((rk, k) => (p[m.labels![k]] += rk));
  return p;
}

/**
 * The class-conditional mixture q(x_0 | y): the components labelled y, reweighted.
 *
 * @example
 * ```ts
 * import { classMixture, createMixture } from "./mixture.ts";
 * const m = createMixture({ weights: [1, 1, 2], means: [-2, 0, 2], variances: 0.3, labels: [0, 0, 1] });
 * if (classMixture(m, 0).weights.length !== 2) throw new Error();
 * ```
 */
export function classMixture(m: Mixture, y: number): Mixture {
  const C = numClasses(m, "select a class");
  if (!Number.isInteger(y) || y < 0 || y >= C) {
    throw new RangeError(
      `Cannot select a class as y must be an integer in [0, ${C - 1}]: current value is ${y}`,
    );
  }
  const keep = [...m.labels!.keys()].filter((k) => m.labels![k] === y && m.weights[k] > 0);
  if (keep.length === 0) {
    throw new RangeError(
      `Cannot select a class as class ${y} has no component with positive weight: current value is 0`,
    );
  }
  return createMixture({
    weights: keep.map((k) => m.weights[k]),
    means: keep.map((k) => m.means[k]),
    variances: keep.map((k) => m.variances[k]),
    labels: keep.map(() => y),
  });
}

/**
 * grad log q(x_t | y), the score of the noisy class-conditional marginal. Averaged over
 * p(y | x_t) it gives `marginalScore`. Implements `eq:classifier-guidance` (its conditional score).
 *
 * @example
 * ```ts
 * import { classConditionalScore, createMixture } from "./mixture.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const m = createMixture({ weights: [1, 1], means: [-1, 1], variances: 1, labels: [0, 1] });
 * const g = classConditionalScore(m, scheduleFromBetas([0.5]), 1, 0, 1); // N(sqrt(.5), 1): score sqrt(.5)
 * if (Math.abs(g[0] - Math.SQRT1_2) > 1e-15) throw new Error();
 * ```
 */
export function classConditionalScore(
  m: Mixture,
  schedule: Schedule,
  t: number,
  xt: Value,
  y: number,
): Float64Array {
  return marginalScore(classMixture(m, y), schedule, t, xt);
}

/**
 * grad_{x_t} log p(y | x_t) = grad log q(x_t | y) - grad log q(x_t), the classifier's gradient
 * used by classifier guidance. Implements `eq:classifier-guidance`.
 *
 * @example
 * ```ts
 * import { createMixture, noisyClassifierGradient } from "./mixture.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const m = createMixture({ weights: [1, 1], means: [-1, 1], variances: 1, labels: [0, 1] });
 * const g = noisyClassifierGradient(m, scheduleFromBetas([0.5]), 1, 0, 1);
 * if (!(g[0] > 0)) throw new Error("moving right makes class 1 likelier");
 * ```
 */
export function noisyClassifierGradient(
  m: Mixture,
  schedule: Schedule,
  t: number,
  xt: Value,
  y: number,
): Float64Array {
  const c = classConditionalScore(m, schedule, t, xt, y), g = marginalScore(m, schedule, t, xt);
  return c.map((ci, i) => ci - g[i]); // [dim]
}

/**
 * The guided score gamma grad log q(x_t | y) + (1 - gamma) grad log q(x_t), which equals
 * grad log q(x_t) + gamma grad log p(y | x_t): classifier-free guidance and classifier guidance
 * with the exact noisy classifier coincide for mixture data. gamma = 1 is the conditional score,
 * gamma = 0 the unconditional one. Implements `eq:cfg-score` and `eq:classifier-guidance`.
 *
 * @example
 * ```ts
 * import { classConditionalScore, createMixture, guidedScore } from "./mixture.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const m = createMixture({ weights: [1, 1], means: [-1, 1], variances: 0.2, labels: [0, 1] });
 * const s = linearSchedule(10);
 * const g = guidedScore(m, s, 4, 0.3, 1, 1), c = classConditionalScore(m, s, 4, 0.3, 1);
 * if (Math.abs(g[0] - c[0]) > 1e-12) throw new Error("gamma = 1 is the conditional score");
 * ```
 */
export function guidedScore(
  m: Mixture,
  schedule: Schedule,
  t: number,
  xt: Value,
  y: number,
  gamma: number,
): Float64Array {
  assertFinite(gamma, "compute the guided score", "gamma");
  const c = classConditionalScore(m, schedule, t, xt, y), g = marginalScore(m, schedule, t, xt);
  return c.map((ci, i) => gamma * ci + (1 - gamma) * g[i]); // [dim]
}

/**
 * The mixture proportional to p(x) N(x; center, r I): multiplying the data distribution by a
 * Gaussian factor (e.g. a soft constraint for inpainting). Component k becomes
 * N((mu_k / v_k + c / r) s_k^2, s_k^2 I) with 1/s_k^2 = 1/v_k + 1/r, reweighted by
 * w_k N(mu_k; c, (v_k + r) I). Implements `eq:multiply-distributions`.
 *
 * @example
 * ```ts
 * import { createMixture, multiplyByGaussian } from "./mixture.ts";
 * const m = createMixture({ weights: [1, 1], means: [-3, 3], variances: 1 });
 * const p = multiplyByGaussian(m, 3, 1); // the factor sits on the right component
 * if (!(p.weights[1] > 0.999) || p.means[1][0] !== 3 || p.variances[1] !== 0.5) throw new Error();
 * ```
 */
export function multiplyByGaussian(m: Mixture, center: Value, variance: number): Mixture {
  const action = "multiply a mixture by a Gaussian";
  const c = point(m, center, action, "the center");
  assertPositive(variance, action, "the factor's variance");
  const logW = m.means.map((mu, k) => {
    const v = m.variances[k] + variance;
    let d2 = 0;
    for (let i = 0; i < m.dim; i++) d2 += (mu[i] - c[i]) ** 2;
    return Math.log(m.weights[k]) - 0.5 * m.dim * (LOG_2PI + Math.log(v)) - d2 / (2 * v);
  });
  const variances = m.variances.map((v) => 1 / (1 / v + 1 / variance)); // s_k^2
  const means = m.means.map((mu, k) =>
    mu.map((mi, i) => variances[k] * (mi / m.variances[k] + c[i] / variance))
  );
  return createMixture({
    weights: normalise(Float64Array.from(logW)),
    means,
    variances,
    labels: m.labels,
  });
}
