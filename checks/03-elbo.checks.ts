/**
 * Numeric checks of chapter 3 (The ELBO, four ways). Most use the one case where every quantity is
 * a closed form: 1-D Gaussian data and a reverse chain whose steps have means linear in x_t
 * (`exactElboGaussian`, `exactLogLikelihoodGaussianChain`, `exactPathKlGaussian`). The Monte Carlo
 * routes sample whole forward paths (`sampleForwardPath`, `logQPath`, `logPPath`).
 *
 * @module
 */
import { check, type EquationCheck, meanAndStdErr } from "./harness.ts";
import {
  createMixture,
  createRng,
  elboTerms,
  exactElboGaussian,
  exactGaussianReverse,
  exactLogLikelihoodGaussianChain,
  exactPathKlGaussian,
  gaussianChainMarginals,
  gaussianEntropy,
  gaussianLogPdf,
  klDiagGaussians,
  type LinearGaussianReverse,
  linearReverseMean,
  linearSchedule,
  logPPath,
  logQPath,
  posteriorMean,
  type Rng,
  sampleForwardPath,
  type Schedule,
  scheduleFromBetas,
  trapezoid,
  tweedieMean,
} from "../engine/mod.ts";
import { elboTermsBatch } from "../engine/elbo_batch.ts";

/** float64 rounding on sums of a few dozen O(1..100) terms stays far below this. */
const EXACT_TOL = 1e-11;
const EXACT_REASON =
  "float64 closed forms on both routes: ~1e-16 relative rounding on sums of O(100) terms of size <= 1e3";

/** A reverse chain with random linear steps: a_t in [0.3, 1.3], b_t in [-0.5, 0.5], var in [0.05, 1]. */
function randomLinearReverse(schedule: Schedule, rng: Rng): LinearGaussianReverse {
  const n = schedule.T + 1;
  const a = new Float64Array(n), b = new Float64Array(n), variance = new Float64Array(n);
  for (let t = 1; t < n; t++) {
    a[t] = 0.3 + rng.uniform(); // a_t
    b[t] = rng.uniform() - 0.5; // b_t
    variance[t] = 0.05 + 0.95 * rng.uniform(); // sigma_t^2
  }
  return { a, b, variance };
}

/** The small schedules the checks run on, including T = 1 and a coarse T = 2. */
function testSchedules(): Schedule[] {
  return [
    scheduleFromBetas([0.3]),
    scheduleFromBetas([0.2, 0.5]),
    linearSchedule(5, 0.05, 0.4),
    linearSchedule(10, 1e-3, 0.2),
  ];
}

/**
 * E_{x ~ N(m, s2)} f(x) by three-point Gauss-Hermite: exact when f is a polynomial of degree <= 5
 * (here f is quadratic in x_0: means linear in x_0, covariances free of it).
 */
function gaussHermite3(f: (x: number) => number, m: number, s2: number): number {
  const h = Math.sqrt(3 * s2);
  return (2 / 3) * f(m) + (1 / 6) * (f(m + h) + f(m - h));
}

/** Of several Monte Carlo comparisons, the one with the largest error relative to its tolerance. */
function worstCase(cases: { error: number; tolerance: number }[]): {
  error: number;
  tolerance: number;
} {
  return cases.reduce((w, c) => (c.error / c.tolerance > w.error / w.tolerance ? c : w));
}

/** Monte Carlo of log p(x_{0:T}) / q(x_{1:T} | x_0) over forward paths from a fixed x_0. */
function pathWeightDraws(
  schedule: Schedule,
  x0: number,
  reverse: LinearGaussianReverse,
  n: number,
  rng: Rng,
): Float64Array {
  const mean = linearReverseMean(reverse);
  const variance = (t: number) => reverse.variance[t];
  const draws = new Float64Array(n); // [n]
  for (let j = 0; j < n; j++) {
    const path = sampleForwardPath(schedule, x0, rng); // T + 1 points of [1]
    let logP = gaussianLogPdf(path[schedule.T][0], 0, 1); // log p(x_T)
    for (let t = 1; t <= schedule.T; t++) {
      logP += gaussianLogPdf(path[t - 1][0], mean(path[t], t)[0], variance(t)); // log p(x_{t-1}|x_t)
    }
    draws[j] = logP - logQPath(schedule, path);
  }
  return draws;
}

export const checks: EquationCheck[] = [
  check(
    "eq:kl-objective",
    "path KL by Monte Carlo over $(x_0, \\text{path})$ vs $-H[q(x_0)] - E\\,\\text{ELBO}$ in closed form",
    () => {
      const seed = 301, rng = createRng(seed), n = 20_000;
      const schedule = linearSchedule(5, 0.05, 0.4);
      const data = { mean: 0.7, variance: 0.4 };
      const reverse = randomLinearReverse(schedule, rng);
      const mean = linearReverseMean(reverse);
      const draws = new Float64Array(n); // [n]
      for (let j = 0; j < n; j++) {
        const x0 = data.mean + Math.sqrt(data.variance) * rng.normal(); // x_0 ~ q(x_0)
        const path = sampleForwardPath(schedule, x0, rng); // x_{0:T} ~ q
        let logP = gaussianLogPdf(path[schedule.T][0], 0, 1);
        for (let t = 1; t <= schedule.T; t++) {
          logP += gaussianLogPdf(path[t - 1][0], mean(path[t], t)[0], reverse.variance[t]);
        }
        const logQ = gaussianLogPdf(x0, data.mean, data.variance) + logQPath(schedule, path);
        draws[j] = logQ - logP; // log q(x_{0:T}) / p(x_{0:T})
      }
      const { mean: mc, stdErr } = meanAndStdErr(draws);
      const closed = -gaussianEntropy(data.variance) -
        exactElboGaussian(schedule, data, reverse).elbo;
      return {
        maxError: Math.abs(mc - closed),
        tolerance: 4 * stdErr,
        toleranceReason: `4 standard errors of the Monte Carlo mean (n = ${n}, SE = ${
          stdErr.toExponential(2)
        })`,
        samples: n,
        seed,
      };
    },
  ),
  check(
    "eq:kl-objective",
    "the true reverse chain attains the minimum, $\\mathrm{KL}(q(x_T) \\,\\|\\, p(x_T))$; perturbing it costs more",
    () => {
      // With p_theta(x_{t-1}|x_t) = q(x_{t-1}|x_t) the two joints differ only in the prior, so
      // KL(q(x_{0:T}) || p(x_{0:T})) = KL(q(x_T) || N(0, 1)). Route A: -H - E ELBO (closed-form
      // terms); route B: the 1-D Gaussian KL of the diffused data against the prior.
      const seed = 302, rng = createRng(seed);
      let maxError = 0, minGap = Infinity, samples = 0;
      for (const schedule of testSchedules()) {
        for (const data of [{ mean: 0.5, variance: 0.3 }, { mean: -1.2, variance: 2 }]) {
          const klJoint = (r: LinearGaussianReverse) =>
            -gaussianEntropy(data.variance) - exactElboGaussian(schedule, data, r).elbo;
          const exact = exactGaussianReverse(schedule, data);
          const aBarT = schedule.alphaBars[schedule.T];
          const klPrior = klDiagGaussians(
            Math.sqrt(aBarT) * data.mean,
            aBarT * data.variance + 1 - aBarT,
            0,
            1,
          );
          maxError = Math.max(maxError, Math.abs(klJoint(exact) - klPrior));
          for (let k = 0; k < 5; k++) {
            const t = 1 + rng.int(schedule.T);
            const moved = {
              a: Float64Array.from(exact.a),
              b: Float64Array.from(exact.b),
              variance: Float64Array.from(exact.variance),
            };
            moved.b[t] += 0.2 * (rng.uniform() - 0.5);
            moved.variance[t] *= 0.7 + 0.6 * rng.uniform();
            minGap = Math.min(minGap, klJoint(moved) - klJoint(exact));
            samples++;
          }
          samples++;
        }
      }
      return {
        maxError: Math.max(maxError, minGap < 0 ? -minGap : 0),
        tolerance: EXACT_TOL,
        toleranceReason: EXACT_REASON + "; perturbed chains must not do better",
        samples,
        seed,
        gap: minGap,
      };
    },
  ),
  check(
    "eq:diffusion-elbo",
    "mean log path weight over forward paths vs closed-form ELBO terms",
    () => {
      const seed = 303, rng = createRng(seed), n = 8_000;
      const cases: { error: number; tolerance: number }[] = [];
      for (const schedule of testSchedules()) {
        for (const x0 of [-1.5, 0.3, 2]) {
          const reverse = randomLinearReverse(schedule, rng);
          const { mean, stdErr } = meanAndStdErr(pathWeightDraws(schedule, x0, reverse, n, rng));
          const closed = exactElboGaussian(schedule, { mean: x0, variance: 0 }, reverse).elbo;
          cases.push({ error: Math.abs(mean - closed), tolerance: 4 * stdErr });
        }
      }
      const worst = worstCase(cases);
      return {
        maxError: worst.error,
        tolerance: worst.tolerance,
        toleranceReason: "4 standard errors of the Monte Carlo mean of the worst of 12 cases",
        samples: cases.length * n,
        seed,
      };
    },
  ),
  check(
    "eq:elbo-identity",
    "$\\log p(x_0)$ from the chain's marginal = closed-form ELBO + dense-Gaussian path KL",
    () => {
      const seed = 304, rng = createRng(seed);
      let maxError = 0, samples = 0;
      for (const schedule of testSchedules()) {
        for (let k = 0; k < 4; k++) {
          const reverse = randomLinearReverse(schedule, rng);
          for (const x0 of [-2, -0.4, 0, 1.1, 3]) {
            const point = { mean: x0, variance: 0 };
            const logP = exactLogLikelihoodGaussianChain(schedule, point, reverse);
            const elbo = exactElboGaussian(schedule, point, reverse).elbo;
            const gap = exactPathKlGaussian(schedule, x0, reverse);
            maxError = Math.max(maxError, Math.abs(logP - (elbo + gap)));
            samples++;
          }
        }
      }
      return { maxError, tolerance: EXACT_TOL, toleranceReason: EXACT_REASON, samples, seed };
    },
  ),
  check(
    "eq:elbo-bound",
    "$\\log p(x_0) - \\text{ELBO} \\ge 0$ on random linear chains and on the exact reverse chain",
    () => {
      const seed = 305, rng = createRng(seed);
      let violation = 0, minGap = Infinity, samples = 0;
      for (const schedule of testSchedules()) {
        const reverses = [
          randomLinearReverse(schedule, rng),
          randomLinearReverse(schedule, rng),
          exactGaussianReverse(schedule, { mean: 0.4, variance: 0.5 }),
        ];
        for (const reverse of reverses) {
          for (const x0 of [-2.5, -0.3, 0.4, 1.7]) {
            const point = { mean: x0, variance: 0 };
            const gap = exactLogLikelihoodGaussianChain(schedule, point, reverse) -
              exactElboGaussian(schedule, point, reverse).elbo;
            violation = Math.max(violation, -gap);
            minGap = Math.min(minGap, gap);
            samples++;
          }
        }
      }
      return {
        maxError: Math.max(0, violation),
        tolerance: EXACT_TOL,
        toleranceReason: "an inequality between float64 closed forms: it may fail only by rounding",
        samples,
        seed,
        gap: minGap,
      };
    },
  ),
  check(
    "eq:kl-decomposition",
    "$-H - E\\,\\text{ELBO}$ (closed form) = $E$ path KL (dense Gaussians) + KL of the marginals",
    () => {
      const seed = 306, rng = createRng(seed);
      let maxError = 0, minGap = Infinity, samples = 0;
      for (const schedule of testSchedules()) {
        for (const data of [{ mean: 0.2, variance: 0.6 }, { mean: -1, variance: 1.5 }]) {
          const reverse = randomLinearReverse(schedule, rng);
          // route A: KL of the joints, via the ELBO of [](#eq:kl-objective)
          const joint = -gaussianEntropy(data.variance) -
            exactElboGaussian(schedule, data, reverse).elbo;
          // route B: the chain rule, with each piece computed on its own
          const pathKl = gaussHermite3(
            (x0) => exactPathKlGaussian(schedule, x0, reverse),
            data.mean,
            data.variance,
          );
          const { means, variances } = gaussianChainMarginals(schedule, reverse);
          const marginalKl = klDiagGaussians(data.mean, data.variance, means[0], variances[0]);
          maxError = Math.max(maxError, Math.abs(joint - (pathKl + marginalKl)));
          minGap = Math.min(minGap, joint - marginalKl);
          samples++;
        }
      }
      return {
        maxError,
        tolerance: EXACT_TOL,
        toleranceReason: EXACT_REASON + "; Gauss-Hermite with 3 nodes is exact for quadratics",
        samples,
        seed,
        gap: minGap,
      };
    },
  ),
  check(
    "eq:vae-elbo",
    "Monte Carlo $E_q \\log p(x,z)/q(z|x)$ vs $\\log p(x) - \\mathrm{KL}(q \\,\\|\\, \\text{posterior})$ for a linear-Gaussian VAE",
    () => {
      // p(z) = N(0, 1), p(x | z) = N(w z + c, vx), q(z | x) = N(mu, tau2): p(x) = N(c, w^2 + vx),
      // p(z | x) = N(w (x - c) / (w^2 + vx), vx / (w^2 + vx)).
      const seed = 307, rng = createRng(seed), n = 20_000;
      const cases: { error: number; tolerance: number }[] = [];
      for (
        const [w, c, vx, x, mu, tau2] of [
          [1.5, 0.2, 0.3, 1.1, 0.4, 0.2],
          [-0.7, 1, 0.8, -0.5, 0.9, 0.6],
          [2, -1, 0.1, 0.3, 0.6, 0.05],
        ]
      ) {
        const draws = new Float64Array(n); // [n]
        for (let j = 0; j < n; j++) {
          const z = mu + Math.sqrt(tau2) * rng.normal(); // z ~ q(z | x)
          draws[j] = gaussianLogPdf(z, 0, 1) + gaussianLogPdf(x, w * z + c, vx) -
            gaussianLogPdf(z, mu, tau2);
        }
        const { mean, stdErr } = meanAndStdErr(draws);
        const v = w * w + vx;
        const exact = gaussianLogPdf(x, c, v) -
          klDiagGaussians(mu, tau2, (w * (x - c)) / v, vx / v);
        cases.push({ error: Math.abs(mean - exact), tolerance: 4 * stdErr });
      }
      const worst = worstCase(cases);
      return {
        maxError: worst.error,
        tolerance: worst.tolerance,
        toleranceReason: "4 standard errors of the Monte Carlo mean, worst of 3 cases",
        samples: cases.length * n,
        seed,
      };
    },
  ),
  check(
    "eq:elbo-terms",
    "terms form (engine elboTerms) vs path form, for a nonlinear Tweedie-denoiser chain on a mixture",
    () => {
      // A reverse chain with a nonlinear mean: posterior mean at the exact denoiser E[x_0 | x_t] of a
      // 1-D two-component mixture. Route A averages elboTerms draws (one x_t per t, KLs in closed
      // form); route B averages log p(x_{0:T}) - log q(x_{1:T} | x_0) over whole forward paths.
      const seed = 308, rng = createRng(seed), n = 4_000;
      const schedule = linearSchedule(8, 0.02, 0.5);
      const data = createMixture({ weights: [1, 2], means: [-1.5, 1], variances: 0.1 });
      const reverseMean = (xt: Float64Array, t: number) =>
        posteriorMean(schedule, xt, tweedieMean(data, schedule, t, xt), t);
      const opts = { variance: "betaTilde" as const };
      const cases: { error: number; tolerance: number }[] = [];
      for (const x0 of [-1.4, 0.9]) {
        const termsDraws = new Float64Array(n), pathDraws = new Float64Array(n); // [n], [n]
        for (let j = 0; j < n; j++) {
          termsDraws[j] = elboTerms(schedule, [x0], reverseMean, rng, opts).elbo;
          const path = sampleForwardPath(schedule, x0, rng);
          pathDraws[j] = logPPath(schedule, path, reverseMean, opts) - logQPath(schedule, path);
        }
        const a = meanAndStdErr(termsDraws), b = meanAndStdErr(pathDraws);
        const se = Math.hypot(a.stdErr, b.stdErr); // SE of the difference of independent means
        cases.push({ error: Math.abs(a.mean - b.mean), tolerance: 4 * se });
      }
      const worst = worstCase(cases);
      return {
        maxError: worst.error,
        tolerance: worst.tolerance,
        toleranceReason: "4 standard errors of the difference of two independent Monte Carlo means",
        samples: cases.length * 2 * n,
        seed,
      };
    },
  ),
  check(
    "eq:elbo-terms",
    "sum of closed-form terms vs $\\log p(x_0) -$ path KL (dense Gaussians)",
    () => {
      const seed = 309, rng = createRng(seed);
      let maxError = 0, samples = 0;
      for (const schedule of testSchedules()) {
        const reverse = randomLinearReverse(schedule, rng);
        for (const x0 of [-1, 0.5, 2.2]) {
          const point = { mean: x0, variance: 0 };
          const terms = exactElboGaussian(schedule, point, reverse);
          let sum = terms.reconstruction - terms.prior;
          for (let t = 2; t <= schedule.T; t++) sum -= terms.denoising[t];
          const viaGap = exactLogLikelihoodGaussianChain(schedule, point, reverse) -
            exactPathKlGaussian(schedule, x0, reverse);
          maxError = Math.max(maxError, Math.abs(sum - viaGap));
          samples++;
        }
      }
      return { maxError, tolerance: EXACT_TOL, toleranceReason: EXACT_REASON, samples, seed };
    },
  ),
  check(
    "eq:elbo-terms",
    "prior term $L_T$ of elboTerms, elboTermsBatch (the demo's) and exactElboGaussian vs $\\tfrac12(\\bar\\alpha_T x_0^2 + (1-\\bar\\alpha_T) - \\log(1-\\bar\\alpha_T) - 1)$ per coordinate, exactly; that form vs quadrature",
    () => {
      // Route A: the engine's three prior terms. Route B: KL(N(sqrt(aBar_T) x_0, 1 - aBar_T) || N(0, 1))
      // written out by hand here, compared to float64 precision (a prior written with the standard
      // deviation sqrt(1 - aBar_T) in place of the variance differs by ~1e-2); route C checks the
      // hand form itself against a trapezoid quadrature of the KL integral.
      const seed = 310, rng = createRng(seed);
      let exactError = 0, quadError = 0, samples = 0;
      for (const schedule of [linearSchedule(8, 0.02, 0.5), linearSchedule(50)]) {
        const aBarT = schedule.alphaBars[schedule.T], v = 1 - aBarT;
        const x0 = Float64Array.of(-1.7, 0.4, 2.3); // [3] three points, one coordinate each
        const handKl = (x: number) => 0.5 * (aBarT * x * x + v - Math.log(v) - 1);
        const hand = Array.from(x0, handKl); // [3]
        const noDenoise = (xt: Float64Array) => xt;
        const batch = elboTermsBatch(schedule, x0, 1, (xt) => xt, rng).prior;
        const meanHand = hand.reduce((a, b) => a + b, 0) / hand.length;
        exactError = Math.max(exactError, Math.abs(batch - meanHand) / Math.max(1, meanHand));
        const pair = elboTerms(schedule, [x0[0], x0[1]], noDenoise, rng).prior;
        exactError = Math.max(exactError, Math.abs(pair - hand[0] - hand[1]));
        x0.forEach((x, i) => {
          const single = elboTerms(schedule, [x], noDenoise, rng).prior;
          const exact = exactElboGaussian(schedule, { mean: x, variance: 0 }, {
            a: new Float64Array(schedule.T + 1).fill(1),
            b: new Float64Array(schedule.T + 1),
            variance: new Float64Array(schedule.T + 1).fill(0.5),
          }).prior;
          const scale = Math.max(1, hand[i]);
          exactError = Math.max(
            exactError,
            Math.abs(single - hand[i]) / scale,
            Math.abs(exact - hand[i]) / scale,
          );
          const m = Math.sqrt(aBarT) * x, sd = Math.sqrt(v);
          const quad = trapezoid(
            (y) =>
              Math.exp(gaussianLogPdf(y, m, v)) *
              (gaussianLogPdf(y, m, v) - gaussianLogPdf(y, 0, 1)),
            m - 14 * sd,
            m + 14 * sd,
            2001,
          );
          quadError = Math.max(quadError, Math.abs(quad - hand[i]) / scale);
          samples++;
        });
      }
      const exactTol = 1e-13, quadTol = 1e-10;
      return {
        maxError: Math.max(exactError, quadError * (exactTol / quadTol)),
        tolerance: exactTol,
        toleranceReason:
          "engine vs hand closed form: float64 rounding (~1e-16 relative) on a few terms of size <= 10; hand form vs trapezoid quadrature over +-14 sd with 2001 nodes allowed 1e-10, reported here scaled by 1e-3",
        samples,
        seed,
      };
    },
  ),
];

export { spec as typeset } from "./03-elbo.typeset.ts";
