/**
 * Sohl-Dickstein et al.'s binomial diffusion for binary data (the "binary heartbeat" sequences).
 * Each bit is independent: at step t, with probability beta_t it is resampled from Bernoulli(1/2),
 * otherwise kept. So p(y = 1 | y') = y' (1 - beta_t) + beta_t / 2 (`eq:binomial-kernel`), and after
 * t steps p(x_t = 1 | x_0) = 1/2 + (x_0 - 1/2) prod_{s<=t} (1 - beta_s) (`eq:binomial-marginal`).
 * Time uses the same `Schedule` (its `betas`); t = 0 is the data.
 *
 * @module
 */

import type { Rng } from "./rng.ts";
import { assertTimestep, type Schedule } from "./schedule.ts";

function assertBit(y: number, action: string, name: string): void {
  if (y !== 0 && y !== 1) {
    throw new RangeError(`Cannot ${action} as ${name} must be 0 or 1: current value is ${y}`);
  }
}

function assertBeta(beta: number, action: string): void {
  if (!(beta >= 0 && beta <= 1)) {
    throw new RangeError(`Cannot ${action} as beta must be in [0, 1]: current value is ${beta}`);
  }
}

/**
 * p(y = 1 | y'; beta) for the binomial kernel: y' (1 - beta) + beta / 2.
 * Implements `eq:binomial-kernel`.
 *
 * @param yPrev The previous bit y' (0 or 1).
 * @param beta The resampling probability in [0, 1].
 * @example
 * ```ts
 * import { binomialKernel } from "./binomial.ts";
 * if (binomialKernel(1, 0.2) !== 0.9 || binomialKernel(0, 0.2) !== 0.1) throw new Error();
 * ```
 */
export function binomialKernel(yPrev: number, beta: number): number {
  assertBit(yPrev, "evaluate the binomial kernel", "y'");
  assertBeta(beta, "evaluate the binomial kernel");
  return yPrev * (1 - beta) + beta / 2; // T(y = 1 | y'; \beta)
}

/**
 * One forward step on a bit sequence: each bit independently becomes 1 with probability
 * `binomialKernel(bit, beta)`. Implements `eq:binomial-kernel`.
 *
 * @example
 * ```ts
 * import { binomialForwardStep } from "./binomial.ts";
 * import { createRng } from "./rng.ts";
 * const y = binomialForwardStep([1, 0, 1], 0, createRng(3)); // beta = 0 keeps every bit
 * if (y.join("") !== "101") throw new Error();
 * ```
 */
export function binomialForwardStep(bits: ArrayLike<number>, beta: number, rng: Rng): Uint8Array {
  assertBeta(beta, "take a binomial forward step");
  const out = new Uint8Array(bits.length); // [n]
  for (let i = 0; i < bits.length; i++) {
    assertBit(bits[i], "take a binomial forward step", `bits[${i}]`);
    out[i] = rng.uniform() < binomialKernel(bits[i], beta) ? 1 : 0;
  }
  return out;
}

function keepProbability(schedule: Schedule, t: number): number {
  if (t !== 0) assertTimestep(schedule, t);
  let keep = 1;
  for (let s = 1; s <= t; s++) keep *= 1 - schedule.betas[s]; // \prod_{s \le t} (1 - \beta_s)
  return keep;
}

/**
 * p(x_t = 1 | x_0) = 1/2 + (x_0 - 1/2) prod_{s<=t} (1 - beta_s), t in 0..T.
 * Implements `eq:binomial-marginal`.
 *
 * @example
 * ```ts
 * import { binomialMarginal } from "./binomial.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.5, 0.5]);
 * if (binomialMarginal(s, 1, 2) !== 0.625) throw new Error("1/2 + 1/2 * 1/4");
 * ```
 */
export function binomialMarginal(schedule: Schedule, x0: number, t: number): number {
  assertBit(x0, "evaluate the binomial marginal", "x_0");
  return 0.5 + (x0 - 0.5) * keepProbability(schedule, t);
}

/**
 * q(x_{t-1} = 1 | x_t, x_0) by Bayes' rule:
 * q(x_t | x_{t-1} = 1) q(x_{t-1} = 1 | x_0) / sum over x_{t-1} in {0, 1}, t in 1..T.
 * The binomial counterpart of `eq:posterior-gaussian`: Bayes' rule conditioned on x_0, with
 * `eq:binomial-kernel` as the likelihood and `eq:binomial-marginal` as the prior.
 *
 * @example
 * ```ts
 * import { binomialPosterior } from "./binomial.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * // t = 1: x_{t-1} = x_0 is known
 * if (binomialPosterior(scheduleFromBetas([0.3]), 0, 1, 1) !== 1) throw new Error();
 * ```
 */
export function binomialPosterior(schedule: Schedule, xt: number, x0: number, t: number): number {
  assertTimestep(schedule, t);
  assertBit(xt, "compute the binomial posterior", "x_t");
  const beta = schedule.betas[t];
  const prior1 = binomialMarginal(schedule, x0, t - 1); // q(x_{t-1} = 1 | x_0)
  const like = (prev: number) => {
    const p1 = binomialKernel(prev, beta);
    return xt === 1 ? p1 : 1 - p1;
  };
  const joint1 = like(1) * prior1, joint0 = like(0) * (1 - prior1);
  return joint1 / (joint1 + joint0);
}

/**
 * log q(x_t | x_0) of a whole bit sequence: the sum over independent bits.
 *
 * @example
 * ```ts
 * import { binomialMarginalLogProb } from "./binomial.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const v = binomialMarginalLogProb(scheduleFromBetas([1]), [1, 0, 1], [0, 0, 0], 1);
 * if (Math.abs(v - 3 * Math.log(0.5)) > 1e-15) throw new Error("beta = 1: uniform bits");
 * ```
 */
export function binomialMarginalLogProb(
  schedule: Schedule,
  xt: ArrayLike<number>,
  x0: ArrayLike<number>,
  t: number,
): number {
  if (xt.length !== x0.length) {
    throw new RangeError(
      `Cannot evaluate log q(x_t | x_0) as x_t must have length ${x0.length}: current value is ${xt.length}`,
    );
  }
  let s = 0;
  for (let i = 0; i < xt.length; i++) {
    assertBit(xt[i], "evaluate log q(x_t | x_0)", `x_t[${i}]`);
    const p1 = binomialMarginal(schedule, x0[i], t);
    s += Math.log(xt[i] === 1 ? p1 : 1 - p1);
  }
  return s;
}
