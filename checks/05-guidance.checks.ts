/**
 * Numeric checks of chapter 5 (Guidance). The data are labelled Gaussian mixtures, for which the
 * noisy classifier p(y | x_t), the unconditional score and every class-conditional score are exact
 * (engine `mixture.ts`). Independent routes: quadrature over x_0 or x_t (engine `trapezoid`) and
 * fourth-order finite differences of engine log-densities.
 *
 * @module
 */
import { check, type EquationCheck, maxAbsDiff } from "./harness.ts";
import {
  classConditionalScore,
  classMixture,
  createMixture,
  createRng,
  epsFromScore,
  forwardMarginalLogPdf,
  linearSchedule,
  marginalAt,
  marginalScore,
  type Mixture,
  mixtureLogPdf,
  noisyClassifier,
  noisyClassifierGradient,
  optimalEps,
  reverseKernel,
  type Rng,
  type Schedule,
} from "../engine/mod.ts";
import { trapezoid } from "../engine/quadrature.ts";
import { gradientFd } from "./finite_difference.ts";
import * as tf from "@tensorflow/tfjs";
import { noisyClassifierGradients } from "../engine/noisy_classifier_batch.ts";
import { classifierGuidedEpsModel } from "../engine/samplers.ts";

const FD_TOL = 1e-6;
const FD_REASON =
  "fourth-order central differences, h = 1e-3: truncation ~h^4 |f^(5)| (narrowest component variance 0.08) plus rounding ~1e-13, relative to max(1, |score|)";

/** A labelled 2-D mixture: two classes, one of them with two components, overlapping a little. */
function labelled2d(): Mixture {
  return createMixture({
    weights: [0.3, 0.2, 0.5],
    means: [[-1.2, 0.8], [-0.2, -1.1], [1.1, 0.4]],
    variances: [0.08, 0.15, 0.2],
    labels: [0, 0, 1],
  });
}

/** A labelled 1-D mixture with three classes, for quadrature. */
function labelled1d(): Mixture {
  return createMixture({
    weights: [0.25, 0.25, 0.2, 0.3],
    means: [-2, -0.5, 0.7, 2.1],
    variances: [0.1, 0.2, 0.05, 0.3],
    labels: [0, 1, 1, 2],
  });
}

/** Steps to test: t = 1, T and points between. */
function steps(schedule: Schedule): number[] {
  const T = schedule.T;
  return [...new Set([1, 2, Math.floor(T / 4), Math.floor(T / 2), T - 1, T])].filter((t) =>
    t >= 1 && t <= T
  );
}

function randomPoint(rng: Rng, dim: number, scale: number): Float64Array {
  return Float64Array.from({ length: dim }, () => scale * rng.normal());
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return maxAbsDiff(a, b) / Math.max(1, ...Array.from(b, Math.abs));
}

/**
 * The score of the tilted density q(x_t) p(y | x_t)^gamma at x_t, by finite differences of the
 * engine's noisy marginal `noisy` (= marginalAt(data, schedule, t)) and noisy classifier: the
 * independent route both classifier-guidance checks compare with.
 */
function tiltedScoreFd(
  data: Mixture,
  schedule: Schedule,
  t: number,
  noisy: Mixture,
  gamma: number,
  y: number,
  xt: ArrayLike<number>,
): Float64Array {
  return gradientFd(
    (x) => mixtureLogPdf(noisy, x) + gamma * Math.log(noisyClassifier(data, schedule, t, x)[y]),
    xt,
  );
}

/** FD_TOL plus float32 rounding of the tfjs guidance route, relative to max(1, |score|). */
const F32_GUIDED_TOL = FD_TOL + 4 * (1 + 7.5) * 2 ** -24 * 8;

const SCHEDULES = [linearSchedule(100), linearSchedule(10, 0.05, 0.5)];

export const checks: EquationCheck[] = [
  check(
    "eq:conditional-chain",
    "exact class-conditional reverse step carries $q(x_t|y)$ to $q(x_{t-1}|y)$: quadrature over $x_t$",
    () => {
      const data = labelled1d(), seed = 501, rng = createRng(seed);
      let maxError = 0, samples = 0;
      for (const schedule of [linearSchedule(100), linearSchedule(6, 0.05, 0.5)]) {
        for (const t of [1, 2, Math.floor(schedule.T / 2), schedule.T]) {
          for (const y of [0, 1, 2]) {
            const cls = classMixture(data, y);
            const now = marginalAt(cls, schedule, t), before = marginalAt(cls, schedule, t - 1);
            {
              const xPrev = 2 * rng.normal();
              const integrand = (xt: number) =>
                Math.exp(
                  mixtureLogPdf(reverseKernel(cls, schedule, t, xt), xPrev) +
                    mixtureLogPdf(now, xt),
                );
              const pushed = trapezoid(integrand, -9, 9, 2001); // int q(x_{t-1}|x_t,y) q(x_t|y) dx_t
              const direct = Math.exp(mixtureLogPdf(before, xPrev));
              maxError = Math.max(maxError, Math.abs(pushed - direct) / Math.max(direct, 1e-3));
              samples++;
            }
          }
        }
      }
      return {
        maxError,
        tolerance: 1e-9,
        toleranceReason:
          "trapezoid rule, 2001 nodes on [-9, 9]; the integrand's narrowest bump (sd ~0.2 at t = 1) has ~22 nodes per sd: geometric convergence; relative to max(density, 1e-3)",
        samples,
        seed,
      };
    },
  ),
  check(
    "eq:noisy-classifier",
    "noisyClassifier vs quadrature of the clean classifier over $q(x_0|x_t)$ (1-D, three classes)",
    () => {
      const data = labelled1d(), seed = 502, rng = createRng(seed);
      const clean = new Map<number, Float64Array>(); // q(y | x_0) on the quadrature grid
      const cleanAt = (x0: number) => {
        let p = clean.get(x0);
        if (!p) clean.set(x0, p = noisyClassifier(data, linearSchedule(1), 0, x0)); // t = 0
        return p;
      };
      let maxError = 0, samples = 0;
      for (const schedule of SCHEDULES) {
        for (const t of steps(schedule)) {
          for (let k = 0; k < 2; k++) {
            const xt = 1.5 * rng.normal();
            const weight = (x0: number) =>
              Math.exp(forwardMarginalLogPdf(schedule, xt, x0, t) + mixtureLogPdf(data, x0));
            const mass = trapezoid(weight, -8, 8, 6001);
            const exact = noisyClassifier(data, schedule, t, xt);
            for (const y of [0, 1, 2]) {
              const byQuad = trapezoid(
                (x0) => cleanAt(x0)[y] * weight(x0),
                -8,
                8,
                6001,
              ) / mass;
              maxError = Math.max(maxError, Math.abs(byQuad - exact[y]));
            }
            samples++;
          }
        }
      }
      return {
        maxError,
        tolerance: 1e-9,
        toleranceReason:
          "trapezoid rule, 6001 nodes on [-8, 8] over $x_0$; the narrowest integrand ($q(x_0 \\mid x_t)$ at $t = 1$, sd ~0.03) has ~11 nodes per sd: geometric convergence",
        samples,
        seed,
      };
    },
  ),
  check(
    "eq:classifier-guidance",
    "$\\gamma = 1$: $\\nabla \\log q(x_t) + \\nabla \\log p(y|x_t)$ (finite differences) = class-conditional score",
    () => {
      const data = labelled2d(), seed = 503, rng = createRng(seed);
      let maxError = 0, samples = 0;
      for (const schedule of SCHEDULES) {
        for (const t of steps(schedule)) {
          for (let k = 0; k < 4; k++) {
            const xt = randomPoint(rng, 2, 1.3);
            for (const y of [0, 1]) {
              const classifierGrad = gradientFd(
                (x) => Math.log(noisyClassifier(data, schedule, t, x)[y]),
                xt,
              );
              const guided = marginalScore(data, schedule, t, xt).map((s, i) =>
                s + classifierGrad[i]
              );
              const conditional = classConditionalScore(data, schedule, t, xt, y);
              maxError = Math.max(maxError, relErr(guided, conditional));
              samples++;
            }
          }
        }
      }
      return { maxError, tolerance: FD_TOL, toleranceReason: FD_REASON, samples, seed };
    },
  ),
  check(
    "eq:classifier-guidance",
    "any $\\gamma$: score $+ \\gamma \\cdot$ classifier gradient = finite differences of $\\log q(x_t) + \\gamma \\log p(y|x_t)$",
    () => {
      const data = labelled2d(), seed = 504, rng = createRng(seed);
      let maxError = 0, samples = 0;
      for (const schedule of SCHEDULES) {
        for (const t of steps(schedule)) {
          const noisy = marginalAt(data, schedule, t);
          for (const gamma of [0, 0.5, 2, 7.5]) {
            const xt = randomPoint(rng, 2, 1.3), y = rng.int(2);
            const grad = noisyClassifierGradient(data, schedule, t, xt, y);
            const guided = marginalScore(data, schedule, t, xt).map((s, i) => s + gamma * grad[i]);
            const tilted = tiltedScoreFd(data, schedule, t, noisy, gamma, y, xt);
            maxError = Math.max(maxError, relErr(guided, tilted));
            samples++;
          }
        }
      }
      return { maxError, tolerance: FD_TOL, toleranceReason: FD_REASON, samples, seed };
    },
  ),
  check(
    "eq:classifier-guidance",
    "the Guidance demo's tfjs classifierGuidedEpsModel with noisyClassifierGradients, as a score $-\\tilde\\epsilon/\\sqrt{1-\\bar\\alpha_t}$, vs finite differences of $\\log q(x_t) + \\gamma \\log p(y|x_t)$",
    () => {
      // Route A: the code the demo's classifier-guided ddpmSample runs (the exact unconditional eps
      // as the model, the batch noisy-classifier gradient, the engine's guidance wrapper on tfjs),
      // turned into a score by hand. Route B: finite differences of the tilted log-density. A flipped
      // sign or a missing sqrt(1 - alphaBar_t) in the wrapper moves the score by ~gamma |grad|.
      const data = labelled2d(), seed = 507, rng = createRng(seed), n = 4;
      let maxError = 0, samples = 0;
      for (const schedule of SCHEDULES) {
        for (const t of steps(schedule)) {
          const noisy = marginalAt(data, schedule, t);
          for (const gamma of [0.5, 2, 7.5]) {
            const y = rng.int(2);
            const points = Float64Array.from({ length: n * 2 }, () => 1.3 * rng.normal()); // [n, 2]
            const model = (x: tf.Tensor2D, tt: number): tf.Tensor2D => {
              const v = x.dataSync(); // [n, 2]
              const eps = new Float32Array(v.length); // [n, 2] exact E[eps | x_t]
              for (let i = 0; i < v.length; i += 2) {
                eps.set(optimalEps(data, schedule, tt, v.subarray(i, i + 2)), i);
              }
              return tf.tensor2d(eps, [v.length / 2, 2]); // [n, 2]
            };
            const grad = (x: tf.Tensor2D, tt: number): tf.Tensor2D =>
              tf.tensor2d(
                Float32Array.from(noisyClassifierGradients(data, schedule, tt, x.dataSync(), y)),
                [x.shape[0], 2],
              ); // [n, 2] grad_x log p(y | x_t)
            const guided = classifierGuidedEpsModel(model, schedule, grad, gamma);
            const epsTilde = tf.tidy(() =>
              guided(tf.tensor2d(Float32Array.from(points), [n, 2]), t).dataSync()
            ); // [n, 2]
            const sd = Math.sqrt(1 - schedule.alphaBars[t]);
            for (let i = 0; i < n; i++) {
              const xt = points.subarray(2 * i, 2 * i + 2);
              const score = [0, 1].map((k) => -epsTilde[2 * i + k] / sd); // [2]
              const tilted = tiltedScoreFd(data, schedule, t, noisy, gamma, y, xt);
              maxError = Math.max(maxError, relErr(score, tilted));
              samples++;
            }
          }
        }
      }
      return {
        maxError,
        tolerance: F32_GUIDED_TOL,
        toleranceReason: FD_REASON +
          "; plus float32 rounding of the tfjs route, ~4 roundings of 2^-24 on $\\epsilon$ and $\\gamma \\sqrt{1 - \\bar\\alpha_t}$ times the classifier gradient ($\\gamma \\le 7.5$)",
        samples,
        seed,
      };
    },
  ),
  check(
    "eq:cfg-score",
    "$\\gamma \\nabla \\log q(x_t|y) + (1-\\gamma) \\nabla \\log q(x_t) = \\nabla \\log q(x_t) + \\gamma \\nabla \\log p(y|x_t)$ (finite differences)",
    () => {
      const data = labelled2d(), seed = 505, rng = createRng(seed);
      let maxError = 0, samples = 0;
      for (const schedule of SCHEDULES) {
        for (const t of steps(schedule)) {
          for (const gamma of [0, 0.5, 1, 3, 7.5]) {
            const xt = randomPoint(rng, 2, 1.3), y = rng.int(2);
            const cond = classConditionalScore(data, schedule, t, xt, y);
            const uncond = marginalScore(data, schedule, t, xt);
            const cfg = cond.map((c, i) => gamma * c + (1 - gamma) * uncond[i]);
            const classifierGrad = gradientFd(
              (x) => Math.log(noisyClassifier(data, schedule, t, x)[y]),
              xt,
            );
            const viaClassifier = uncond.map((u, i) => u + gamma * classifierGrad[i]);
            maxError = Math.max(maxError, relErr(cfg, viaClassifier));
            samples++;
          }
        }
      }
      return {
        maxError,
        tolerance: FD_TOL * 8,
        toleranceReason: FD_REASON + ", times gamma <= 7.5",
        samples,
        seed,
      };
    },
  ),
  check(
    "eq:cfg-eps",
    "$\\gamma \\epsilon^*(x_t,y) + (1-\\gamma) \\epsilon^*(x_t)$ (exact posteriors) = the CFG score in noise units",
    () => {
      const data = labelled2d(), seed = 506, rng = createRng(seed);
      let maxError = 0, samples = 0;
      for (const schedule of SCHEDULES) {
        for (const t of steps(schedule)) {
          for (const gamma of [0, 1, 2.5, 7.5]) {
            const xt = randomPoint(rng, 2, 1.3), y = rng.int(2);
            // route A: optimal noise predictions, each E[eps | x_t] from the exact q(x_0 | x_t)
            const epsCond = optimalEps(classMixture(data, y), schedule, t, xt);
            const epsUncond = optimalEps(data, schedule, t, xt);
            const cfgEps = epsCond.map((e, i) => gamma * e + (1 - gamma) * epsUncond[i]);
            const w = gamma - 1; // the (1 + w) eps_c - w eps_u convention of the samplers
            const cfgEpsW = epsCond.map((e, i) => (1 + w) * e - w * epsUncond[i]);
            // route B: the guided score from the diffused mixtures' densities, converted to eps
            const cond = classConditionalScore(data, schedule, t, xt, y);
            const uncond = marginalScore(data, schedule, t, xt);
            const cfgScore = cond.map((c, i) => gamma * c + (1 - gamma) * uncond[i]);
            const viaScore = epsFromScore(schedule, xt, cfgScore, t);
            maxError = Math.max(
              maxError,
              maxAbsDiff(cfgEps, viaScore),
              maxAbsDiff(cfgEpsW, viaScore),
            );
            samples++;
          }
        }
      }
      return {
        maxError,
        tolerance: 1e-11,
        toleranceReason:
          "float64 closed forms on both routes; $|\\gamma| \\le 7.5$ and $1/\\sqrt{\\bar\\alpha_t} \\le 220$ amplify ~1e-16 rounding to < 1e-12",
        samples,
        seed,
      };
    },
  ),
];

export { spec as typeset } from "./05-guidance.typeset.ts";
