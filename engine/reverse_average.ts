/**
 * The identity `eq:reverse-as-expectation` computed the long way, for 1-D mixture data:
 * q(x_{t-1} | x_t) = E_{x_0 ~ q(x_0 | x_t)} [ q(x_{t-1} | x_t, x_0) ], with the expectation done by
 * the trapezoid rule over x_0. Comparing it with the closed-form mixture `reverseKernel`
 * (`eq:mixture-reverse-kernel`) shows the identity numerically, to round-off.
 *
 * @module
 */

import { type Mixture, mixtureLogPdf, reverseKernel, x0Posterior } from "./mixture.ts";
import { assertTimestep, type Schedule } from "./schedule.ts";

/** Grid points per standard deviation of the narrowest integrand in x_0. */
const POINTS_PER_SD = 12;
/** The x_0 grid covers this many standard deviations of every component of q(x_0 | x_t). */
const SPAN_SDS = 12;
/** The most x_0 grid points used. */
const MAX_POINTS = 100_001;

/**
 * E_{q(x_0 | x_t)} q(x_{t-1} | x_t, x_0) at each point of `xPrevs`, for 1-D mixture data and
 * t in 2..T (at t = 1 the x_0-conditioned posterior is a point mass). The integral over x_0 uses
 * the trapezoid rule on a uniform grid covering +-12 sd of every component of q(x_0 | x_t) (the
 * `x0Posterior` mixture), with 12 points per sd of the narrowest of those components and of
 * q(x_{t-1} | x_t, x_0) seen as a function of x_0 (sd sqrt(betaTilde_t) / coefX0_t): the
 * integrand is smooth and decays fast, so the error is at round-off level.
 *
 * @param m Data mixture with dim = 1.
 * @param schedule The noise schedule.
 * @param t Step in 2..T.
 * @param xt The conditioning x_t.
 * @param xPrevs Points x_{t-1} at which to evaluate the density.
 * @returns The averaged density at each point.
 * @example
 * ```ts
 * import { averagedPosteriorDensity } from "./reverse_average.ts";
 * import { createMixture, mixtureLogPdf, reverseKernel } from "./mixture.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const m = createMixture({ weights: [1, 1], means: [-1, 1], variances: 0.1 });
 * const s = linearSchedule(10);
 * const [d] = averagedPosteriorDensity(m, s, 4, 0.2, [0.1]);
 * if (Math.abs(d - Math.exp(mixtureLogPdf(reverseKernel(m, s, 4, 0.2), 0.1))) > 1e-12) throw new Error();
 * ```
 */
export function averagedPosteriorDensity(
  m: Mixture,
  schedule: Schedule,
  t: number,
  xt: number,
  xPrevs: ArrayLike<number>,
): Float64Array {
  const action = "average q(x_{t-1} | x_t, x_0) over x_0";
  if (m.dim !== 1) {
    throw new RangeError(`Cannot ${action} as the data must be 1-D: current value is dim ${m.dim}`);
  }
  assertTimestep(schedule, t);
  if (t === 1) {
    throw new RangeError(
      `Cannot ${action} as q(x_0 | x_1, x_0) is a point mass (tilde beta_1 = 0): current value is t = 1`,
    );
  }
  const betaTilde = schedule.betaTildes[t]; // \tilde\beta_t
  const cX0 = schedule.posteriorCoefX0[t], cXt = schedule.posteriorCoefXt[t]; // \tilde\mu_t = cX0 x_0 + cXt x_t
  const posterior0 = x0Posterior(m, schedule, t, xt); // q(x_0 | x_t), a mixture
  let minSd = Math.sqrt(betaTilde) / cX0; // width of q(x_{t-1} | x_t, x_0) as a function of x_0
  let lo = Infinity, hi = -Infinity;
  posterior0.means.forEach((mu, k) => {
    if (posterior0.weights[k] < 1e-300) return;
    const sd = Math.sqrt(posterior0.variances[k]);
    lo = Math.min(lo, mu[0] - SPAN_SDS * sd);
    hi = Math.max(hi, mu[0] + SPAN_SDS * sd);
    minSd = Math.min(minSd, sd);
  });
  const n = Math.min(MAX_POINTS, Math.ceil(((hi - lo) / minSd) * POINTS_PER_SD) + 1);
  const h = (hi - lo) / (n - 1);
  const x0s = new Float64Array(n); // [n] the x_0 grid
  const weights = new Float64Array(n); // [n] trapezoid weight times q(x_0 | x_t)
  for (let i = 0; i < n; i++) {
    x0s[i] = lo + i * h;
    weights[i] = (i === 0 || i === n - 1 ? 0.5 : 1) * h *
      Math.exp(mixtureLogPdf(posterior0, x0s[i]));
  }
  const norm = 1 / Math.sqrt(2 * Math.PI * betaTilde);
  const out = new Float64Array(xPrevs.length); // [grid]
  for (let j = 0; j < xPrevs.length; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (weights[i] === 0) continue;
      const d = xPrevs[j] - (cX0 * x0s[i] + cXt * xt); // x_{t-1} - \tilde\mu_t(x_t, x_0)
      s += weights[i] * Math.exp(-(d * d) / (2 * betaTilde)); // q(x_0 | x_t) N(x_{t-1}; \tilde\mu_t, \tilde\beta_t)
    }
    out[j] = norm * s;
  }
  return out;
}

/** How far apart the two routes to q(x_{t-1} | x_t) are on a grid. */
export interface IdentityResidual {
  /** max |closed form - average over x_0| over the grid. */
  absolute: number;
  /** `absolute` divided by the largest closed-form density on the grid. */
  relative: number;
}

/**
 * The largest |q(x_{t-1} | x_t) - E_{q(x_0 | x_t)} q(x_{t-1} | x_t, x_0)| over `xPrevs`: the closed
 * form `reverseKernel` against `averagedPosteriorDensity`. Zero up to round-off, by
 * `eq:reverse-as-expectation`. Round-off grows when the kernel is very narrow (many tiny steps,
 * t near 1), because both routes then depend on 1 - alphaBar_t computed from alphaBar_t close to 1;
 * `relative` (the residual over the peak density) stays near 1e-13 to 1e-10.
 *
 * @param m Data mixture with dim = 1.
 * @param schedule The noise schedule.
 * @param t Step in 2..T.
 * @param xt The conditioning x_t.
 * @param xPrevs Points x_{t-1} to compare at.
 * @returns The absolute and relative maximum difference of the two densities.
 * @example
 * ```ts
 * import { reverseIdentityResidual } from "./reverse_average.ts";
 * import { createMixture } from "./mixture.ts";
 * import { cosineSchedule } from "./schedule.ts";
 * const m = createMixture({ weights: [1, 2], means: [-1.5, 1], variances: [0.05, 0.2] });
 * const r = reverseIdentityResidual(m, cosineSchedule(20), 8, -0.4, [-1, -0.5, 0, 0.5]);
 * if (!(r.absolute < 1e-12)) throw new Error(`residual ${r.absolute}`);
 * ```
 */
export function reverseIdentityResidual(
  m: Mixture,
  schedule: Schedule,
  t: number,
  xt: number,
  xPrevs: ArrayLike<number>,
): IdentityResidual {
  const averaged = averagedPosteriorDensity(m, schedule, t, xt, xPrevs);
  const exact = reverseKernel(m, schedule, t, xt);
  let absolute = 0, peak = 0;
  for (let j = 0; j < xPrevs.length; j++) {
    const p = Math.exp(mixtureLogPdf(exact, xPrevs[j]));
    absolute = Math.max(absolute, Math.abs(p - averaged[j]));
    peak = Math.max(peak, p);
  }
  return { absolute, relative: peak > 0 ? absolute / peak : absolute };
}
