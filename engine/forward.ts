/**
 * The forward (noising) process: one step q(x_t | x_{t-1}) and the closed-form marginal
 * q(x_t | x_0). Values are numbers (1-D) or arrays of any length (isotropic noise); arrays come
 * back as Float64Array.
 *
 * @module
 */

import { gaussianEntropy } from "./gaussian.ts";
import type { Rng } from "./rng.ts";
import { assertTimestep, type Schedule } from "./schedule.ts";
import { type Like, map1, map2, type Partner, sum3, type Value } from "./vector.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Draws x_t ~ q(x_t | x_{t-1}) = N(sqrt(alpha_t) x_{t-1}, beta_t I). Implements `eq:forward-kernel`.
 *
 * @param schedule The noise schedule.
 * @param xPrev x_{t-1}.
 * @param t Step in 1..T.
 * @param rng Source of the standard normal noise.
 * @returns x_t, shaped like `xPrev`.
 * @example
 * ```ts
 * import { forwardStep } from "./forward.ts";
 * import { createRng } from "./rng.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * // beta_1 = 1 forgets x_0: x_1 is pure noise, the same draw whatever x_0 is
 * const s = scheduleFromBetas([1]);
 * if (forwardStep(s, 5, 1, createRng(1)) !== forwardStep(s, -5, 1, createRng(1))) throw new Error();
 * ```
 */
export function forwardStep<X extends Value>(
  schedule: Schedule,
  xPrev: X,
  t: number,
  rng: Rng,
): Like<X> {
  assertTimestep(schedule, t);
  const sqrtAlpha = Math.sqrt(schedule.alphas[t]), sqrtBeta = Math.sqrt(schedule.betas[t]);
  return map1(
    "take a forward step",
    "x_{t-1}",
    xPrev,
    (x) => sqrtAlpha * x + sqrtBeta * rng.normal(),
  ); // x_t = \sqrt{\alpha_t} x_{t-1} + \sqrt{\beta_t} z
}

/**
 * Draws x_t ~ q(x_t | x_0) = N(sqrt(alphaBar_t) x_0, (1 - alphaBar_t) I) by reparameterisation,
 * x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps. Implements `eq:forward-marginal`.
 *
 * @param schedule The noise schedule.
 * @param x0 The clean data x_0.
 * @param t Step in 1..T.
 * @param rng Source of eps when `eps` is not given.
 * @param eps Optional noise to use instead of drawing it (same shape as x0).
 * @returns `{ xt, eps }`, both shaped like `x0`.
 * @example
 * ```ts
 * import { forwardSample } from "./forward.ts";
 * import { createRng } from "./rng.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36]); // alphaBar_1 = 0.64
 * const { xt } = forwardSample(s, 1, 1, createRng(0), 1); // 0.8 * 1 + 0.6 * 1
 * if (Math.abs(xt - 1.4) > 1e-15) throw new Error();
 * ```
 */
export function forwardSample<X extends Value>(
  schedule: Schedule,
  x0: X,
  t: number,
  rng: Rng,
  eps?: Partner<X>,
): { xt: Like<X>; eps: Like<X> } {
  assertTimestep(schedule, t);
  const action = "sample q(x_t | x_0)";
  const noise = eps === undefined
    ? map1(action, "x_0", x0, () => rng.normal())
    : map2(action, ["x_0", "eps"], x0, eps, (_x, e) => e);
  const sqrtAlphaBar = Math.sqrt(schedule.alphaBars[t]);
  const sigma = Math.sqrt(1 - schedule.alphaBars[t]);
  const xt = map2<Value>(
    action,
    ["x_0", "eps"],
    x0,
    noise,
    (x, e) => sqrtAlphaBar * x + sigma * e,
  ) as Like<X>; // x_t = \sqrt{\bar\alpha_t} x_0 + \sqrt{1-\bar\alpha_t} \epsilon
  return { xt, eps: noise };
}

/**
 * log q(x_t | x_{t-1}) = log N(x_t; sqrt(alpha_t) x_{t-1}, beta_t I). Implements `eq:forward-kernel`.
 *
 * @example
 * ```ts
 * import { forwardKernelLogPdf } from "./forward.ts";
 * import { gaussianLogPdf } from "./gaussian.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.19]); // sqrt(alpha_1) = 0.9
 * const v = forwardKernelLogPdf(s, 1, 2, 1);
 * if (Math.abs(v - gaussianLogPdf(1, 1.8, 0.19)) > 1e-14) throw new Error();
 * ```
 */
export function forwardKernelLogPdf(
  schedule: Schedule,
  xt: Value,
  xPrev: Value,
  t: number,
): number {
  assertTimestep(schedule, t);
  const sqrtAlpha = Math.sqrt(schedule.alphas[t]), beta = schedule.betas[t];
  const logNorm = -0.5 * (LOG_2PI + Math.log(beta));
  return sum3(
    "evaluate q(x_t | x_{t-1})",
    ["x_t", "x_{t-1}", "x_{t-1}"],
    xt,
    xPrev,
    xPrev,
    (x, p) => logNorm - (x - sqrtAlpha * p) ** 2 / (2 * beta),
  );
}

/**
 * log q(x_t | x_0) = log N(x_t; sqrt(alphaBar_t) x_0, (1 - alphaBar_t) I).
 * Implements `eq:forward-marginal`.
 *
 * @example
 * ```ts
 * import { forwardMarginalLogPdf } from "./forward.ts";
 * import { gaussianLogPdf } from "./gaussian.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.5, 0.5]); // alphaBar_2 = 0.25
 * const v = forwardMarginalLogPdf(s, [0], [2], 2);
 * if (Math.abs(v - gaussianLogPdf(0, 1, 0.75)) > 1e-14) throw new Error();
 * ```
 */
export function forwardMarginalLogPdf(schedule: Schedule, xt: Value, x0: Value, t: number): number {
  assertTimestep(schedule, t);
  const sqrtAlphaBar = Math.sqrt(schedule.alphaBars[t]), v = 1 - schedule.alphaBars[t];
  const logNorm = -0.5 * (LOG_2PI + Math.log(v));
  return sum3(
    "evaluate q(x_t | x_0)",
    ["x_t", "x_0", "x_0"],
    xt,
    x0,
    x0,
    (x, x0i) => logNorm - (x - sqrtAlphaBar * x0i) ** 2 / (2 * v),
  );
}

/**
 * The conditional entropy H_q(X_t | X_0) = (dim / 2) log(2 pi e (1 - alphaBar_t)) of the forward
 * marginal, the same for every x_0. Used by `eq:sd-bound`.
 *
 * @example
 * ```ts
 * import { forwardConditionalEntropy } from "./forward.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const h = forwardConditionalEntropy(scheduleFromBetas([1]), 1, 2); // variance 1: log(2 pi e)
 * if (Math.abs(h - Math.log(2 * Math.PI * Math.E)) > 1e-15) throw new Error();
 * ```
 */
export function forwardConditionalEntropy(schedule: Schedule, t: number, dim = 1): number {
  assertTimestep(schedule, t);
  return gaussianEntropy(1 - schedule.alphaBars[t], dim); // H_q(X_t | X_0)
}
