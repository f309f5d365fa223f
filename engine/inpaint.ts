/**
 * Inpainting: sampling the unobserved coordinates of x_0 given observed ones, x_A = a. Two ways,
 * beside the painted-region nudge of `multiply.ts` (which pins nothing):
 *
 * - the *replacement* method, for any trained reverse chain: at every reverse step the unobserved
 *   coordinates of x_{t-1} come from the model's step p(x_{t-1} | x_t), the observed ones from
 *   the forward marginal q(x_{t-1} | x_0 = a) of `eq:forward-marginal` (at t - 1 = 0, exactly a).
 *   It is a heuristic: the model's step for the unobserved coordinates sees the observed ones only
 *   through x_t, so the fill-in can disagree with a;
 * - the *exact* answer for mixture data: conditioning q(x_0) on x_A = a, a mixture over the
 *   unobserved coordinates. It is `eq:multiply-distributions` with r(x_0) = delta(x_A - a), the
 *   limit of a Gaussian factor on the observed coordinates as its variance goes to 0 (for a
 *   Gaussian factor on every coordinate, `multiplyByGaussian` gives the product exactly).
 *
 * @module
 */
import { forwardSample } from "./forward.ts";
import { createMixture, type Mixture } from "./mixture.ts";
import { chainVariance, type ReverseChainOptions, type ReverseMean } from "./path.ts";
import type { Rng } from "./rng.ts";
import { assertTimestep, type Schedule } from "./schedule.ts";
import { logSumExp, toVector } from "./vector.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/** Observed coordinates: x_0[indices[j]] = values[j]. */
export interface Observation {
  /** Distinct coordinate indices in 0..dim-1. */
  indices: readonly number[];
  /** One observed value per index. */
  values: ArrayLike<number>;
}

function checkObservation(o: Observation, dim: number, action: string): void {
  if (o.indices.length !== o.values.length) {
    throw new RangeError(
      `Cannot ${action} as there must be one value per observed index (${o.indices.length}): current value is ${o.values.length}`,
    );
  }
  const seen = new Set<number>();
  for (const i of o.indices) {
    if (!Number.isInteger(i) || i < 0 || i >= dim || seen.has(i)) {
      throw new RangeError(
        `Cannot ${action} as observed indices must be distinct integers in [0, ${
          dim - 1
        }]: current value is ${i}`,
      );
    }
    seen.add(i);
  }
  toVector(o.values, action, "the observed values");
}

/**
 * One reverse step of the replacement method at step t: the unobserved coordinates of x_{t-1}
 * are drawn from the model's step N(mu(x_t, t), sigma_t^2 I) (no noise at t = 1), the observed
 * ones from q(x_{t-1} | x_0 = a) (exactly a at t = 1).
 *
 * @param schedule The noise schedule.
 * @param xt The current point x_t.
 * @param t Step in 1..T.
 * @param reverseMean The model's reverse mean mu(x_t, t).
 * @param observation The observed coordinates of x_0.
 * @param rng Source of the noise.
 * @param opts The reverse variances (default beta_t).
 * @returns x_{t-1}.
 * @example
 * ```ts
 * import { replacementStep } from "./inpaint.ts";
 * import { createRng } from "./rng.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const x0 = replacementStep(linearSchedule(10), [0.3, 0.4], 1, (x) => x, { indices: [1], values: [2] }, createRng(1));
 * if (x0[1] !== 2 || x0[0] !== 0.3) throw new Error("t = 1: observed values exactly, the mean elsewhere");
 * ```
 */
export function replacementStep(
  schedule: Schedule,
  xt: ArrayLike<number>,
  t: number,
  reverseMean: ReverseMean,
  observation: Observation,
  rng: Rng,
  opts: ReverseChainOptions = {},
): Float64Array {
  const action = "take a replacement step";
  assertTimestep(schedule, t);
  const x = toVector(xt, action, "x_t");
  checkObservation(observation, x.length, action);
  const mean = toVector(reverseMean(x, t), action, `reverseMean(x_${t}, ${t})`);
  const sigma = t > 1 ? Math.sqrt(chainVariance(schedule, t, opts)) : 0;
  const prev = mean.map((m) => m + sigma * rng.normal()); // [dim], the model's x_{t-1}
  const known = t > 1
    ? forwardSample(schedule, Float64Array.from(observation.values), t - 1, rng).xt // [|A|]
    : Float64Array.from(observation.values);
  observation.indices.forEach((i, j) => (prev[i] = known[j]));
  return prev;
}

/**
 * The replacement method from x_T ~ N(0, I) down to x_0.
 *
 * @param schedule The noise schedule.
 * @param dim The dimension of a point.
 * @param reverseMean The model's reverse mean.
 * @param observation The observed coordinates of x_0.
 * @param rng Source of the noise.
 * @param opts The reverse variances (default beta_t).
 * @returns x_0, equal to the observed values on the observed coordinates.
 * @example
 * ```ts
 * import { replacementInpaint } from "./inpaint.ts";
 * import { createRng } from "./rng.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const x0 = replacementInpaint(linearSchedule(20), 2, (x) => x, { indices: [0], values: [-1] }, createRng(2));
 * if (x0[0] !== -1 || !Number.isFinite(x0[1])) throw new Error();
 * ```
 */
export function replacementInpaint(
  schedule: Schedule,
  dim: number,
  reverseMean: ReverseMean,
  observation: Observation,
  rng: Rng,
  opts: ReverseChainOptions = {},
): Float64Array {
  let x: Float64Array = Float64Array.from({ length: dim }, () => rng.normal()); // [dim], x_T
  for (let t = schedule.T; t >= 1; t--) {
    x = replacementStep(schedule, x, t, reverseMean, observation, rng, opts);
  }
  return x;
}

/**
 * The exact conditional of a mixture given observed coordinates: q(x_B | x_A = a) over the
 * unobserved coordinates B (in increasing order). Component k keeps its mean on B and its
 * variance; its weight becomes proportional to w_k N(a; mu_{k,A}, v_k I).
 *
 * @param m The mixture q(x_0).
 * @param observation The observed coordinates (at least one left unobserved).
 * @returns The conditional mixture over the unobserved coordinates.
 * @example
 * ```ts
 * import { conditionMixture } from "./inpaint.ts";
 * import { createMixture } from "./mixture.ts";
 * const m = createMixture({ weights: [1, 1], means: [[-1, -1], [1, 1]], variances: 0.1 });
 * const c = conditionMixture(m, { indices: [0], values: [1] });
 * if (c.dim !== 1 || !(c.weights[1] > 0.999)) throw new Error("x_0 = 1 points at the second component");
 * ```
 */
export function conditionMixture(m: Mixture, observation: Observation): Mixture {
  const action = "condition a mixture on observed coordinates";
  checkObservation(observation, m.dim, action);
  const observed = new Set(observation.indices);
  const free = [...Array(m.dim).keys()].filter((i) => !observed.has(i));
  if (free.length === 0) {
    throw new RangeError(
      `Cannot ${action} as at least one coordinate must stay unobserved: current value is 0 of ${m.dim}`,
    );
  }
  const logW = Float64Array.from(m.means, (mu, k) => {
    const v = m.variances[k];
    let d2 = 0;
    observation.indices.forEach((i, j) => (d2 += (observation.values[j] - mu[i]) ** 2));
    return Math.log(m.weights[k]) - 0.5 * observation.indices.length * (LOG_2PI + Math.log(v)) -
      d2 / (2 * v);
  });
  const norm = logSumExp(logW);
  return createMixture({
    weights: logW.map((l) => Math.exp(l - norm)),
    means: m.means.map((mu) => free.map((i) => mu[i])),
    variances: m.variances,
    labels: m.labels,
  });
}
