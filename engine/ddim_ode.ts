/**
 * DDIM with eta = 0 as Euler's method for the probability-flow ODE (Chapter 6). In the variables
 * y = x / sqrt(alphaBar) and sigma = sqrt((1 - alphaBar) / alphaBar) the ODE reads dy/dsigma = eps(x),
 * so one Euler step from sigma_t to sigma_prev is y_prev = y_t + (sigma_prev - sigma_t) epsHat: the
 * DDIM update, exactly.
 *
 * @module
 */
import { assertTimestep, type Schedule } from "./schedule.ts";

/**
 * sigma = sqrt((1 - alphaBar) / alphaBar), the noise level of y = x / sqrt(alphaBar) (0 at alphaBar = 1).
 *
 * @example
 * ```ts
 * import { ddimNoiseLevel } from "./ddim_ode.ts";
 * if (ddimNoiseLevel(0.5) !== 1 || ddimNoiseLevel(1) !== 0) throw new Error();
 * ```
 */
export function ddimNoiseLevel(alphaBar: number): number {
  if (!(alphaBar > 0 && alphaBar <= 1)) {
    throw new RangeError(
      `Cannot compute the DDIM noise level as alphaBar must be in (0, 1]: current value is ${alphaBar}`,
    );
  }
  return Math.sqrt((1 - alphaBar) / alphaBar);
}

/**
 * One Euler step of dy/dsigma = epsHat from step t to step tPrev < t, `eq:ddim-euler`, returned in
 * x units: x_prev = sqrt(alphaBar_prev) (x_t / sqrt(alphaBar_t) + (sigma_prev - sigma_t) epsHat).
 * Equal to `ddimStep(schedule, xt, epsHat, t, tPrev, 0)`.
 *
 * @param schedule The schedule.
 * @param xt x_t, flat.
 * @param epsHat The noise prediction at x_t.
 * @param t Current step, 1..T.
 * @param tPrev Next step, 0..t-1.
 * @returns x_{tPrev}.
 * @example
 * ```ts
 * import { ddimEulerStep } from "./ddim_ode.ts";
 * import { ddimStep } from "./samplers.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const s = linearSchedule(20);
 * const a = ddimEulerStep(s, [0.7, -1], [0.3, 0.2], 12, 5), b = ddimStep(s, [0.7, -1], [0.3, 0.2], 12, 5, 0);
 * if (Math.abs(a[0] - b[0]) > 1e-14 || Math.abs(a[1] - b[1]) > 1e-14) throw new Error();
 * ```
 */
export function ddimEulerStep(
  schedule: Schedule,
  xt: ArrayLike<number>,
  epsHat: ArrayLike<number>,
  t: number,
  tPrev: number,
): Float64Array {
  assertTimestep(schedule, t);
  if (!Number.isInteger(tPrev) || tPrev < 0 || tPrev >= t) {
    throw new RangeError(
      `Cannot take a DDIM Euler step as tPrev must be an integer in [0, ${
        t - 1
      }]: current value is ${tPrev}`,
    );
  }
  const aT = schedule.alphaBars[t], aPrev = schedule.alphaBars[tPrev];
  const dSigma = ddimNoiseLevel(aPrev) - ddimNoiseLevel(aT); // \sigma_{prev} - \sigma_t < 0
  return Float64Array.from(xt, (x, i) => {
    const y = x / Math.sqrt(aT); // y_t = x_t / \sqrt{\bar\alpha_t}
    return Math.sqrt(aPrev) * (y + dSigma * epsHat[i]); // x_{prev} = \sqrt{\bar\alpha_{prev}} y_{prev}
  });
}
