/**
 * Numeric checks for every labelled equation of chapter 1, "Why the reverse step needs a model".
 * Each check computes the equation along two routes through `engine/`: a closed form against a
 * brute-force integral (trapezoid rule, accurate to round-off for these smooth integrands), against
 * Bayes' rule evaluated term by term, or against Monte Carlo with its standard error.
 *
 * @module
 */
import { check, type EquationCheck, maxAbsDiff } from "./harness.ts";
import {
  forwardKernelLogPdf,
  forwardMarginalLogPdf,
  forwardSample,
  forwardStep,
} from "../engine/forward.ts";
import { gaussianLogPdf } from "../engine/gaussian.ts";
import {
  createMixture,
  marginalAt,
  type Mixture,
  mixtureLogPdf,
  mixtureSample,
  mixtureVariance,
  optimalEps,
  reverseKernel,
  x0Posterior,
} from "../engine/mixture.ts";
import { reverseMeanFromEps, x0FromEps } from "../engine/parameterisation.ts";
import { posteriorLogPdf, posteriorMean, posteriorVariance } from "../engine/posterior.ts";
import { densityMoments, trapezoid } from "../engine/quadrature.ts";
import { createRng, type Rng } from "../engine/rng.ts";
import * as tf from "@tensorflow/tfjs";
import {
  ddimStep,
  ddimStepTensor,
  ddpmSigma,
  ddpmStepMean,
  ddpmStepTensor,
} from "../engine/samplers.ts";
import {
  cosineSchedule,
  linearSchedule,
  type Schedule,
  sohlDicksteinSchedule,
} from "../engine/schedule.ts";

/** The three schedule families, at the sizes the book uses. */
const SCHEDULES: Schedule[] = [linearSchedule(100), cosineSchedule(100), sohlDicksteinSchedule(40)];

/** A 1-D three-component mixture with narrow, unequal components: clearly non-Gaussian data. */
const DATA: Mixture = createMixture({
  weights: [0.3, 0.5, 0.2],
  means: [-2, 0.5, 2.5],
  variances: [0.05, 0.2, 0.02],
});

/** Edge steps t = 1 and t = T and two random steps in between. */
function stepsToTest(s: Schedule, rng: Rng, from = 1): number[] {
  return [from, from + 1 + rng.int(s.T - from - 1), from + 1 + rng.int(s.T - from - 1), s.T];
}

/** Sample mean, variance and their standard errors (the variance's from the fourth moment). */
function sampleMoments(xs: ArrayLike<number>) {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let m2 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (xs[i] - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  const variance = m2 / (n - 1);
  m4 /= n;
  return {
    mean: m,
    variance,
    meanSe: Math.sqrt(variance / n),
    varianceSe: Math.sqrt(Math.max(m4 - variance * variance, 1e-300) / n),
  };
}

/** Largest |z| of the sample mean and variance against expected values. */
function zScores(xs: ArrayLike<number>, mean: number, variance: number): number {
  const s = sampleMoments(xs);
  return Math.max(
    Math.abs(s.mean - mean) / s.meanSe,
    Math.abs(s.variance - variance) / s.varianceSe,
  );
}

/** log q(x_s) for the mixture data by quadrature over x_0 (never the closed-form marginal). */
function logMarginalByQuadrature(s: Schedule, step: number, x: number): number {
  if (step === 0) return mixtureLogPdf(DATA, x);
  return densityMoments(
    (x0) => forwardMarginalLogPdf(s, x, x0, step) + mixtureLogPdf(DATA, x0),
    -4,
    5,
    1601,
  ).logMass;
}

/**
 * Moments of q(x_{t-1} | x_t, x_0) from Bayes' rule term by term, by quadrature over x_{t-1}. The
 * grid covers both the prior q(x_{t-1} | x_0) and the likelihood in x_{t-1}, with 24 points per
 * standard deviation of the narrower one (the posterior is at least 1/sqrt(2) as wide).
 */
function bayesPosteriorMoments(s: Schedule, xt: number, x0: number, t: number) {
  const priorMean = Math.sqrt(s.alphaBars[t - 1]) * x0, priorSd = Math.sqrt(1 - s.alphaBars[t - 1]);
  const likMean = xt / Math.sqrt(s.alphas[t]), likSd = Math.sqrt(s.betas[t] / s.alphas[t]);
  const lo = Math.min(priorMean - 12 * priorSd, likMean - 12 * likSd);
  const hi = Math.max(priorMean + 12 * priorSd, likMean + 12 * likSd);
  const h = Math.min(priorSd, likSd) / 24;
  const n = Math.min(200_001, Math.ceil((hi - lo) / h) + 1);
  return densityMoments(
    (xPrev) =>
      forwardKernelLogPdf(s, xt, xPrev, t) + forwardMarginalLogPdf(s, xPrev, x0, t - 1) -
      forwardMarginalLogPdf(s, xt, x0, t),
    lo,
    hi,
    n,
  );
}

/**
 * Bayes' rule by quadrature ({@link bayesPosteriorMoments}) at three draws of (x_0, x_t) on each
 * tested step t >= 2 of each schedule, handed to `visit` with the schedule, x_t, x_0 and t.
 *
 * @returns how many posteriors were visited
 */
function forEachBayesPosterior(
  rng: Rng,
  visit: (
    m: ReturnType<typeof bayesPosteriorMoments>,
    s: Schedule,
    xt: number,
    x0: number,
    t: number,
  ) => void,
): number {
  let samples = 0;
  for (const s of SCHEDULES) {
    for (const t of stepsToTest(s, rng, 2)) {
      for (let j = 0; j < 3; j++) {
        const x0 = 2 * rng.normal();
        const xt = forwardSample(s, x0, t, rng).xt;
        visit(bayesPosteriorMoments(s, xt, x0, t), s, xt, x0, t);
        samples++;
      }
    }
  }
  return samples;
}

export const checks: EquationCheck[] = [
  check(
    "eq:forward-kernel",
    "forwardKernelLogPdf integrates to mass 1, mean $\\sqrt{1-\\beta}\\,x$, variance $\\beta$",
    () => {
      const rng = createRng(101);
      let maxError = 0, samples = 0;
      for (const s of SCHEDULES) {
        for (const t of stepsToTest(s, rng)) {
          const xPrev = 3 * rng.normal();
          const mean = Math.sqrt(1 - s.betas[t]) * xPrev, sd = Math.sqrt(s.betas[t]);
          const m = densityMoments(
            (x) => forwardKernelLogPdf(s, x, xPrev, t),
            mean - 14 * sd,
            mean + 14 * sd,
            449,
          );
          maxError = Math.max(
            maxError,
            Math.abs(m.mass - 1),
            Math.abs(m.mean - mean) / sd,
            Math.abs(m.variance / s.betas[t] - 1),
          );
          samples++;
        }
      }
      return {
        maxError,
        tolerance: 1e-12,
        toleranceReason: "trapezoid rule with 16 points per sd over +-14 sd: truncation and " +
          "discretisation below 1e-40, so only float64 round-off of ~450 terms (~1e-14) remains",
        samples,
        seed: 101,
      };
    },
  ),

  check(
    "eq:forward-kernel",
    "forwardStep draws have mean $\\sqrt{1-\\beta}\\,x$ and variance $\\beta$ (4 SE)",
    () => {
      const rng = createRng(102);
      const n = 20_000;
      let maxError = 0, samples = 0;
      for (const s of SCHEDULES) {
        for (const t of [1, Math.ceil(s.T / 2), s.T]) {
          const xPrev = 1.3;
          const draws = new Float64Array(n);
          for (let i = 0; i < n; i++) draws[i] = forwardStep(s, xPrev, t, rng);
          maxError = Math.max(
            maxError,
            zScores(draws, Math.sqrt(1 - s.betas[t]) * xPrev, s.betas[t]),
          );
          samples += n;
        }
      }
      return {
        maxError,
        tolerance: 4,
        toleranceReason: "error measured in standard errors of the sample mean and variance " +
          `(n = ${n} per case, 9 cases x 2 moments); 4 SE`,
        samples,
        seed: 102,
      };
    },
  ),

  check(
    "eq:forward-marginal",
    "$t$ chained forwardSteps and the one-jump sampler vs the moments of $q(x_t|x_0)$",
    () => {
      const rng = createRng(103);
      const n = 6_000, x0 = 1.5;
      let maxError = 0, samples = 0;
      for (const s of SCHEDULES) {
        for (const t of [1, 2, 1 + rng.int(s.T), s.T]) {
          // route B: the closed-form density, integrated numerically
          const mean = Math.sqrt(s.alphaBars[t]) * x0, sd = Math.sqrt(1 - s.alphaBars[t]);
          const m = densityMoments(
            (x) => forwardMarginalLogPdf(s, x, x0, t),
            mean - 14 * sd,
            mean + 14 * sd,
            449,
          );
          // route A: the Markov chain itself, t steps of the kernel
          const chained = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            let x = x0;
            for (let u = 1; u <= t; u++) x = forwardStep(s, x, u, rng);
            chained[i] = x;
          }
          const jumped = new Float64Array(n);
          for (let i = 0; i < n; i++) jumped[i] = forwardSample(s, x0, t, rng).xt;
          maxError = Math.max(
            maxError,
            zScores(chained, m.mean, m.variance),
            zScores(jumped, m.mean, m.variance),
            Math.abs(m.mass - 1) * 1e12,
          );
          samples += 2 * n;
        }
      }
      return {
        maxError,
        tolerance: 4,
        toleranceReason:
          "sample moments of the chain and of the one-jump sampler in standard errors " +
          `(n = ${n} each), 4 SE; the density's mass is also required to be 1 within 4e-12`,
        samples,
        seed: 103,
      };
    },
  ),

  check(
    "eq:bayes-reverse",
    "reverseKernel for mixture data vs Bayes' rule with marginals integrated over $x_0$",
    () => {
      const rng = createRng(104);
      let maxError = 0, samples = 0;
      for (const s of [SCHEDULES[0], SCHEDULES[2]]) {
        for (const t of [1, 2, 1 + rng.int(s.T), s.T]) {
          for (let j = 0; j < 2; j++) {
            const xt = marginalSampleAt(s, t, rng);
            const logQt = logMarginalByQuadrature(s, t, xt);
            const exact = reverseKernel(DATA, s, t, xt);
            for (let k = 0; k < 3; k++) {
              const xPrev = mixtureSample(exact, 1, rng).x[0];
              const bayes = forwardKernelLogPdf(s, xt, xPrev, t) +
                logMarginalByQuadrature(s, t - 1, xPrev) - logQt;
              maxError = Math.max(maxError, Math.abs(bayes - mixtureLogPdf(exact, xPrev)));
              samples++;
            }
          }
        }
      }
      return {
        maxError,
        tolerance: 1e-11,
        toleranceReason: "absolute error in a log-density: the trapezoid marginals (1601 points, " +
          ">= 9 per sd of the narrowest integrand) converge geometrically, so only summation " +
          "round-off (~1e-13) remains; x100 margin",
        samples,
        seed: 104,
      };
    },
  ),

  check(
    "eq:mixture-reverse-kernel",
    "reverseKernel's weights, means, variances vs Gaussian regression per component",
    () => {
      const rng = createRng(105);
      let maxError = 0, samples = 0;
      for (const s of SCHEDULES) {
        for (const t of stepsToTest(s, rng)) {
          const xt = 2 * rng.normal();
          const kernel = reverseKernel(DATA, s, t, xt);
          const K = DATA.weights.length;
          // Route B: (x_{t-1}, x_t) given component k is jointly Gaussian; condition by regression.
          const logW = new Float64Array(K), means = new Float64Array(K), vars = new Float64Array(K);
          for (let k = 0; k < K; k++) {
            const mu = DATA.means[k][0], v = DATA.variances[k];
            const varPrev = s.alphaBars[t - 1] * v + 1 - s.alphaBars[t - 1]; // Var(x_{t-1} | k)
            const cov = Math.sqrt(s.alphas[t]) * varPrev; // Cov(x_{t-1}, x_t | k)
            const varT = s.alphas[t] * varPrev + s.betas[t]; // Var(x_t | k)
            means[k] = Math.sqrt(s.alphaBars[t - 1]) * mu +
              (cov / varT) * (xt - Math.sqrt(s.alphaBars[t]) * mu);
            vars[k] = varPrev - (cov * cov) / varT;
            logW[k] = Math.log(DATA.weights[k]) +
              gaussianLogPdf(xt, Math.sqrt(s.alphaBars[t]) * mu, varT);
          }
          let top = -Infinity, total = 0;
          for (const l of logW) top = Math.max(top, l);
          for (const l of logW) total += Math.exp(l - top);
          const weights = logW.map((l) => Math.exp(l - top) / total);
          if (kernel.weights.length !== K) {
            throw new Error(
              `reverseKernel must keep ${K} components: current value is ${kernel.weights.length}`,
            );
          }
          maxError = Math.max(
            maxError,
            maxAbsDiff(kernel.weights, weights),
            maxAbsDiff(kernel.means.map((m) => m[0]), means),
            maxAbsDiff(kernel.variances.map((v, k) => v / vars[k]), vars.map(() => 1)),
          );
          samples += K;
        }
      }
      return {
        maxError,
        tolerance: 1e-11,
        toleranceReason:
          "two float64 algebraic routes (precision sum vs regression); values of order " +
          "1-10, a few dozen operations each: round-off ~1e-14, cancellation in the t = 1 variance " +
          "($\\beta_1 \\approx 10^{-3}$) costs up to 3 more digits",
        samples,
        seed: 105,
      };
    },
  ),

  check(
    "eq:posterior-gaussian",
    "posteriorLogPdf vs Bayes' rule $q(x_t|x_{t-1})\\, q(x_{t-1}|x_0) / q(x_t|x_0)$",
    () => {
      const rng = createRng(106);
      let maxError = 0, samples = 0;
      for (const s of SCHEDULES) {
        for (const t of stepsToTest(s, rng, 2)) {
          for (let j = 0; j < 5; j++) {
            const x0 = 2 * rng.normal();
            const xt = forwardSample(s, x0, t, rng).xt;
            const xPrev = posteriorMean(s, xt, x0, t) +
              2 * Math.sqrt(posteriorVariance(s, t)) * rng.normal();
            const a = forwardKernelLogPdf(s, xt, xPrev, t);
            const b = forwardMarginalLogPdf(s, xPrev, x0, t - 1);
            const c = forwardMarginalLogPdf(s, xt, x0, t);
            const scale = Math.max(1, Math.abs(a), Math.abs(b), Math.abs(c));
            maxError = Math.max(
              maxError,
              Math.abs(a + b - c - posteriorLogPdf(s, xPrev, xt, x0, t)) / scale,
            );
            samples++;
          }
        }
      }
      return {
        maxError,
        tolerance: 1e-11,
        toleranceReason: "error relative to the largest of the three log-density terms; float64 " +
          "round-off is ~1e-15, but $1 - \\bar\\alpha_{t-1}$ at $t = 2$ is ~1e-3 and loses 3 digits; x10 margin",
        samples,
        seed: 106,
      };
    },
  ),

  check(
    "eq:posterior-mean",
    "posteriorMean vs the mean of Bayes' rule by quadrature ($t = 1$: the point $x_0$)",
    () => {
      const rng = createRng(107);
      let maxError = 0;
      let samples = forEachBayesPosterior(rng, (m, s, xt, x0, t) => {
        const error = Math.abs(m.mean - posteriorMean(s, xt, x0, t)) / Math.sqrt(m.variance);
        maxError = Math.max(maxError, error);
      });
      for (const s of SCHEDULES) {
        // t = 1: Bayes' rule is a point mass at x_0, so the mean must be x_0 whatever x_1 is.
        const x0 = rng.normal(), x1 = forwardSample(s, x0, 1, rng).xt;
        const viaCoefficients = s.posteriorCoefX0[1] * x0 + s.posteriorCoefXt[1] * x1;
        maxError = Math.max(
          maxError,
          Math.abs(posteriorMean(s, x1, x0, 1) - x0),
          Math.abs(viaCoefficients - x0),
        );
        samples++;
      }
      return {
        maxError,
        tolerance: 1e-11,
        toleranceReason:
          "error in posterior standard deviations; trapezoid rule with 24 points per " +
          "sd is exact to round-off, and summing up to ~1e4 grid points leaves ~1e-13; x100 margin",
        samples,
        seed: 107,
      };
    },
  ),

  check(
    "eq:posterior-variance",
    "posteriorVariance vs the variance of Bayes' rule by quadrature ($t = 1$: 0)",
    () => {
      const rng = createRng(108);
      let maxError = 0;
      let samples = forEachBayesPosterior(rng, (m, s, _xt, _x0, t) => {
        maxError = Math.max(maxError, Math.abs(m.variance / posteriorVariance(s, t) - 1));
      });
      for (const s of SCHEDULES) {
        maxError = Math.max(maxError, Math.abs(posteriorVariance(s, 1)), Math.abs(s.betaTildes[1]));
        samples++;
      }
      return {
        maxError,
        tolerance: 1e-11,
        toleranceReason: "relative error of the variance; trapezoid rule exact to round-off, " +
          "summing up to ~1e4 grid points leaves ~1e-13; x100 margin",
        samples,
        seed: 108,
      };
    },
  ),

  check(
    "eq:reverse-as-expectation",
    "reverseKernel density vs $\\int q(x_{t-1}|x_t,x_0)\\, q(x_0|x_t)\\, dx_0$",
    () => {
      const rng = createRng(109);
      let maxError = 0, samples = 0;
      for (const s of [SCHEDULES[0], SCHEDULES[1]]) {
        for (const t of stepsToTest(s, rng, 2)) {
          const xt = marginalSampleAt(s, t, rng);
          const exact = reverseKernel(DATA, s, t, xt);
          const logQt = mixtureLogPdf(marginalAt(DATA, s, t), xt);
          for (let k = 0; k < 4; k++) {
            const xPrev = mixtureSample(exact, 1, rng).x[0];
            // q(x_0 | x_t) by Bayes: q(x_t | x_0) q(x_0) / q(x_t)
            const average = densityMoments(
              (x0) =>
                posteriorLogPdf(s, xPrev, xt, x0, t) + forwardMarginalLogPdf(s, xt, x0, t) +
                mixtureLogPdf(DATA, x0) - logQt,
              -4,
              5,
              2401,
            ).logMass;
            maxError = Math.max(maxError, Math.abs(average - mixtureLogPdf(exact, xPrev)));
            samples++;
          }
        }
      }
      return {
        maxError,
        tolerance: 1e-11,
        toleranceReason:
          "absolute error of a log-density; trapezoid rule over $x_0$ with at least 9 points " +
          "per sd of the narrowest integrand converges geometrically; summation round-off ~1e-13, " +
          "x100 margin",
        samples,
        seed: 109,
      };
    },
  ),

  check(
    "eq:eps-mean",
    "reverse mean from $\\hat\\epsilon$ vs posteriorMean at $\\hat x_0$, and the mean error = scaled $\\epsilon$ error",
    () => {
      const rng = createRng(110);
      let maxError = 0, samples = 0;
      for (const s of SCHEDULES) {
        for (const t of stepsToTest(s, rng)) {
          for (let j = 0; j < 5; j++) {
            const x0 = 2 * rng.normal();
            const { xt, eps } = forwardSample(s, x0, t, rng);
            const epsHat = eps + 0.5 * rng.normal();
            const muTheta = reverseMeanFromEps(s, xt, epsHat, t);
            const viaX0Hat = posteriorMean(s, xt, x0FromEps(s, xt, epsHat, t), t);
            const viaSampler = ddpmStepMean(s, [xt], [epsHat], t)[0];
            const scale = Math.max(1, Math.abs(xt) / Math.sqrt(s.alphaBars[t]));
            const meanError = (posteriorMean(s, xt, x0, t) - muTheta) ** 2;
            const epsError = (s.betas[t] ** 2 / (s.alphas[t] * (1 - s.alphaBars[t]))) *
              (eps - epsHat) ** 2;
            maxError = Math.max(
              maxError,
              Math.abs(muTheta - viaX0Hat) / scale,
              Math.abs(viaSampler - viaX0Hat) / scale,
              Math.abs(meanError - epsError) / Math.max(1e-3, epsError) / scale,
            );
            samples++;
          }
        }
      }
      return {
        maxError,
        tolerance: 1e-12,
        toleranceReason:
          "relative to the size of $\\hat x_0$ ($\\approx |x_t| / \\sqrt{\\bar\\alpha_t}$, up to ~200 times $|x_t|$ " +
          "at t = T), which the x0Hat route divides by and multiplies back: round-off ~1e-15 of that",
        samples,
        seed: 110,
      };
    },
  ),

  check(
    "eq:simple-loss",
    "Monte Carlo $L_\\text{simple}$ vs $E[(\\epsilon^* - f)^2] + E\\,\\mathrm{Var}(\\epsilon|x_t)$ by quadrature",
    () => {
      // The predictor under test: the exact E[eps | x_t] plus a deliberate error.
      const s = linearSchedule(25, 1e-3, 0.4);
      const f = (xt: number, t: number) => optimalEps(DATA, s, t, xt)[0] + 0.4 * Math.sin(2 * xt);
      const rng = createRng(111);
      const perStep = 400;
      // Route A: the loss as written, t stratified over 1..T (an unbiased estimate of the uniform average).
      let mcMean = 0, mcVar = 0;
      for (let t = 1; t <= s.T; t++) {
        const x0s = mixtureSample(DATA, perStep, rng).x;
        let m = 0, m2 = 0;
        for (let i = 0; i < perStep; i++) {
          const { xt, eps } = forwardSample(s, x0s[i], t, rng);
          const l = (eps - f(xt, t)) ** 2;
          m += l;
          m2 += l * l;
        }
        m /= perStep;
        mcMean += m / s.T;
        mcVar += (m2 / perStep - m * m) / (perStep - 1) / (s.T * s.T);
      }
      const se = Math.sqrt(mcVar);
      // Route B: squared bias of f against the exact optimum plus the irreducible variance
      // Var(eps | x_t) = alphaBar_t / (1 - alphaBar_t) Var(x_0 | x_t), integrated over q(x_t).
      let exact = 0;
      for (let t = 1; t <= s.T; t++) {
        const qt = marginalAt(DATA, s, t);
        const c = s.alphaBars[t] / (1 - s.alphaBars[t]);
        exact += trapezoid(
          (x) => {
            const bias = optimalEps(DATA, s, t, x)[0] - f(x, t);
            const varEps = c * mixtureVariance(x0Posterior(DATA, s, t, x))[0];
            return Math.exp(mixtureLogPdf(qt, x)) * (bias * bias + varEps);
          },
          -6,
          6,
          1201,
        ) / s.T;
      }
      return {
        maxError: Math.abs(mcMean - exact),
        tolerance: 4 * se,
        toleranceReason:
          `4 standard errors of the stratified Monte Carlo mean (${perStep} draws at each of ` +
          `${s.T} steps, SE ${se.toExponential(2)}); the quadrature route is exact to ~1e-10`,
        samples: perStep * s.T,
        seed: 111,
      };
    },
  ),

  check(
    "eq:ddpm-step",
    "ancestral DDPM with exact $\\epsilon$: $\\mathcal N(0,1)$ data stay $\\mathcal N(0, \\alpha_1)$; no noise shrinks to $\\bar\\alpha_T$",
    () => {
      const s = linearSchedule(100);
      const rng = createRng(112);
      const n = 8_000;
      const withNoise = new Float64Array(n), noNoise = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let x = rng.normal(), y = x;
        for (let t = s.T; t >= 1; t--) {
          const epsStar = Math.sqrt(1 - s.alphaBars[t]); // E[eps | x_t] = sqrt(1 - alphaBar_t) x_t for N(0,1) data
          const z = t > 1 ? rng.normal() : 0;
          x = ddpmStepMean(s, [x], [epsStar * x], t)[0] + ddpmSigma(s, t, "beta") * z;
          y = ddpmStepMean(s, [y], [epsStar * y], t)[0];
        }
        withNoise[i] = x;
        noNoise[i] = y;
      }
      // the last step adds no noise, so Var(x_0) = alpha_1 * 1; without noise x_0 = sqrt(alphaBar_T) x_T
      const zWith = zScores(withNoise, 0, s.alphas[1]);
      const zWithout = zScores(noNoise, 0, s.alphaBars[s.T]);
      return {
        maxError: Math.max(zWith, zWithout),
        tolerance: 4,
        toleranceReason:
          `sample mean and variance in standard errors (n = ${n} chains of T = 100 steps); 4 SE`,
        samples: 2 * n,
        seed: 112,
      };
    },
  ),

  check(
    "eq:ddpm-step",
    "DDPM with $\\sigma^2 = \\tilde\\beta_t$ and exact $\\epsilon$ on one-point data keeps $q(x_t | x_0)$ at every $t$",
    () => {
      const s = cosineSchedule(100);
      const c = 0.7;
      const rng = createRng(113);
      const n = 6_000, tWatch = [s.T - 1, 50, 2];
      const watched = tWatch.map(() => new Float64Array(n));
      let landing = 0;
      for (let i = 0; i < n; i++) {
        let x = forwardSample(s, c, s.T, rng).xt;
        for (let t = s.T; t >= 1; t--) {
          const epsStar = (x - Math.sqrt(s.alphaBars[t]) * c) / Math.sqrt(1 - s.alphaBars[t]);
          x = ddpmStepMean(s, [x], [epsStar], t)[0] + ddpmSigma(s, t, "betaTilde") * rng.normal();
          const w = tWatch.indexOf(t - 1);
          if (w >= 0) watched[w][i] = x;
        }
        landing = Math.max(landing, Math.abs(x - c));
      }
      let maxZ = 0;
      tWatch.forEach((t, w) => {
        maxZ = Math.max(
          maxZ,
          zScores(watched[w], Math.sqrt(s.alphaBars[t]) * c, 1 - s.alphaBars[t]),
        );
      });
      return {
        maxError: Math.max(maxZ, landing * 4e12),
        tolerance: 4,
        toleranceReason:
          `marginals at t = ${tWatch.join(", ")} in standard errors (n = ${n}), 4 SE; and ` +
          "every chain must land on the data point within 1e-12 ($\\tilde\\beta_1 = 0$)",
        samples: n,
        seed: 113,
      };
    },
  ),

  check(
    "eq:ddim-step",
    "DDIM with $\\eta = 1$ is the DDPM step with $\\sigma^2 = \\tilde\\beta_t$ (same noise), $t = 1..T$",
    () => {
      const rng = createRng(114);
      let maxError = 0, samples = 0;
      for (const s of SCHEDULES) {
        for (let t = 1; t <= s.T; t++) {
          const xt = 2 * rng.normal(), epsHat = rng.normal(), z = rng.normal();
          const ddim = ddimStep(s, [xt], [epsHat], t, t - 1, 1, [z])[0];
          const ddpm = ddpmStepMean(s, [xt], [epsHat], t)[0] + ddpmSigma(s, t, "betaTilde") * z;
          const scale = Math.max(1, Math.abs(xt) / Math.sqrt(s.alphaBars[t]));
          maxError = Math.max(maxError, Math.abs(ddim - ddpm) / scale);
          samples++;
        }
      }
      return {
        maxError,
        tolerance: 1e-12,
        toleranceReason: "two float64 formulas; relative to |x0Hat| which the DDIM route passes " +
          "through (up to ~200 $|x_t|$ at $t = T$); round-off ~1e-15 of that",
        samples,
        seed: 114,
      };
    },
  ),

  check(
    "eq:ddim-step",
    "DDIM $\\eta = 0$ with exact $\\epsilon$: $\\cos(a_t - a_{t-1})\\, x_t$ for $\\mathcal N(0,1)$ data, exact path for a point",
    () => {
      const rng = createRng(115);
      let maxError = 0, samples = 0;
      for (const s of SCHEDULES) {
        const angle = (t: number) => Math.acos(Math.sqrt(s.alphaBars[t])); // alphaBar_t = cos^2 a_t
        for (let t = 1; t <= s.T; t++) {
          const xt = 2 * rng.normal();
          const ddim = ddimStep(s, [xt], [Math.sqrt(1 - s.alphaBars[t]) * xt], t, t - 1, 0)[0];
          maxError = Math.max(maxError, Math.abs(ddim - Math.cos(angle(t) - angle(t - 1)) * xt));
          samples++;
        }
        // one-point data: x_t = sqrt(alphaBar_t) c + sqrt(1 - alphaBar_t) eps with one eps for the whole path
        const c = -1.2, eps = rng.normal();
        let x = Math.sqrt(s.alphaBars[s.T]) * c + Math.sqrt(1 - s.alphaBars[s.T]) * eps;
        for (let t = s.T; t >= 1; t--) {
          const epsStar = (x - Math.sqrt(s.alphaBars[t]) * c) / Math.sqrt(1 - s.alphaBars[t]);
          x = ddimStep(s, [x], [epsStar], t, t - 1, 0)[0];
          const onPath = Math.sqrt(s.alphaBars[t - 1]) * c +
            Math.sqrt(1 - s.alphaBars[t - 1]) * eps;
          maxError = Math.max(maxError, Math.abs(x - onPath));
          samples++;
        }
      }
      return {
        maxError,
        tolerance: 1e-11,
        toleranceReason:
          "float64 formulas with values of order 1; the deterministic path accumulates " +
          "round-off over up to 100 steps (~100 x 1e-15), x100 margin",
        samples,
        seed: 115,
      };
    },
  ),
  check(
    "eq:ddpm-step",
    "the demos' tfjs ddpmStepTensor ($\\sigma_t^2 = \\beta_t$ and $\\tilde\\beta_t$) vs $(x_t - \\beta_t \\hat\\epsilon / \\sqrt{1-\\bar\\alpha_t}) / \\sqrt{\\alpha_t} + \\sigma_t z$ in float64 with $\\alpha_t = \\bar\\alpha_t / \\bar\\alpha_{t-1}$",
    () => {
      const seed = 116, rng = createRng(seed);
      let maxError = 0, samples = 0;
      for (const s of SCHEDULES) {
        for (const t of tensorSteps(s)) {
          const alpha = s.alphaBars[t] / s.alphaBars[t - 1], beta = 1 - alpha; // by hand from alphaBar
          const betaTilde = (1 - s.alphaBars[t - 1]) / (1 - s.alphaBars[t]) * beta;
          for (const [choice, v] of [["beta", beta], ["betaTilde", betaTilde]] as const) {
            const { x, eps, z } = stepInputs(rng);
            const got = tf.tidy(() =>
              ddpmStepTensor(
                s,
                tf.tensor2d(x, [N_STEP, 2]),
                tf.tensor2d(eps, [N_STEP, 2]),
                t,
                ddpmSigma(s, t, choice),
                tf.tensor2d(z, [N_STEP, 2]),
              ).dataSync()
            ); // [N_STEP, 2]
            const c = beta / Math.sqrt(1 - s.alphaBars[t]), sigma = Math.sqrt(v);
            x.forEach((xi, i) => {
              const want = (xi - c * eps[i]) / Math.sqrt(alpha) + sigma * z[i];
              const size = (Math.abs(xi) + c * Math.abs(eps[i])) / Math.sqrt(alpha) +
                sigma * Math.abs(z[i]);
              maxError = Math.max(maxError, Math.abs(got[i] - want) / size);
            });
            samples += N_STEP;
          }
        }
      }
      return { maxError, tolerance: F32_STEP_TOL, toleranceReason: F32_STEP_REASON, samples, seed };
    },
  ),

  check(
    "eq:ddim-step",
    "the demos' tfjs ddimStepTensor and float64 ddimStep at $\\eta \\in \\{0, 0.5, 1\\}$, unit and strided steps, vs $\\sqrt{\\bar\\alpha_{t-1}} \\hat x_0 + \\sqrt{1-\\bar\\alpha_{t-1}-\\sigma_t^2}\\,\\hat\\epsilon + \\sigma_t z$ with $\\sigma_t^2 = \\eta^2 \\tilde\\beta_t$ written out",
    () => {
      const seed = 117, rng = createRng(seed);
      let maxError = 0, samples = 0;
      for (const s of SCHEDULES) {
        for (const t of tensorSteps(s)) {
          for (const tPrev of [...new Set([t - 1, Math.floor(t / 3)])]) {
            const aT = s.alphaBars[t], aP = s.alphaBars[tPrev];
            // sigma^2 = eta^2 (1 - aBar_prev) / (1 - aBar_t) (1 - aBar_t / aBar_prev): betaTilde for one step
            const tildeBeta = ((1 - aP) / (1 - aT)) * (1 - aT / aP);
            for (const eta of [0, 0.5, 1]) {
              const { x, eps, z } = stepInputs(rng);
              const noise = eta > 0 ? tf.tensor2d(z, [N_STEP, 2]) : null; // [N_STEP, 2]
              const got = tf.tidy(() =>
                ddimStepTensor(
                  s,
                  tf.tensor2d(x, [N_STEP, 2]),
                  tf.tensor2d(eps, [N_STEP, 2]),
                  t,
                  tPrev,
                  eta,
                  noise,
                ).dataSync()
              ); // [N_STEP, 2]
              noise?.dispose();
              const f64 = ddimStep(s, x, eps, t, tPrev, eta, z); // [N_STEP * 2]
              const sigma = eta * Math.sqrt(tildeBeta), dir = Math.sqrt(1 - aP - sigma * sigma);
              x.forEach((xi, i) => {
                const x0Hat = (xi - Math.sqrt(1 - aT) * eps[i]) / Math.sqrt(aT);
                const want = Math.sqrt(aP) * x0Hat + dir * eps[i] + sigma * z[i];
                const size =
                  Math.sqrt(aP / aT) * (Math.abs(xi) + Math.sqrt(1 - aT) * Math.abs(eps[i])) +
                  dir * Math.abs(eps[i]) + sigma * Math.abs(z[i]);
                maxError = Math.max(
                  maxError,
                  Math.abs(got[i] - want) / size,
                  Math.abs(f64[i] - want) / size,
                );
              });
              samples += N_STEP;
            }
          }
        }
      }
      return { maxError, tolerance: F32_STEP_TOL, toleranceReason: F32_STEP_REASON, samples, seed };
    },
  ),
];

/** Points per tfjs step check: a [4, 2] batch, as the demos sample 2-D points. */
const N_STEP = 4;

/** float32: at most 7 roundings of 2^-24, each relative to one term of the step, x2 margin. */
const F32_STEP_TOL = 16 * 2 ** -24;
const F32_STEP_REASON =
  "tfjs float32 on the inputs' float32 values vs float64: <= 7 roundings of 2^-24 (coefficients, products, sums), each at most the sum of the terms' magnitudes, x2 margin; relative to that sum";

/** Every 7th step plus t = 1, 2 and T: the tfjs checks stay quick. */
function tensorSteps(s: Schedule): number[] {
  return [
    ...new Set([
      1,
      2,
      ...Array.from({ length: s.T }, (_, i) => i + 1).filter((t) => t % 7 === 0),
      s.T,
    ]),
  ];
}

/** x_t, epsHat and z for one batch, already float32 so both routes start from the same values. */
function stepInputs(rng: Rng): { x: Float32Array; eps: Float32Array; z: Float32Array } {
  const draw = (scale: number) =>
    Float32Array.from({ length: N_STEP * 2 }, () => scale * rng.normal());
  return { x: draw(2), eps: draw(1), z: draw(1) };
}

/** One draw of x_t from q(x_t) for the chapter's mixture data (data draw, then the forward jump). */
function marginalSampleAt(s: Schedule, t: number, rng: Rng): number {
  return forwardSample(s, mixtureSample(DATA, 1, rng).x[0], t, rng).xt;
}

export { spec as typeset } from "./01-reverse-step.typeset.ts";
