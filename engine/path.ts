/**
 * Whole trajectories x_0, x_1, ..., x_T: their log-densities under the forward chain q and a
 * Gaussian reverse chain p, and the importance-weighted path integral of Sohl-Dickstein et al.
 * (2015): p(x_0) = E_{q(x_{1:T} | x_0)} [ p(x_T) prod_t p(x_{t-1} | x_t) / q(x_t | x_{t-1}) ].
 *
 * The reverse chain is p(x_T) = N(0, I), p(x_{t-1} | x_t) = N(reverseMean(x_t, t), sigma_t^2 I),
 * with sigma_t^2 from `reverseVariance` (t = 1 uses beta_1 under "betaTilde").
 *
 * @module
 */

import { forwardKernelLogPdf } from "./forward.ts";
import { diagGaussianLogPdf } from "./gaussian.ts";
import { reverseVariance, type ReverseVarianceChoice } from "./parameterisation.ts";
import type { Rng } from "./rng.ts";
import type { Schedule } from "./schedule.ts";
import { logSumExp, toVector, type Value } from "./vector.ts";

/** The mean mu_theta(x_t, t) of a Gaussian reverse step, t in 1..T. */
export type ReverseMean = (xt: Float64Array, t: number) => ArrayLike<number>;

/** Options of a Gaussian reverse chain. */
export interface ReverseChainOptions {
  /**
   * sigma_t^2: "beta" (default), "betaTilde" (beta_1 at t = 1), one number for every t, or an
   * array indexed by t = 1..T (length T + 1, e.g. a `LinearGaussianReverse`'s `variance`).
   */
  variance?: ReverseVarianceChoice | ArrayLike<number>;
}

/**
 * sigma_t^2 of a reverse chain under `opts` (see `ReverseChainOptions`).
 *
 * @example
 * ```ts
 * import { chainVariance } from "./path.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const s = linearSchedule(2);
 * if (chainVariance(s, 2, { variance: [0, 0.1, 0.3] }) !== 0.3) throw new Error();
 * if (chainVariance(s, 2, {}) !== s.betas[2]) throw new Error("beta_t by default");
 * ```
 */
export function chainVariance(schedule: Schedule, t: number, opts: ReverseChainOptions): number {
  const v = opts.variance ?? "beta";
  if (typeof v === "string" || typeof v === "number") return reverseVariance(schedule, t, v);
  if (v.length !== schedule.T + 1) {
    throw new RangeError(
      `Cannot choose the reverse variance as the array must have length T + 1 = ${
        schedule.T + 1
      }: current value is ${v.length}`,
    );
  }
  return reverseVariance(schedule, t, v[t]);
}

/** Checks a path x_0..x_T and returns it as T + 1 arrays of one length. */
export function toPath(schedule: Schedule, path: ArrayLike<Value>, action: string): Float64Array[] {
  if (path.length !== schedule.T + 1) {
    throw new RangeError(
      `Cannot ${action} as the path must hold x_0..x_T (${
        schedule.T + 1
      } states): current value is ${path.length}`,
    );
  }
  const out = Array.from({ length: path.length }, (_, t) => {
    const x = path[t];
    return toVector(typeof x === "number" ? [x] : x, action, `x_${t}`);
  });
  out.forEach((x, t) => {
    if (x.length !== out[0].length) {
      throw new RangeError(
        `Cannot ${action} as x_${t} must have length ${
          out[0].length
        }: current value is ${x.length}`,
      );
    }
  });
  return out;
}

/**
 * Draws a forward path x_0, x_1, ..., x_T from q(x_{1:T} | x_0), one kernel step at a time.
 *
 * @example
 * ```ts
 * import { sampleForwardPath } from "./path.ts";
 * import { createRng } from "./rng.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const p = sampleForwardPath(linearSchedule(5), [1, 2], createRng(0));
 * if (p.length !== 6 || p[0][1] !== 2 || p[5].length !== 2) throw new Error();
 * ```
 */
export function sampleForwardPath(schedule: Schedule, x0: Value, rng: Rng): Float64Array[] {
  const path = [toVector(typeof x0 === "number" ? [x0] : x0, "sample a forward path", "x_0")];
  for (let t = 1; t <= schedule.T; t++) {
    const a = Math.sqrt(schedule.alphas[t]), s = Math.sqrt(schedule.betas[t]);
    path.push(path[t - 1].map((x) => a * x + s * rng.normal())); // x_t ~ q(x_t | x_{t-1})
  }
  return path;
}

/**
 * log q(x_{1:T} | x_0) = sum_t log q(x_t | x_{t-1}) for a path x_0..x_T.
 *
 * @example
 * ```ts
 * import { logQPath } from "./path.ts";
 * import { gaussianLogPdf } from "./gaussian.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36, 0.36]);
 * const v = logQPath(s, [1, 0.5, 0]);
 * const w = gaussianLogPdf(0.5, 0.8, 0.36) + gaussianLogPdf(0, 0.4, 0.36);
 * if (Math.abs(v - w) > 1e-14) throw new Error();
 * ```
 */
export function logQPath(schedule: Schedule, path: ArrayLike<Value>): number {
  const xs = toPath(schedule, path, "evaluate log q(x_{1:T} | x_0)");
  let s = 0;
  for (let t = 1; t <= schedule.T; t++) s += forwardKernelLogPdf(schedule, xs[t], xs[t - 1], t);
  return s;
}

/**
 * log p(x_{0:T}) = log N(x_T; 0, I) + sum_t log N(x_{t-1}; reverseMean(x_t, t), sigma_t^2 I).
 *
 * @example
 * ```ts
 * import { logPPath } from "./path.ts";
 * import { gaussianLogPdf } from "./gaussian.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.5]);
 * const v = logPPath(s, [1, 2], (x) => x.map((xi) => xi / 2));
 * const w = gaussianLogPdf(2, 0, 1) + gaussianLogPdf(1, 1, 0.5);
 * if (Math.abs(v - w) > 1e-14) throw new Error();
 * ```
 */
export function logPPath(
  schedule: Schedule,
  path: ArrayLike<Value>,
  reverseMean: ReverseMean,
  opts: ReverseChainOptions = {},
): number {
  const action = "evaluate log p(x_{0:T})";
  const xs = toPath(schedule, path, action);
  let s = diagGaussianLogPdf(xs[schedule.T], new Float64Array(xs[0].length), 1); // log p(x_T)
  for (let t = 1; t <= schedule.T; t++) {
    const mean = toVector(reverseMean(xs[t], t), action, `reverseMean(x_${t}, ${t})`);
    s += diagGaussianLogPdf(xs[t - 1], mean, chainVariance(schedule, t, opts));
  }
  return s;
}

/**
 * The log importance weight of a path, log [p(x_{0:T}) / q(x_{1:T} | x_0)]: its expectation
 * under q(x_{1:T} | x_0) is the ELBO, and the log of the mean of its exponential is log p(x_0).
 * Implements `eq:path-integral`.
 *
 * @example
 * ```ts
 * import { logPathWeight, logPPath, logQPath } from "./path.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const s = linearSchedule(2), path = [0.1, 0.2, 0.3], mean = (x: Float64Array) => x;
 * const w = logPathWeight(s, path, mean);
 * if (Math.abs(w - (logPPath(s, path, mean) - logQPath(s, path))) > 1e-14) throw new Error();
 * ```
 */
export function logPathWeight(
  schedule: Schedule,
  path: ArrayLike<Value>,
  reverseMean: ReverseMean,
  opts: ReverseChainOptions = {},
): number {
  return logPPath(schedule, path, reverseMean, opts) - logQPath(schedule, path);
}

/**
 * Estimates log p(x_0) by the path integral with n forward paths:
 * log (1/n) sum_j exp(w_j), w_j = `logPathWeight` of path j (consistent; biased low for finite n
 * by Jensen). Implements `eq:path-integral`.
 *
 * @returns `logP` (the estimate) and the `logWeights` of the n paths.
 * @example
 * ```ts
 * import { pathIntegralLogLikelihood } from "./path.ts";
 * import { createRng } from "./rng.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * import { gaussianLogPdf } from "./gaussian.ts";
 * // beta_1 = 1 and mean 0: p(x_0) = N(0, 1) exactly, and every weight equals it
 * const r = pathIntegralLogLikelihood(scheduleFromBetas([1]), 0.5, (x) => x.map(() => 0), 4, createRng(1));
 * if (Math.abs(r.logP - gaussianLogPdf(0.5, 0, 1)) > 1e-12) throw new Error();
 * ```
 */
export function pathIntegralLogLikelihood(
  schedule: Schedule,
  x0: Value,
  reverseMean: ReverseMean,
  n: number,
  rng: Rng,
  opts: ReverseChainOptions = {},
): { logP: number; logWeights: Float64Array } {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(
      `Cannot estimate the path integral as n must be a positive integer: current value is ${n}`,
    );
  }
  const logWeights = new Float64Array(n); // [n]
  for (let j = 0; j < n; j++) {
    logWeights[j] = logPathWeight(
      schedule,
      sampleForwardPath(schedule, x0, rng),
      reverseMean,
      opts,
    );
  }
  return { logP: logSumExp(logWeights) - Math.log(n), logWeights };
}
