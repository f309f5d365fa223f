/**
 * Noise schedules. Time runs t = 1..T; every array has length T + 1 and is indexed by t, with the
 * t = 0 entry holding the convention (beta_0 = 0, alpha_0 = 1, alphaBar_0 = 1).
 *
 * Implements `eq:forward-kernel` (beta_t), `eq:forward-marginal` (alphaBar_t) and
 * `eq:posterior-variance` / `eq:posterior-mean` (betaTilde_t and the posterior-mean coefficients).
 *
 * @module
 */

/** Which family a schedule comes from. */
export type ScheduleKind = "linear" | "cosine" | "sohl-dickstein" | "custom";

/** A noise schedule with every derived quantity precomputed in float64. */
export interface Schedule {
  readonly kind: ScheduleKind;
  /** Number of diffusion steps. */
  readonly T: number;
  /** beta_t, the variance added at step t. `betas[0] = 0`. */
  readonly betas: Float64Array;
  /** alpha_t = 1 - beta_t. `alphas[0] = 1`. */
  readonly alphas: Float64Array;
  /** \bar\alpha_t = prod_{s<=t} alpha_s. `alphaBars[0] = 1`. */
  readonly alphaBars: Float64Array;
  /** \tilde\beta_t = (1 - \bar\alpha_{t-1}) / (1 - \bar\alpha_t) beta_t, the variance of q(x_{t-1} | x_t, x_0). */
  readonly betaTildes: Float64Array;
  /** Coefficient of x_0 in \tilde\mu_t: sqrt(\bar\alpha_{t-1}) beta_t / (1 - \bar\alpha_t). */
  readonly posteriorCoefX0: Float64Array;
  /** Coefficient of x_t in \tilde\mu_t: sqrt(alpha_t) (1 - \bar\alpha_{t-1}) / (1 - \bar\alpha_t). */
  readonly posteriorCoefXt: Float64Array;
}

/**
 * Throws a RangeError unless t is an integer in [1, T].
 *
 * @example
 * ```ts
 * import { assertTimestep, linearSchedule } from "./schedule.ts";
 * let threw = false;
 * try { assertTimestep(linearSchedule(10), 11); } catch { threw = true; }
 * if (!threw) throw new Error("t = 11 must be rejected when T = 10");
 * ```
 */
export function assertTimestep(schedule: Schedule, t: number): void {
  if (!Number.isInteger(t) || t < 1 || t > schedule.T) {
    throw new RangeError(
      `Cannot index schedule as t must be an integer in [1, ${schedule.T}]: current value is ${t}`,
    );
  }
}

/**
 * Builds a schedule from beta_1..beta_T (given in order), deriving every other array.
 *
 * @param betas beta_1..beta_T, each in (0, 1].
 * @param kind  The family name recorded on the schedule.
 * @example
 * ```ts
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.5, 0.5]);
 * if (Math.abs(s.alphaBars[2] - 0.25) > 1e-15) throw new Error("alphaBar_2 should be 0.25");
 * ```
 */
export function scheduleFromBetas(
  betas: ArrayLike<number>,
  kind: ScheduleKind = "custom",
): Schedule {
  const T = betas.length;
  if (T < 1) {
    throw new RangeError(`Cannot build schedule as T must be at least 1: current value is ${T}`);
  }
  const b = new Float64Array(T + 1);
  const a = new Float64Array(T + 1);
  const aBar = new Float64Array(T + 1);
  const bTilde = new Float64Array(T + 1);
  const cX0 = new Float64Array(T + 1);
  const cXt = new Float64Array(T + 1);
  a[0] = 1;
  aBar[0] = 1;
  for (let t = 1; t <= T; t++) {
    const beta = betas[t - 1];
    if (!(beta > 0 && beta <= 1)) {
      throw new RangeError(
        `Cannot build schedule as beta_${t} must be in (0, 1]: current value is ${beta}`,
      );
    }
    b[t] = beta; // \beta_t
    a[t] = 1 - beta; // \alpha_t = 1 - \beta_t
    aBar[t] = aBar[t - 1] * a[t]; // \bar\alpha_t = \prod_{s \le t} \alpha_s
    const oneMinusABar = 1 - aBar[t];
    bTilde[t] = ((1 - aBar[t - 1]) / oneMinusABar) * beta; // \tilde\beta_t
    cX0[t] = (Math.sqrt(aBar[t - 1]) * beta) / oneMinusABar; // coefficient of x_0 in \tilde\mu_t
    cXt[t] = (Math.sqrt(a[t]) * (1 - aBar[t - 1])) / oneMinusABar; // coefficient of x_t in \tilde\mu_t
  }
  return {
    kind,
    T,
    betas: b,
    alphas: a,
    alphaBars: aBar,
    betaTildes: bTilde,
    posteriorCoefX0: cX0,
    posteriorCoefXt: cXt,
  };
}

function assertT(T: number): void {
  if (!Number.isInteger(T) || T < 1) {
    throw new RangeError(
      `Cannot build schedule as T must be a positive integer: current value is ${T}`,
    );
  }
}

/**
 * Linear schedule (Ho et al., 2020): beta_1..beta_T evenly spaced from `betaStart` to `betaEnd`.
 * The defaults are the book's toy setting (T = 100, 1e-3..0.2; ../docs/quality.md).
 *
 * @example
 * ```ts
 * import { linearSchedule } from "./schedule.ts";
 * const s = linearSchedule(3, 0.1, 0.3);
 * if (Math.abs(s.betas[2] - 0.2) > 1e-15) throw new Error("beta_2 should be 0.2");
 * ```
 */
export function linearSchedule(T = 100, betaStart = 1e-3, betaEnd = 0.2): Schedule {
  assertT(T);
  const betas = new Float64Array(T);
  for (let t = 1; t <= T; t++) {
    betas[t - 1] = T === 1 ? betaStart : betaStart + ((betaEnd - betaStart) * (t - 1)) / (T - 1);
  }
  return scheduleFromBetas(betas, "linear");
}

/**
 * Cosine schedule (Nichol & Dhariwal, 2021): \bar\alpha_t = f(t)/f(0) with
 * f(t) = cos^2(((t/T + s)/(1 + s)) pi/2), betas clipped at `maxBeta` (0.999), and \bar\alpha
 * recomputed from the clipped betas so the arrays stay consistent.
 *
 * @example
 * ```ts
 * import { cosineSchedule } from "./schedule.ts";
 * const s = cosineSchedule(1000);
 * if (!(s.alphaBars[1000] < 1e-4)) throw new Error("cosine schedule should end near zero");
 * ```
 */
export function cosineSchedule(T = 100, s = 0.008, maxBeta = 0.999): Schedule {
  assertT(T);
  const f = (t: number) => Math.cos((((t / T) + s) / (1 + s)) * Math.PI / 2) ** 2;
  const betas = new Float64Array(T);
  for (let t = 1; t <= T; t++) {
    betas[t - 1] = Math.min(1 - f(t) / f(t - 1), maxBeta); // \beta_t = 1 - \bar\alpha_t / \bar\alpha_{t-1}
  }
  return scheduleFromBetas(betas, "cosine");
}

/**
 * The baseline schedule of Sohl-Dickstein et al. (2015): beta_t = 1 / (T - (t - 1)(T - 2)/(T - 1)),
 * i.e. the reciprocal of T evenly spaced numbers from T down to 2, so that each step erases a
 * roughly constant share of the signal that remains (\bar\alpha_t is close to 1 - t/T).
 * `beta1` overrides the first step (their code keeps it small).
 *
 * @example
 * ```ts
 * import { sohlDicksteinSchedule } from "./schedule.ts";
 * const s = sohlDicksteinSchedule(40);
 * if (Math.abs(s.betas[40] - 0.5) > 1e-15) throw new Error("the last beta is 1/2");
 * ```
 */
export function sohlDicksteinSchedule(T = 40, beta1?: number): Schedule {
  assertT(T);
  const betas = new Float64Array(T);
  for (let t = 1; t <= T; t++) {
    betas[t - 1] = T === 1 ? 0.5 : 1 / (T - ((t - 1) * (T - 2)) / (T - 1));
  }
  if (beta1 !== undefined) betas[0] = beta1;
  return scheduleFromBetas(betas, "sohl-dickstein");
}

/** Signal-to-noise ratio \bar\alpha_t / (1 - \bar\alpha_t) at step t. */
export function snr(schedule: Schedule, t: number): number {
  assertTimestep(schedule, t);
  const aBar = schedule.alphaBars[t];
  return aBar / (1 - aBar);
}
