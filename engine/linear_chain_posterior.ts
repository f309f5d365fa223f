/**
 * The model's posterior over paths, p(x_{1:T} | x_0), for a 1-D linear-Gaussian reverse chain
 * p(x_T) = N(0, 1), p(x_{t-1} | x_t) = N(a_t x_t + b_t, σ_t²): a T-dimensional Gaussian whose
 * precision and information vector are read off log p(x_{0:T}) with x_0 fixed. Its log-density is
 * the second factor of `eq:elbo-identity`'s decomposition p(x_{0:T}) = p(x_0) p(x_{1:T} | x_0),
 * computed without the model marginal p(x_0), so that decomposition can be checked.
 *
 * @module
 */
import type { LinearGaussianReverse } from "./elbo.ts";
import type { Schedule } from "./schedule.ts";
import { assertFinite } from "./vector.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/** p(x_{1:T} | x_0) as a Gaussian: mean, precision (row-major T × T) and its Cholesky factor. */
export interface LinearChainPosterior {
  /** Mean of (x_1, …, x_T), index t − 1. */
  mean: Float64Array;
  /** Precision matrix, row-major T × T. */
  precision: Float64Array;
  /** log det of the precision. */
  logDetPrecision: number;
  /** log p(x_{1:T} | x_0) at a path (x_1, …, x_T). */
  logPdf: (path: ArrayLike<number>) => number;
}

/** In-place Cholesky factor (lower, row-major n × n) of an SPD matrix; returns log det. */
function cholesky(A: Float64Array, n: number): number {
  let logDet = 0;
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j];
    for (let k = 0; k < j; k++) d -= A[j * n + k] ** 2;
    if (!(d > 0)) {
      throw new RangeError(
        `Cannot factor the chain's precision as it must be positive definite: current value is pivot ${d}`,
      );
    }
    const l = Math.sqrt(d);
    A[j * n + j] = l;
    logDet += 2 * Math.log(l);
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= A[i * n + k] * A[j * n + k];
      A[i * n + j] = s / l;
    }
  }
  return logDet;
}

/** Solves L Lᵀ z = y for the Cholesky factor in the lower triangle of L (n × n). */
function choleskySolve(L: Float64Array, n: number, y: Float64Array): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
    z[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * z[k];
    z[i] = s / L[i * n + i];
  }
  return z;
}

/**
 * The Gaussian p(x_{1:T} | x_0) of a linear reverse chain (dense, O(T³): meant for small T).
 *
 * @param schedule the chain's length T
 * @param x0 the observed clean point
 * @param reverse a_t, b_t, σ_t² for t = 1..T (index t)
 * @returns mean, precision and log-density
 * @example
 * ```ts
 * import { linearChainPosterior } from "./linear_chain_posterior.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * // T = 1: p(x_1) = N(0, 1), p(x_0 | x_1) = N(x_1, 1), so p(x_1 | x_0) = N(x_0 / 2, 1 / 2)
 * const p = linearChainPosterior(scheduleFromBetas([0.5]), 2, { a: [0, 1], b: [0, 0], variance: [0, 1] });
 * if (Math.abs(p.mean[0] - 1) > 1e-15 || Math.abs(p.precision[0] - 2) > 1e-15) throw new Error();
 * ```
 */
export function linearChainPosterior(
  schedule: Schedule,
  x0: number,
  reverse: LinearGaussianReverse,
): LinearChainPosterior {
  assertFinite(x0, "form the path posterior", "x_0");
  const T = schedule.T, n = T; // unknowns x_1..x_T at index t - 1
  const P = new Float64Array(n * n), h = new Float64Array(n); // [T, T], [T]
  P[(T - 1) * n + (T - 1)] += 1; // p(x_T) = N(0, 1)
  for (let t = 1; t <= T; t++) {
    const a = reverse.a[t], b = reverse.b[t], w = 1 / reverse.variance[t];
    if (!(w > 0 && Number.isFinite(w) && Number.isFinite(a) && Number.isFinite(b))) {
      throw new RangeError(
        `Cannot form the path posterior as step ${t} must have finite a, b and a positive variance: current value is a=${a}, b=${b}, variance=${
          reverse.variance[t]
        }`,
      );
    }
    const i = t - 1, j = t - 2; // index of x_t, of x_{t-1} (-1 for x_0, which is known)
    P[i * n + i] += w * a * a;
    h[i] -= w * a * b;
    if (j >= 0) {
      P[j * n + j] += w;
      P[i * n + j] -= w * a;
      P[j * n + i] -= w * a;
      h[j] += w * b;
    } else h[i] += w * a * x0;
  }
  const L = P.slice();
  const logDetPrecision = cholesky(L, n);
  const mean = choleskySolve(L, n, h); // P^{-1} h
  const logPdf = (path: ArrayLike<number>) => {
    if (path.length !== n) {
      throw new RangeError(
        `Cannot evaluate p(x_{1:T} | x_0) as the path must have T = ${n} values: current value is ${path.length}`,
      );
    }
    let quad = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) quad += (path[i] - mean[i]) * P[i * n + j] * (path[j] - mean[j]);
    }
    return 0.5 * (logDetPrecision - n * LOG_2PI - quad);
  };
  return { mean, precision: P, logDetPrecision, logPdf };
}

/**
 * The whole path x_{0:T} of a linear-Gaussian reverse chain as one (T + 1)-dimensional Gaussian,
 * optionally multiplied by a Gaussian bump r(x_0) = exp(−(x_0 − center)² / (2 width)) and
 * renormalised: the chain p̃(x_{0:T}) = p(x_{0:T}) r(x_0) / Z_r of `eq:multiplied-chain`, whose x_0
 * marginal is `eq:multiply-distributions`. Dense, O(T³): meant for small T.
 *
 * @param schedule the chain's length T
 * @param reverse a_t, b_t, σ_t² for t = 1..T (index t)
 * @param bump the multiplier's center and width (its variance), or none for p itself
 * @returns the mean (index t) and covariance (row-major (T + 1)², index s·(T + 1) + t)
 * @example
 * ```ts
 * import { linearChainJoint } from "./linear_chain_posterior.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * // T = 1: x_1 ~ N(0, 1), x_0 | x_1 ~ N(x_1, 1): Var x_0 = 2, Cov(x_0, x_1) = 1
 * const j = linearChainJoint(scheduleFromBetas([0.5]), { a: [0, 1], b: [0, 0], variance: [0, 1] });
 * if (Math.abs(j.cov[0] - 2) > 1e-14 || Math.abs(j.cov[1] - 1) > 1e-14) throw new Error();
 * ```
 */
export function linearChainJoint(
  schedule: Schedule,
  reverse: LinearGaussianReverse,
  bump?: { center: number; width: number },
): { mean: Float64Array; cov: Float64Array } {
  const T = schedule.T, n = T + 1;
  const P = new Float64Array(n * n), h = new Float64Array(n); // [T + 1, T + 1], [T + 1]
  P[T * n + T] += 1; // p(x_T) = N(0, 1)
  for (let t = 1; t <= T; t++) {
    const a = reverse.a[t], b = reverse.b[t], w = 1 / reverse.variance[t];
    if (!(w > 0 && Number.isFinite(w) && Number.isFinite(a) && Number.isFinite(b))) {
      throw new RangeError(
        `Cannot form the chain's joint as step ${t} must have finite a, b and a positive variance: current value is a=${a}, b=${b}, variance=${
          reverse.variance[t]
        }`,
      );
    }
    // -(x_{t-1} - a x_t - b)^2 w / 2
    P[(t - 1) * n + (t - 1)] += w;
    P[t * n + t] += w * a * a;
    P[(t - 1) * n + t] -= w * a;
    P[t * n + (t - 1)] -= w * a;
    h[t - 1] += w * b;
    h[t] -= w * a * b;
  }
  if (bump) {
    if (!(bump.width > 0)) {
      throw new RangeError(
        `Cannot multiply the chain by a bump as its width must be > 0: current value is ${bump.width}`,
      );
    }
    P[0] += 1 / bump.width;
    h[0] += bump.center / bump.width;
  }
  const L = P.slice();
  cholesky(L, n);
  const solve = (y: Float64Array) => choleskySolve(L, n, y);
  const cov = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    solve(e).forEach((v, i) => (cov[i * n + j] = v));
  }
  return { mean: solve(h), cov };
}
