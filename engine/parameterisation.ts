/**
 * The three equivalent things a denoiser can predict at step t: the noise eps, the clean data x_0,
 * or the score grad log q(x_t). Given x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps,
 * each determines the others, and each gives the mean of p_theta(x_{t-1} | x_t).
 * Every function takes `(schedule, xt, pred, t)` with t in 1..T; values are numbers or arrays.
 *
 * @module
 */

import { posteriorMean } from "./posterior.ts";
import { assertTimestep, type Schedule } from "./schedule.ts";
import { assertPositive, type Like, map2, type Partner, type Value } from "./vector.ts";

/** What a denoiser predicts (the same strings as the tfjs denoiser's `Parameterisation`). */
export type PredictionTarget = "eps" | "x0" | "score";

/** The reverse-step variance sigma_t^2: beta_t, tilde beta_t, or a given number. */
export type ReverseVarianceChoice = "beta" | "betaTilde" | number;

/**
 * sqrt(alphaBar_t) and 1 - alphaBar_t, refusing a zero divisor: alphaBar_t = 0 (some beta_s = 1)
 * leaves no signal to recover x_0 from, and 1 - alphaBar_t = 0 (betas below rounding) no noise.
 */
function coefs(schedule: Schedule, t: number, divideBySignal: boolean, divideByNoise: boolean) {
  assertTimestep(schedule, t);
  const alphaBar = schedule.alphaBars[t];
  if (divideBySignal && !(alphaBar > 0)) {
    throw new RangeError(
      `Cannot recover x_0 at step ${t} as alphaBar_t must be > 0: current value is ${alphaBar}`,
    );
  }
  if (divideByNoise && !(alphaBar < 1)) {
    throw new RangeError(
      `Cannot convert to eps or a score at step ${t} as 1 - alphaBar_t must be > 0: current value is ${
        1 - alphaBar
      }`,
    );
  }
  return { sqrtAlphaBar: Math.sqrt(alphaBar), oneMinus: 1 - alphaBar };
}

/**
 * x_0 = (x_t - sqrt(1 - alphaBar_t) eps) / sqrt(alphaBar_t). Implements `eq:x0-from-eps`.
 *
 * @example
 * ```ts
 * import { x0FromEps } from "./parameterisation.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36]); // sqrt(alphaBar_1) = 0.8, sqrt(1 - alphaBar_1) = 0.6
 * if (Math.abs(x0FromEps(s, 1.4, 1, 1) - 1) > 1e-15) throw new Error("(1.4 - 0.6) / 0.8 = 1");
 * ```
 */
export function x0FromEps<X extends Value>(
  schedule: Schedule,
  xt: X,
  eps: Partner<X>,
  t: number,
): Like<X> {
  const { sqrtAlphaBar, oneMinus } = coefs(schedule, t, true, false);
  const sigma = Math.sqrt(oneMinus);
  return map2(
    "recover x_0 from eps",
    ["x_t", "eps"],
    xt,
    eps,
    (x, e) => (x - sigma * e) / sqrtAlphaBar,
  );
}

/**
 * eps = (x_t - sqrt(alphaBar_t) x_0) / sqrt(1 - alphaBar_t), the inverse of `x0FromEps`.
 * Implements `eq:x0-from-eps`.
 *
 * @example
 * ```ts
 * import { epsFromX0 } from "./parameterisation.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36]);
 * if (Math.abs(epsFromX0(s, 1.4, 1, 1) - 1) > 1e-15) throw new Error("(1.4 - 0.8) / 0.6 = 1");
 * ```
 */
export function epsFromX0<X extends Value>(
  schedule: Schedule,
  xt: X,
  x0: Partner<X>,
  t: number,
): Like<X> {
  const { sqrtAlphaBar, oneMinus } = coefs(schedule, t, false, true);
  const sigma = Math.sqrt(oneMinus);
  return map2(
    "recover eps from x_0",
    ["x_t", "x_0"],
    xt,
    x0,
    (x, x0i) => (x - sqrtAlphaBar * x0i) / sigma,
  );
}

/**
 * grad log q(x_t) = -E[eps | x_t] / sqrt(1 - alphaBar_t); with a network's eps it is the score
 * estimate. Implements `eq:score-from-eps`.
 *
 * @example
 * ```ts
 * import { scoreFromEps } from "./parameterisation.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36]);
 * if (Math.abs(scoreFromEps(s, 0, 0.6, 1) + 1) > 1e-15) throw new Error("-0.6 / 0.6 = -1");
 * ```
 */
export function scoreFromEps<X extends Value>(
  schedule: Schedule,
  xt: X,
  eps: Partner<X>,
  t: number,
): Like<X> {
  const { oneMinus } = coefs(schedule, t, false, true);
  const sigma = Math.sqrt(oneMinus);
  return map2("turn eps into a score", ["x_t", "eps"], xt, eps, (_x, e) => -e / sigma);
}

/**
 * eps = -sqrt(1 - alphaBar_t) score, the inverse of `scoreFromEps`. Implements `eq:score-from-eps`.
 *
 * @example
 * ```ts
 * import { epsFromScore } from "./parameterisation.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36]);
 * if (Math.abs(epsFromScore(s, 0, -1, 1) - 0.6) > 1e-15) throw new Error();
 * ```
 */
export function epsFromScore<X extends Value>(
  schedule: Schedule,
  xt: X,
  score: Partner<X>,
  t: number,
): Like<X> {
  const { oneMinus } = coefs(schedule, t, false, false);
  const sigma = Math.sqrt(oneMinus);
  return map2("turn a score into eps", ["x_t", "score"], xt, score, (_x, g) => -sigma * g);
}

/**
 * x_0 = (x_t + (1 - alphaBar_t) score) / sqrt(alphaBar_t): Tweedie's formula for the forward
 * marginal. Implements `eq:tweedie-diffusion`.
 *
 * @example
 * ```ts
 * import { x0FromScore } from "./parameterisation.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36]);
 * if (Math.abs(x0FromScore(s, 1.4, -1 / 0.6, 1) - 1) > 1e-15) throw new Error("(1.4 - 0.6) / 0.8");
 * ```
 */
export function x0FromScore<X extends Value>(
  schedule: Schedule,
  xt: X,
  score: Partner<X>,
  t: number,
): Like<X> {
  const { sqrtAlphaBar, oneMinus } = coefs(schedule, t, true, false);
  return map2(
    "recover x_0 from a score",
    ["x_t", "score"],
    xt,
    score,
    (x, g) => (x + oneMinus * g) / sqrtAlphaBar,
  );
}

/**
 * Tweedie's formula: if z ~ N(mu, v I) given mu, then E[mu | z] = z + v grad log p(z), whatever
 * the prior on mu. Implements `eq:tweedie`; the diffusion form (`x0FromScore`) takes
 * mu = sqrt(alphaBar_t) x_0 and v = 1 - alphaBar_t.
 *
 * @param z The noisy observation.
 * @param variance The noise variance v > 0.
 * @param score grad log p(z), shaped like z.
 * @example
 * ```ts
 * import { tweedie } from "./parameterisation.ts";
 * // mu ~ N(0, 1), z | mu ~ N(mu, 1): p(z) = N(0, 2), score -z/2, E[mu | z] = z/2
 * if (tweedie(3, 1, -1.5) !== 1.5) throw new Error();
 * ```
 */
export function tweedie<X extends Value>(z: X, variance: number, score: Partner<X>): Like<X> {
  assertPositive(variance, "apply Tweedie's formula", "the variance");
  return map2("apply Tweedie's formula", ["z", "score"], z, score, (x, g) => x + variance * g); // E[\mu | z] = z + \Sigma \nabla \log p(z)
}

/**
 * score = -(x_t - sqrt(alphaBar_t) x_0) / (1 - alphaBar_t), the inverse of `x0FromScore`.
 * Implements `eq:tweedie-diffusion`.
 *
 * @example
 * ```ts
 * import { scoreFromX0 } from "./parameterisation.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36]);
 * if (Math.abs(scoreFromX0(s, 1.4, 1, 1) + 0.6 / 0.36) > 1e-14) throw new Error();
 * ```
 */
export function scoreFromX0<X extends Value>(
  schedule: Schedule,
  xt: X,
  x0: Partner<X>,
  t: number,
): Like<X> {
  const { sqrtAlphaBar, oneMinus } = coefs(schedule, t, false, true);
  return map2(
    "turn x_0 into a score",
    ["x_t", "x_0"],
    xt,
    x0,
    (x, x0i) => -(x - sqrtAlphaBar * x0i) / oneMinus,
  );
}

/**
 * Mean of p_theta(x_{t-1} | x_t) when the network predicts eps:
 * mu = (x_t - beta_t / sqrt(1 - alphaBar_t) eps) / sqrt(alpha_t). Implements `eq:ddpm-step`
 * (its mean); it equals `posteriorMean(x_t, x0FromEps(x_t, eps))`.
 *
 * @example
 * ```ts
 * import { reverseMeanFromEps } from "./parameterisation.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36]); // alpha_1 = 0.64, 1 - alphaBar_1 = 0.36
 * const m = reverseMeanFromEps(s, 1.4, 1, 1); // (1.4 - 0.36 / 0.6) / 0.8 = 1
 * if (Math.abs(m - 1) > 1e-15) throw new Error();
 * ```
 */
export function reverseMeanFromEps<X extends Value>(
  schedule: Schedule,
  xt: X,
  eps: Partner<X>,
  t: number,
): Like<X> {
  const { oneMinus } = coefs(schedule, t, false, true);
  const c = schedule.betas[t] / Math.sqrt(oneMinus), sqrtAlpha = Math.sqrt(schedule.alphas[t]);
  return map2(
    "compute the reverse mean from eps",
    ["x_t", "eps"],
    xt,
    eps,
    (x, e) => (x - c * e) / sqrtAlpha,
  ); // \mu_\theta = (x_t - \beta_t/\sqrt{1-\bar\alpha_t} \epsilon_\theta) / \sqrt{\alpha_t}
}

/**
 * Mean of p_theta(x_{t-1} | x_t) when the network predicts x_0: tilde mu_t(x_t, x0hat).
 * Implements `eq:posterior-mean` with x_0 replaced by its prediction.
 *
 * @example
 * ```ts
 * import { reverseMeanFromX0 } from "./parameterisation.ts";
 * import { linearSchedule } from "./schedule.ts";
 * if (reverseMeanFromX0(linearSchedule(10), 5, 0.25, 1) !== 0.25) throw new Error("t = 1 gives x0hat");
 * ```
 */
export function reverseMeanFromX0<X extends Value>(
  schedule: Schedule,
  xt: X,
  x0: Partner<X>,
  t: number,
): Like<X> {
  return posteriorMean(schedule, xt, x0, t);
}

/**
 * Mean of p_theta(x_{t-1} | x_t) when the network predicts the score:
 * mu = (x_t + beta_t score) / sqrt(alpha_t).
 *
 * @example
 * ```ts
 * import { reverseMeanFromScore } from "./parameterisation.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36]);
 * const m = reverseMeanFromScore(s, 1.4, -1 / 0.6, 1); // (1.4 - 0.36 / 0.6) / 0.8 = 1
 * if (Math.abs(m - 1) > 1e-15) throw new Error();
 * ```
 */
export function reverseMeanFromScore<X extends Value>(
  schedule: Schedule,
  xt: X,
  score: Partner<X>,
  t: number,
): Like<X> {
  assertTimestep(schedule, t);
  const beta = schedule.betas[t], sqrtAlpha = Math.sqrt(schedule.alphas[t]);
  return map2(
    "compute the reverse mean from a score",
    ["x_t", "score"],
    xt,
    score,
    (x, g) => (x + beta * g) / sqrtAlpha,
  );
}

/**
 * sigma_t^2 for a choice: beta_t, tilde beta_t, or a given positive number. At t = 1 the choice
 * "betaTilde" gives 0, which has no density; it is then replaced by beta_1 (the reconstruction
 * p(x_0 | x_1) stays a proper Gaussian; Ho et al. also use beta_1-sized noise at t = 1 there).
 *
 * @example
 * ```ts
 * import { reverseVariance } from "./parameterisation.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const s = linearSchedule(10);
 * if (reverseVariance(s, 1, "betaTilde") !== s.betas[1]) throw new Error("t = 1 falls back to beta_1");
 * if (reverseVariance(s, 4, "betaTilde") !== s.betaTildes[4]) throw new Error();
 * ```
 */
export function reverseVariance(
  schedule: Schedule,
  t: number,
  choice: ReverseVarianceChoice,
): number {
  assertTimestep(schedule, t);
  if (typeof choice === "number") {
    assertPositive(choice, "choose the reverse variance", "sigma_t^2");
    return choice;
  }
  if (choice === "beta" || t === 1) return schedule.betas[t];
  if (choice === "betaTilde") return schedule.betaTildes[t];
  throw new RangeError(
    `Cannot choose the reverse variance as the choice must be "beta", "betaTilde" or a number: current value is ${choice}`,
  );
}

/**
 * The weight lambda_t with KL(q(x_{t-1} | x_t, x_0) || p_theta(x_{t-1} | x_t)) =
 * lambda_t ||pred - target||^2 + const, for a network predicting eps, x_0 or the score, when
 * p_theta has mean from `reverseMeanFrom*` and variance sigma_t^2 (`eq:kl-equal-cov`):
 * lambda_t = c_t^2 / (2 sigma_t^2), where c_t is the factor relating the mean error to the
 * prediction error: eps: beta_t / (sqrt(alpha_t) sqrt(1 - alphaBar_t)); x0: the x_0 coefficient
 * of tilde mu_t; score: beta_t / sqrt(alpha_t). Implements `eq:simple-loss` (the weights it drops).
 * With sigma_t^2 = beta_t it equals train.ts's `elboWeight`.
 *
 * @param schedule The noise schedule.
 * @param t Step in 1..T.
 * @param parameterisation What the network predicts.
 * @param variance sigma_t^2 (default "beta").
 * @example
 * ```ts
 * import { lossWeight } from "./parameterisation.ts";
 * import { scheduleFromBetas } from "./schedule.ts";
 * const s = scheduleFromBetas([0.36]); // beta_1 = 0.36, alpha_1 = 0.64, 1 - alphaBar_1 = 0.36
 * // eps: 0.36^2 / (2 * 0.36 * 0.64 * 0.36) = 1 / 1.28
 * if (Math.abs(lossWeight(s, 1, "eps") - 1 / 1.28) > 1e-14) throw new Error();
 * ```
 */
export function lossWeight(
  schedule: Schedule,
  t: number,
  parameterisation: PredictionTarget,
  variance: ReverseVarianceChoice = "beta",
): number {
  const sigma2 = reverseVariance(schedule, t, variance);
  const beta = schedule.betas[t], alpha = schedule.alphas[t], oneMinus = 1 - schedule.alphaBars[t];
  let c2: number;
  if (parameterisation === "eps") c2 = (beta * beta) / (alpha * oneMinus);
  else if (parameterisation === "score") c2 = (beta * beta) / alpha;
  else if (parameterisation === "x0") c2 = t === 1 ? 1 : schedule.posteriorCoefX0[t] ** 2;
  else {
    throw new RangeError(
      `Cannot compute the loss weight as the parameterisation must be "eps", "x0" or "score": current value is ${parameterisation}`,
    );
  }
  const lambda = c2 / (2 * sigma2); // \lambda_t = c_t^2 / (2 \sigma_t^2)
  if (!Number.isFinite(lambda)) {
    throw new RangeError(
      `Cannot compute the loss weight at step ${t} as 1 - alphaBar_t must be > 0: current value is ${oneMinus}`,
    );
  }
  return lambda;
}
