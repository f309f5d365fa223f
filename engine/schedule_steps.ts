/**
 * The book's toy schedules at any number of steps T, with the step size scaled so that the total
 * noise is about the same whatever T is: few steps means large beta_t, many steps small beta_t.
 * The cosine family already does this (its alphaBar_t depends on t / T only); the linear family
 * scales the T = 100 setting (beta from 1e-3 to 0.2) by 100 / T, clipped at `MAX_BETA`.
 *
 * @module
 */

import { cosineSchedule, type Schedule, scheduleFromBetas } from "./schedule.ts";

/** The largest beta_t a scaled linear schedule uses (beta = 1 would erase x_{t-1} completely). */
export const MAX_BETA = 0.999;

/** The families `scheduleWithSteps` knows. */
export type StepScheduleName = "linear" | "cosine";

/**
 * A schedule with T steps whose betas scale like 1 / T. Linear: beta_t evenly spaced from
 * 0.1 / T to 20 / T (the T = 100 toy setting 1e-3..0.2), each clipped at `MAX_BETA`; cosine:
 * `cosineSchedule(T)`.
 *
 * @param name "linear" or "cosine".
 * @param T Number of steps, an integer >= 2.
 * @returns The schedule.
 * @example
 * ```ts
 * import { scheduleWithSteps } from "./schedule_steps.ts";
 * const s = scheduleWithSteps("linear", 1000);
 * if (Math.abs(s.betas[1] - 1e-4) > 1e-15 || Math.abs(s.betas[1000] - 0.02) > 1e-15) throw new Error();
 * ```
 */
export function scheduleWithSteps(name: StepScheduleName, T: number): Schedule {
  if (!Number.isInteger(T) || T < 2) {
    throw new RangeError(
      `Cannot build a schedule with T steps as T must be an integer >= 2: current value is ${T}`,
    );
  }
  if (name === "cosine") return cosineSchedule(T);
  if (name !== "linear") {
    throw new RangeError(
      `Cannot build a schedule with T steps as the family must be linear or cosine: current value is ${name}`,
    );
  }
  const betaStart = 0.1 / T, betaEnd = 20 / T; // 1e-3 and 0.2 at T = 100
  const betas = Float64Array.from(
    { length: T },
    (_, i) => Math.min(betaStart + ((betaEnd - betaStart) * i) / (T - 1), MAX_BETA), // \beta_{i+1}
  );
  return scheduleFromBetas(betas, "linear");
}
