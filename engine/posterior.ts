/**
 * The forward posterior q(x_{t-1} | x_t, x_0) = N(tilde mu_t(x_t, x_0), tilde beta_t I): Gaussian
 * once x_0 is known, although q(x_{t-1} | x_t) is not.
 *
 * At t = 1, tilde beta_1 = (1 - alphaBar_0) / (1 - alphaBar_1) beta_1 = 0: given x_0 the "previous"
 * state is x_0 itself, a point mass. `posteriorMean` returns x_0 exactly there and
 * `posteriorLogPdf` refuses (a point mass has no density).
 *
 * @module
 */

import { assertTimestep, type Schedule } from "./schedule.ts";
import { type Like, map2, type Partner, sum3, type Value } from "./vector.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * tilde mu_t(x_t, x_0) = sqrt(alphaBar_{t-1}) beta_t / (1 - alphaBar_t) x_0
 *   + sqrt(alpha_t) (1 - alphaBar_{t-1}) / (1 - alphaBar_t) x_t. Implements `eq:posterior-mean`.
 * At t = 1 it is x_0 (returned exactly, without rounding in the coefficients).
 *
 * @param schedule The noise schedule.
 * @param xt x_t.
 * @param x0 x_0, shaped like x_t.
 * @param t Step in 1..T.
 * @returns tilde mu_t, shaped like x_t.
 * @example
 * ```ts
 * import { posteriorMean } from "./posterior.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * // beta = (0.5, 0.5): alphaBar_1 = 0.5, alphaBar_2 = 0.25;
 * // coef x0 = sqrt(0.5) * 0.5 / 0.75, coef xt = sqrt(0.5) * 0.5 / 0.75
 * const m = posteriorMean(scheduleFromBetas([0.5, 0.5]), 1, 2, 2);
 * if (Math.abs(m - 3 * Math.sqrt(0.5) / 1.5) > 1e-15) throw new Error();
 * ```
 */
export function posteriorMean<X extends Value>(
  schedule: Schedule,
  xt: X,
  x0: Partner<X>,
  t: number,
): Like<X> {
  assertTimestep(schedule, t);
  const action = "compute the posterior mean";
  if (t === 1) return map2(action, ["x_t", "x_0"], xt, x0, (_x, x0i) => x0i); // \tilde\mu_1 = x_0
  const cX0 = schedule.posteriorCoefX0[t], cXt = schedule.posteriorCoefXt[t];
  return map2(action, ["x_t", "x_0"], xt, x0, (x, x0i) => cX0 * x0i + cXt * x); // \tilde\mu_t
}

/**
 * tilde beta_t = (1 - alphaBar_{t-1}) / (1 - alphaBar_t) beta_t, the variance of each coordinate
 * of q(x_{t-1} | x_t, x_0). Implements `eq:posterior-variance`. It is 0 at t = 1.
 *
 * @example
 * ```ts
 * import { posteriorVariance } from "./posterior.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.5, 0.5]);
 * if (posteriorVariance(s, 1) !== 0) throw new Error("point mass at t = 1");
 * if (Math.abs(posteriorVariance(s, 2) - 0.5 / 0.75 * 0.5) > 1e-15) throw new Error();
 * ```
 */
export function posteriorVariance(schedule: Schedule, t: number): number {
  assertTimestep(schedule, t);
  return t === 1 ? 0 : schedule.betaTildes[t]; // \tilde\beta_t
}

/**
 * log q(x_{t-1} | x_t, x_0) = log N(x_{t-1}; tilde mu_t, tilde beta_t I), for t in 2..T.
 * Implements `eq:posterior-gaussian` (mean `eq:posterior-mean`, variance `eq:posterior-variance`):
 * the Gaussian that Bayes' rule gives once x_0 is known.
 * Throws at t = 1, where the posterior is a point mass at x_0.
 *
 * @example
 * ```ts
 * import { posteriorLogPdf, posteriorMean, posteriorVariance } from "./posterior.ts";
 * import { gaussianLogPdf } from "./gaussian.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const s = linearSchedule(10);
 * const v = posteriorLogPdf(s, 0.3, 1, -1, 5);
 * const w = gaussianLogPdf(0.3, posteriorMean(s, 1, -1, 5), posteriorVariance(s, 5));
 * if (Math.abs(v - w) > 1e-12) throw new Error();
 * ```
 */
export function posteriorLogPdf(
  schedule: Schedule,
  xPrev: Value,
  xt: Value,
  x0: Value,
  t: number,
): number {
  assertTimestep(schedule, t);
  if (t === 1) {
    throw new RangeError(
      "Cannot evaluate log q(x_0 | x_1, x_0) as it is a point mass at x_0 (tilde beta_1 = 0): " +
        "current value is t = 1",
    );
  }
  const v = schedule.betaTildes[t];
  const cX0 = schedule.posteriorCoefX0[t], cXt = schedule.posteriorCoefXt[t];
  const logNorm = -0.5 * (LOG_2PI + Math.log(v));
  return sum3(
    "evaluate q(x_{t-1} | x_t, x_0)",
    ["x_{t-1}", "x_t", "x_0"],
    xPrev,
    xt,
    x0,
    (p, x, x0i) => logNorm - (p - (cX0 * x0i + cXt * x)) ** 2 / (2 * v),
  );
}
