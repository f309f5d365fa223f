/**
 * Gaussian densities, KL divergences and entropies in float64 (isotropic or diagonal covariance).
 *
 * @module
 */

import { assertFinite, assertPositive, type Value } from "./vector.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * log N(x; mean, variance) for numbers.
 *
 * @param x The point.
 * @param mean The mean.
 * @param variance The variance, > 0.
 * @returns The log-density in nats.
 * @example
 * ```ts
 * import { gaussianLogPdf } from "./gaussian.ts";
 * // log N(0; 0, 1) = -log(2 pi) / 2
 * if (Math.abs(gaussianLogPdf(0, 0, 1) + 0.5 * Math.log(2 * Math.PI)) > 1e-15) throw new Error();
 * ```
 */
export function gaussianLogPdf(x: number, mean: number, variance: number): number {
  const action = "evaluate a Gaussian log-density";
  assertFinite(x, action, "x");
  assertFinite(mean, action, "the mean");
  assertPositive(variance, action, "the variance");
  const d = x - mean;
  return -0.5 * (LOG_2PI + Math.log(variance)) - (d * d) / (2 * variance); // log N(x; m, v)
}

function varianceAt(variance: Value, i: number, n: number, action: string): number {
  if (typeof variance === "number") return variance;
  if (variance.length !== n) {
    throw new RangeError(
      `Cannot ${action} as the variance must have length ${n}: current value is ${variance.length}`,
    );
  }
  return variance[i];
}

/**
 * log N(x; mean, diag(variance)) for arrays; `variance` may be one number (isotropic, v I).
 *
 * @param x The point, length d.
 * @param mean The mean, length d.
 * @param variance Per-coordinate variances (length d) or one variance, all > 0.
 * @returns The log-density in nats.
 * @example
 * ```ts
 * import { diagGaussianLogPdf, gaussianLogPdf } from "./gaussian.ts";
 * const a = diagGaussianLogPdf([1, 2], [0, 0], [1, 4]);
 * const b = gaussianLogPdf(1, 0, 1) + gaussianLogPdf(2, 0, 4);
 * if (Math.abs(a - b) > 1e-14) throw new Error("coordinates are independent");
 * ```
 */
export function diagGaussianLogPdf(
  x: ArrayLike<number>,
  mean: ArrayLike<number>,
  variance: Value,
): number {
  const action = "evaluate a diagonal Gaussian log-density";
  if (x.length !== mean.length) {
    throw new RangeError(
      `Cannot ${action} as the mean must have length ${x.length}: current value is ${mean.length}`,
    );
  }
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = varianceAt(variance, i, x.length, action);
    assertFinite(x[i], action, `x[${i}]`);
    assertFinite(mean[i], action, `mean[${i}]`);
    assertPositive(v, action, `variance[${i}]`);
    const d = x[i] - mean[i];
    s += -0.5 * (LOG_2PI + Math.log(v)) - (d * d) / (2 * v);
  }
  return s;
}

/**
 * KL(N(mu1, diag var1) || N(mu2, diag var2)) in nats, for numbers or arrays (a variance may be
 * one number for an isotropic covariance). Implements the general form behind `eq:kl-equal-cov`:
 * with var1 = var2 = sigma^2 it reduces to ||mu1 - mu2||^2 / (2 sigma^2).
 *
 * @returns 0.5 sum_i [log(v2/v1) + v1/v2 + (mu1 - mu2)^2 / v2 - 1] >= 0.
 * @example
 * ```ts
 * import { klDiagGaussians } from "./gaussian.ts";
 * // equal covariance: ||mu1 - mu2||^2 / (2 sigma^2) = (9 + 16) / (2 * 5) = 2.5
 * if (Math.abs(klDiagGaussians([3, 4], 5, [0, 0], 5) - 2.5) > 1e-15) throw new Error();
 * ```
 */
export function klDiagGaussians(mu1: Value, var1: Value, mu2: Value, var2: Value): number {
  const action = "compute a KL divergence between Gaussians";
  if (typeof mu1 === "number" && typeof mu2 === "number") {
    return klDiagGaussians([mu1], var1, [mu2], var2);
  }
  if (typeof mu1 === "number" || typeof mu2 === "number" || mu1.length !== mu2.length) {
    throw new RangeError(
      `Cannot ${action} as the means must both be numbers or arrays of one length: current value is ${
        typeof mu1 === "number" ? mu1 : `length ${mu1.length}`
      } and ${typeof mu2 === "number" ? mu2 : `length ${mu2.length}`}`,
    );
  }
  const n = mu1.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v1 = varianceAt(var1, i, n, action), v2 = varianceAt(var2, i, n, action);
    assertFinite(mu1[i], action, `mu1[${i}]`);
    assertFinite(mu2[i], action, `mu2[${i}]`);
    assertPositive(v1, action, `var1[${i}]`);
    assertPositive(v2, action, `var2[${i}]`);
    const d = mu1[i] - mu2[i];
    s += 0.5 * (Math.log(v2 / v1) + v1 / v2 + (d * d) / v2 - 1); // KL per coordinate
  }
  return s;
}

/**
 * Differential entropy (nats) of N(mean, v I) in `dim` dimensions, or of N(mean, diag(variance))
 * when `variance` is an array: 0.5 sum_i log(2 pi e v_i). Used by `eq:sd-bound`.
 *
 * @param variance One variance (> 0) or per-coordinate variances.
 * @param dim Dimension when `variance` is a number (default 1).
 * @example
 * ```ts
 * import { gaussianEntropy } from "./gaussian.ts";
 * const h = gaussianEntropy(1, 2); // log(2 pi e)
 * if (Math.abs(h - Math.log(2 * Math.PI * Math.E)) > 1e-15) throw new Error();
 * ```
 */
export function gaussianEntropy(variance: Value, dim = 1): number {
  const action = "compute a Gaussian entropy";
  if (typeof variance === "number") {
    assertPositive(variance, action, "the variance");
    if (!Number.isInteger(dim) || dim < 1) {
      throw new RangeError(
        `Cannot ${action} as dim must be a positive integer: current value is ${dim}`,
      );
    }
    return 0.5 * dim * (LOG_2PI + 1 + Math.log(variance)); // H = d/2 log(2 pi e v)
  }
  let s = 0;
  for (let i = 0; i < variance.length; i++) {
    assertPositive(variance[i], action, `variance[${i}]`);
    s += 0.5 * (LOG_2PI + 1 + Math.log(variance[i]));
  }
  return s;
}
