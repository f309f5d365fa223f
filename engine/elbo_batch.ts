/**
 * The ELBO terms of `eq:elbo-terms` for a batch of data points at once, so that a model is called
 * once per t for the whole batch rather than once per point. Per point it is exactly `elboTerms`
 * (`elbo.ts`): the same closed-form KLs and the same order of random draws (t = 2..T, then x_1),
 * so a batch of one point reproduces it to the last bit.
 *
 * @module
 */
import type { ElboTerms } from "./elbo.ts";
import { forwardSample } from "./forward.ts";
import { diagGaussianLogPdf, klDiagGaussians } from "./gaussian.ts";
import { chainVariance, type ReverseChainOptions } from "./path.ts";
import { posteriorMean } from "./posterior.ts";
import type { Rng } from "./rng.ts";
import type { Schedule } from "./schedule.ts";

/** mu_theta(x_t, t) for a whole batch: flat [N, dim] in, flat [N, dim] out. */
export type BatchReverseMean = (xt: Float64Array, t: number) => ArrayLike<number>;

/** The batch-averaged terms, and each point's ELBO (to pair with another per-point quantity). */
export interface BatchElboTerms extends ElboTerms {
  /** ELBO(x_0^(i)) of each point, [N]. */
  elboPerPoint: Float64Array;
}

/**
 * One Monte Carlo draw of the ELBO terms for each of N points, averaged over the points
 * (`eq:elbo-terms`): prior KL in closed form, per t one x_t ~ q(x_t | x_0) per point and the
 * denoising KL in closed form, one x_1 per point for the reconstruction.
 *
 * @param schedule The noise schedule.
 * @param x0 Flat [N, dim] data points.
 * @param dim Dimension of a point.
 * @param reverseMean mu_theta for a batch at step t.
 * @param rng Source of the noise.
 * @param opts The reverse variances sigma_t^2 (default beta_t).
 * @returns The mean terms over the batch and each point's ELBO.
 * @example
 * ```ts
 * import { elboTermsBatch } from "./elbo_batch.ts";
 * import { posteriorMean } from "./posterior.ts";
 * import { createRng } from "./rng.ts";
 * import { linearSchedule } from "./schedule.ts";
 * // the reverse mean that knows x_0 = 0.5 makes every denoising KL vanish with sigma^2 = tilde beta
 * const s = linearSchedule(10), x0 = Float64Array.of(0.5, 0.5);
 * const r = elboTermsBatch(s, x0, 1, (xt, t) => posteriorMean(s, xt, x0, t), createRng(0),
 *   { variance: "betaTilde" });
 * if (Math.max(...r.denoising) > 1e-12 || r.elboPerPoint.length !== 2) throw new Error();
 * ```
 */
export function elboTermsBatch(
  schedule: Schedule,
  x0: ArrayLike<number>,
  dim: number,
  reverseMean: BatchReverseMean,
  rng: Rng,
  opts: ReverseChainOptions = {},
): BatchElboTerms {
  const action = "compute the batch ELBO terms";
  if (!Number.isInteger(dim) || dim < 1 || x0.length === 0 || x0.length % dim !== 0) {
    throw new RangeError(
      `Cannot ${action} as x_0 must be a non-empty flat [N, ${dim}] array: current value is length ${x0.length}`,
    );
  }
  const N = x0.length / dim, T = schedule.T;
  const points = Array.from(
    { length: N },
    (_, i) => Float64Array.from({ length: dim }, (_, j) => x0[i * dim + j]),
  ); // N x [dim]
  const aBarT = schedule.alphaBars[T];
  const perPoint = new Float64Array(N); // [N] running ELBO per point
  let prior = 0;
  for (const x of points) {
    const kl = klDiagGaussians(
      x.map((xi) => Math.sqrt(aBarT) * xi),
      1 - aBarT,
      new Float64Array(dim),
      1,
    );
    prior += kl / N;
  }
  // Draw every x_t in elboTerms' order: point by point, t = 2..T then x_1.
  const xts = points.map((x) => {
    const row: Float64Array[] = [];
    for (let t = 2; t <= T; t++) row[t] = forwardSample(schedule, x, t, rng).xt; // [dim]
    row[1] = forwardSample(schedule, x, 1, rng).xt; // [dim]
    return row;
  });
  const denoising = new Float64Array(T + 1); // [T + 1], index t, mean over points
  const batch = new Float64Array(N * dim); // [N, dim]
  const meansAt = (t: number) => {
    xts.forEach((row, i) => batch.set(row[t], i * dim));
    const mu = reverseMean(batch, t); // [N, dim]
    if (mu.length !== N * dim) {
      throw new RangeError(
        `Cannot ${action} as reverseMean at t = ${t} must return ${
          N * dim
        } numbers: current value is ${mu.length}`,
      );
    }
    return mu;
  };
  for (let t = 2; t <= T; t++) {
    const mu = meansAt(t);
    const sigma2 = chainVariance(schedule, t, opts);
    for (let i = 0; i < N; i++) {
      const muTheta = Float64Array.from({ length: dim }, (_, j) => mu[i * dim + j]); // [dim]
      const kl = klDiagGaussians(
        posteriorMean(schedule, xts[i][t], points[i], t),
        schedule.betaTildes[t],
        muTheta,
        sigma2,
      );
      denoising[t] += kl / N;
      perPoint[i] -= kl;
    }
  }
  const mu1 = meansAt(1);
  const sigma1 = chainVariance(schedule, 1, opts);
  let reconstruction = 0;
  for (let i = 0; i < N; i++) {
    const muTheta = Float64Array.from({ length: dim }, (_, j) => mu1[i * dim + j]); // [dim]
    const logP = diagGaussianLogPdf(points[i], muTheta, sigma1); // \log p(x_0 | x_1)
    reconstruction += logP / N;
    const kl = klDiagGaussians(
      points[i].map((xi) => Math.sqrt(aBarT) * xi),
      1 - aBarT,
      new Float64Array(dim),
      1,
    );
    perPoint[i] += logP - kl;
  }
  const total = denoising.reduce((a, b) => a + b, 0);
  const elbo = reconstruction - prior - total; // L_0 - L_T - \sum_t L_{t-1}
  return { prior, denoising, reconstruction, elbo, elboPerPoint: perPoint };
}
