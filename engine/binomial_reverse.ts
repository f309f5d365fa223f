/**
 * The exact reverse chain of binomial diffusion (`eq:binomial-kernel`) when the data are a finite
 * set of bit patterns drawn uniformly, such as Sohl-Dickstein et al.'s binary heartbeats. Then
 * q(x_{t-1} | x_t) = sum_p q(x_0 = p | x_t) prod_i q(x_{t-1,i} | x_{t,i}, p_i)
 * (`eq:reverse-as-expectation` with a sum over x_0), every factor in closed form: it is what a
 * perfectly trained reverse model would do, so the demo can run it without training.
 *
 * @module
 */

import { binomialMarginal, binomialPosterior } from "./binomial.ts";
import type { Rng } from "./rng.ts";
import { assertTimestep, type Schedule } from "./schedule.ts";
import { logSumExp } from "./vector.ts";

/**
 * Every binary heartbeat of `length` bits: a 1 at every `period`-th position from phase
 * 0..period-1 (the support of `binaryHeartbeat` in datasets.ts, one pattern per phase).
 *
 * @param length Bits per sequence (20 in the paper).
 * @param period Distance between pulses (5).
 * @returns `period` patterns, pattern p has its first 1 at position p.
 * @example
 * ```ts
 * import { heartbeatPatterns } from "./binomial_reverse.ts";
 * const p = heartbeatPatterns(10, 5);
 * if (p.length !== 5 || p[2].join("") !== "0010000100") throw new Error();
 * ```
 */
export function heartbeatPatterns(length = 20, period = 5): Uint8Array[] {
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError(
      `Cannot list heartbeats as length must be a positive integer: current value is ${length}`,
    );
  }
  if (!Number.isInteger(period) || period < 1 || period > length) {
    throw new RangeError(
      `Cannot list heartbeats as period must be an integer in [1, ${length}]: current value is ${period}`,
    );
  }
  return Array.from({ length: period }, (_, phase) => {
    const bits = new Uint8Array(length); // [length]
    for (let i = phase; i < length; i += period) bits[i] = 1;
    return bits;
  });
}

function assertPatterns(patterns: readonly ArrayLike<number>[], n: number, action: string): void {
  if (patterns.length === 0) {
    throw new RangeError(
      `Cannot ${action} as there must be at least one pattern: current value is 0`,
    );
  }
  patterns.forEach((p, k) => {
    if (p.length !== n) {
      throw new RangeError(
        `Cannot ${action} as pattern ${k} must have length ${n}: current value is ${p.length}`,
      );
    }
  });
}

/**
 * q(x_0 = p | x_t) for data uniform over `patterns`: proportional to q(x_t | x_0 = p)
 * (`eq:binomial-marginal`, a product over independent bits), t in 1..T.
 *
 * @param schedule The schedule (its betas).
 * @param xt The sequence x_t (bits).
 * @param t Step in 1..T.
 * @param patterns The data's patterns, each as long as x_t.
 * @returns One probability per pattern (they sum to 1).
 * @example
 * ```ts
 * import { heartbeatPatterns, patternPosterior } from "./binomial_reverse.ts";
 * import { sohlDicksteinSchedule } from "./schedule.ts";
 * const p = heartbeatPatterns(20, 5);
 * const w = patternPosterior(sohlDicksteinSchedule(40), p[3], 1, p); // one step in: pattern 3 is clear
 * if (!(w[3] > 0.99)) throw new Error();
 * ```
 */
export function patternPosterior(
  schedule: Schedule,
  xt: ArrayLike<number>,
  t: number,
  patterns: readonly ArrayLike<number>[],
): Float64Array {
  assertTimestep(schedule, t);
  assertPatterns(patterns, xt.length, "compute q(x_0 | x_t)");
  // q(x_t,i = b | x_0,i = a) for a, b in {0, 1}
  const p1 = [binomialMarginal(schedule, 0, t), binomialMarginal(schedule, 1, t)]; // [2]
  const logLike = [
    [Math.log(1 - p1[0]), Math.log(p1[0])],
    [Math.log(1 - p1[1]), Math.log(p1[1])],
  ]; // [x_0 bit][x_t bit]
  const logs = patterns.map((p) => {
    let s = 0;
    for (let i = 0; i < xt.length; i++) {
      if (xt[i] !== 0 && xt[i] !== 1) {
        throw new RangeError(
          `Cannot compute q(x_0 | x_t) as x_t[${i}] must be 0 or 1: current value is ${xt[i]}`,
        );
      }
      s += logLike[p[i]][xt[i]]; // \log q(x_{t,i} | x_{0,i})
    }
    return s;
  });
  const lse = logSumExp(logs);
  return Float64Array.from(logs, (l) => Math.exp(l - lse)); // [patterns]
}

/**
 * The per-bit probabilities q(x_{t-1,i} = 1 | x_t) of the exact reverse step, for data uniform
 * over `patterns`: sum_p q(x_0 = p | x_t) q(x_{t-1,i} = 1 | x_{t,i}, p_i), t in 1..T. (The bits
 * of x_{t-1} are dependent through the pattern; these are their marginals.)
 *
 * @returns One probability per position.
 * @example
 * ```ts
 * import { heartbeatPatterns, reverseBitProbabilities } from "./binomial_reverse.ts";
 * import { sohlDicksteinSchedule } from "./schedule.ts";
 * const p = heartbeatPatterns(20, 5);
 * const q = reverseBitProbabilities(sohlDicksteinSchedule(40), p[0], 1, p); // t = 1 gives x_0 back
 * if (q[0] < 0.99 || q[1] > 0.01) throw new Error();
 * ```
 */
export function reverseBitProbabilities(
  schedule: Schedule,
  xt: ArrayLike<number>,
  t: number,
  patterns: readonly ArrayLike<number>[],
): Float64Array {
  const w = patternPosterior(schedule, xt, t, patterns);
  const post = [0, 1].map((b) => [0, 1].map((a) => binomialPosterior(schedule, b, a, t))); // [x_t bit][x_0 bit]
  const out = new Float64Array(xt.length); // [n]
  patterns.forEach((p, k) => {
    for (let i = 0; i < xt.length; i++) out[i] += w[k] * post[xt[i]][p[i]];
  });
  return out;
}

/**
 * Draws x_{t-1} ~ q(x_{t-1} | x_t) exactly: a pattern from q(x_0 | x_t), then each bit from
 * q(x_{t-1,i} | x_{t,i}, p_i) (`binomialPosterior`). At t = 1 this returns the pattern itself.
 *
 * @returns The sampled bits x_{t-1}.
 * @example
 * ```ts
 * import { heartbeatPatterns, reverseStepSample } from "./binomial_reverse.ts";
 * import { createRng } from "./rng.ts";
 * import { sohlDicksteinSchedule } from "./schedule.ts";
 * const p = heartbeatPatterns(20, 5);
 * const x0 = reverseStepSample(sohlDicksteinSchedule(40), p[1], 1, p, createRng(1));
 * if (x0.join("") !== p[1].join("")) throw new Error("one step from a clean heartbeat lands on it");
 * ```
 */
export function reverseStepSample(
  schedule: Schedule,
  xt: ArrayLike<number>,
  t: number,
  patterns: readonly ArrayLike<number>[],
  rng: Rng,
): Uint8Array {
  const w = patternPosterior(schedule, xt, t, patterns);
  let u = rng.uniform(), k = 0;
  while (k < w.length - 1 && u >= w[k]) u -= w[k++]; // x_0 ~ q(x_0 | x_t)
  const post = [0, 1].map((b) => [0, 1].map((a) => binomialPosterior(schedule, b, a, t))); // [x_t bit][x_0 bit]
  const out = new Uint8Array(xt.length); // [n]
  for (let i = 0; i < xt.length; i++) out[i] = rng.uniform() < post[xt[i]][patterns[k][i]] ? 1 : 0;
  return out;
}

/**
 * How many bits of `bits` agree with the closest pattern (the length itself when `bits` is one).
 *
 * @example
 * ```ts
 * import { heartbeatPatterns, nearestPatternAgreement } from "./binomial_reverse.ts";
 * const p = heartbeatPatterns(10, 5);
 * if (nearestPatternAgreement([1, 0, 0, 0, 0, 1, 0, 0, 0, 1], p) !== 9) throw new Error();
 * ```
 */
export function nearestPatternAgreement(
  bits: ArrayLike<number>,
  patterns: readonly ArrayLike<number>[],
): number {
  assertPatterns(patterns, bits.length, "compare with the patterns");
  let best = 0;
  for (const p of patterns) {
    let same = 0;
    for (let i = 0; i < bits.length; i++) if (bits[i] === p[i]) same++;
    best = Math.max(best, same);
  }
  return best;
}
