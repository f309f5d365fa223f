/**
 * Tweedie's denoiser in the Parameterisations demo, exact and learned, without tfjs: the probe
 * points x_t ~ q(x_t) at a chosen t, the exact E[x_0 | x_t] for the mixture, a network output
 * turned into its x_0-prediction through the engine's conversions, and the distance between the
 * two. The island calls it for the exact picture; the worker for the learned one and the error.
 *
 * @module
 */
import { marginalAt, type Mixture, mixtureSample, tweedieMean } from "../../engine/mixture.ts";
import { x0FromEps, x0FromScore } from "../../engine/parameterisation.ts";
import type { PredictionTarget } from "../../engine/parameterisation.ts";
import { createRng } from "../../engine/rng.ts";
import type { Schedule } from "../../engine/schedule.ts";

/** Probe points per t: enough for a steady RMS error, few enough to draw as arrows. */
export const PROBE_COUNT = 96;

/** Noisy points and where the exact denoiser sends them. */
export interface TweedieProbe {
  /** The step t in 1..T. */
  t: number;
  /** Flat [n, 2] points x_t drawn from q(x_t) (seeded by t, so every model sees the same ones). */
  xt: Float64Array;
  /** Flat [n, 2] exact E[x_0 | x_t] (`tweedieMean`, `eq:tweedie-diffusion`). */
  exact: Float64Array;
}

/**
 * Draws the probe points at step t and their exact Tweedie means.
 *
 * @param m The data mixture (dim 2).
 * @param schedule The schedule.
 * @param t Step in 1..T.
 * @param n Number of points ({@link PROBE_COUNT}).
 * @returns The probe.
 * @example
 * ```ts
 * import { tweedieProbe } from "./tweedie.ts";
 * import { labSchedule, ringMixture } from "./mixtures.ts";
 * const p = tweedieProbe(ringMixture(), labSchedule(), 1, 4);
 * // At t = 1 almost no noise was added: E[x_0 | x_1] is close to x_1 / sqrt(alphaBar_1).
 * if (Math.abs(p.exact[0] - p.xt[0]) > 0.05) throw new Error("small t: small move");
 * ```
 */
export function tweedieProbe(
  m: Mixture,
  schedule: Schedule,
  t: number,
  n = PROBE_COUNT,
): TweedieProbe {
  const xt = mixtureSample(marginalAt(m, schedule, t), n, createRng(7000 + t)).x; // [n, 2] ~ q(x_t)
  const exact = new Float64Array(2 * n); // [n, 2]
  for (let i = 0; i < n; i++) {
    exact.set(tweedieMean(m, schedule, t, [xt[2 * i], xt[2 * i + 1]]), 2 * i); // E[x_0 | x_t]
  }
  return { t, xt, exact };
}

/**
 * The x_0-prediction a network's output stands for: x_0 itself, or eps and the score converted by
 * `eq:x0-from-eps` and `eq:tweedie-diffusion` (engine/parameterisation.ts).
 *
 * @param schedule The schedule.
 * @param target What the network predicts.
 * @param xt Flat [n, 2] points x_t.
 * @param prediction Flat [n, 2] network outputs at those points.
 * @param t Step in 1..T.
 * @returns Flat [n, 2] predictions of x_0.
 * @example
 * ```ts
 * import { x0FromPrediction } from "./tweedie.ts";
 * import { scheduleFromBetas } from "../../engine/schedule.ts";
 * const s = scheduleFromBetas([0.36]); // sqrt(alphaBar_1) = 0.8
 * const x0 = x0FromPrediction(s, "eps", [1.4, 0.8], [1, 0], 1);
 * if (Math.abs(x0[0] - 1) > 1e-15) throw new Error("(1.4 - 0.6) / 0.8 = 1");
 * ```
 */
export function x0FromPrediction(
  schedule: Schedule,
  target: PredictionTarget,
  xt: ArrayLike<number>,
  prediction: ArrayLike<number>,
  t: number,
): Float64Array {
  if (target === "eps") return x0FromEps(schedule, xt, prediction, t);
  if (target === "score") return x0FromScore(schedule, xt, prediction, t);
  return Float64Array.from(prediction);
}

/**
 * Root mean squared distance between matching points: sqrt((1/n) sum_i ||a_i - b_i||^2).
 *
 * @param a Flat [n, 2] points.
 * @param b Flat [n, 2] points.
 * @returns The RMS distance.
 * @example
 * ```ts
 * import { rmsDistance } from "./tweedie.ts";
 * if (rmsDistance([0, 0, 0, 0], [3, 4, 0, 0]) !== Math.sqrt(12.5)) throw new Error("sqrt(25 / 2)");
 * ```
 */
export function rmsDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0 || a.length % 2 !== 0) {
    throw new RangeError(
      `Cannot compare point sets as they must be flat [n, 2] arrays of one length: ` +
        `current lengths are ${a.length} and ${b.length}`,
    );
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / (a.length / 2));
}
