/**
 * Numeric checks of chapter 6 (Scores, Langevin dynamics, SDEs and the probability-flow ODE). The
 * data are Gaussian mixtures, whose score, smoothed density and SDE marginals are exact. Independent
 * routes: closed forms against a grid solve of the Langevin chain, Monte Carlo with its standard
 * error, trapezoid quadrature, finite differences of engine densities (the Fokker-Planck and
 * continuity equations), and the discrete chain's samplers against the continuous equations.
 *
 * @module
 */
import { check, type EquationCheck } from "./harness.ts";
import {
  annealedLangevin,
  conditionalScore,
  continuousDiffusionLoss,
  createMixture,
  createRng,
  ddimEulerStep,
  ddimNoiseLevel,
  denoisingError1D,
  dsmEpsWeight,
  eulerMaruyamaForward,
  flowDivergence,
  forwardMarginalLogPdf,
  langevinChain,
  langevinGaussianVariance,
  langevinStationary1D,
  langevinStep,
  linearSchedule,
  linearVpSde,
  logLinearSnrSchedule,
  lossWeight,
  type Mixture,
  mixtureDenoiserAtSnr,
  mixtureLogPdf,
  mixtureSample,
  mixtureScore,
  mixtureScoreDivergence,
  odeLogLikelihood,
  predictorCorrectorSample,
  probabilityFlowDrift,
  quadratureRange,
  reverseSdeDrift,
  reverseSdeSample,
  scoreFromEps,
  scoreMatchingGap,
  smoothMixture,
  snrDiffusionLoss,
  threeBumps,
  trapezoid,
  vpAlphaBar,
  vpBeta,
  vpDrift,
  vpMixtureMarginal,
  vpMixtureScore,
  vpScheduleFromSde,
  vpSnrSchedule,
} from "../engine/mod.ts";
import { ddimStep } from "../engine/samplers.ts";
import { bookMixture2D } from "../engine/toy_mixture.ts";

const SDE = linearVpSde();

/** A 1-D mixture with unequal, moderately narrow components. */
const DATA_1D: Mixture = createMixture({
  weights: [0.3, 0.5, 0.2],
  means: [-1.5, 0.3, 1.8],
  variances: [0.1, 0.2, 0.05],
});

/** Sample mean and second moment of a flat 1-D sample, with their standard errors. */
function moments(x: ArrayLike<number>) {
  const n = x.length;
  let m1 = 0, m2 = 0;
  for (let i = 0; i < n; i++) {
    m1 += x[i] / n;
    m2 += (x[i] * x[i]) / n;
  }
  let v1 = 0, v2 = 0;
  for (let i = 0; i < n; i++) {
    v1 += (x[i] - m1) ** 2;
    v2 += (x[i] * x[i] - m2) ** 2;
  }
  return { m1, m2, se1: Math.sqrt(v1 / (n - 1) / n), se2: Math.sqrt(v2 / (n - 1) / n) };
}

/** Mean and second moment of a 1-D mixture. */
function mixtureMoments(m: Mixture) {
  let m1 = 0, m2 = 0;
  for (let k = 0; k < m.weights.length; k++) {
    m1 += m.weights[k] * m.means[k][0];
    m2 += m.weights[k] * (m.variances[k] + m.means[k][0] ** 2);
  }
  return { m1, m2 };
}

/** q_tau(x) of the SDE for 1-D mixture data. */
const density = (m: Mixture, tau: number, x: number) =>
  Math.exp(mixtureLogPdf(vpMixtureMarginal(m, SDE, tau), x));

/** Central differences in x of g, first and second derivative (step h). */
function dx(g: (x: number) => number, x: number, h: number) {
  return {
    d1: (8 * (g(x + h) - g(x - h)) - (g(x + 2 * h) - g(x - 2 * h))) / (12 * h),
    d2: (-g(x + 2 * h) + 16 * g(x + h) - 30 * g(x) + 16 * g(x - h) - g(x - 2 * h)) / (12 * h * h),
  };
}

/** q_tau of DATA_1D. */
const marginal = (tau: number) => vpMixtureMarginal(DATA_1D, SDE, tau);

/**
 * The largest residual of dq/dtau = -d/dx(u q) + c beta/2 d^2q/dx^2 for the exact marginals of
 * DATA_1D, with a drift u(tau, x): c = 1 is the forward Fokker-Planck equation, c = -1 the reverse
 * SDE's (read backwards), c = 0 the continuity equation of a flow. Relative to max(1, |terms|).
 */
function fokkerPlanckResidual(u: (tau: number, y: number) => number, c: number) {
  let maxError = 0, samples = 0;
  const ht = 1e-4;
  for (const tau of [0.02, 0.2, 0.6, 0.95]) {
    const b = vpBeta(SDE, tau);
    for (const x of [-2, -0.5, 0.4, 1.7]) {
      const dq = (density(DATA_1D, tau + ht, x) - density(DATA_1D, tau - ht, x)) / (2 * ht);
      const flux = dx((y) => u(tau, y) * density(DATA_1D, tau, y), x, 1e-3).d1;
      const diff = dx((y) => density(DATA_1D, tau, y), x, 1e-3).d2;
      const rhs = -flux + c * 0.5 * b * diff;
      maxError = Math.max(maxError, Math.abs(dq - rhs) / Math.max(1, Math.abs(dq), Math.abs(diff)));
      samples++;
    }
  }
  return { maxError, samples };
}

const FD_REASON =
  "central differences: fourth order in x (h = 1e-3, truncation ~1e-12 times the fifth derivative, rounding ~1e-16 / h^2 ~ 1e-10), second order in tau (h = 1e-4, ~h^2 |d^3q/dtau^3| / 6, measured 3e-7); relative to max(1, |terms|)";

export const checks: EquationCheck[] = [
  check(
    "eq:langevin-step",
    "langevinChain's moments vs the exact AR(1) moments on a Gaussian target",
    () => {
      // Target N(m, s2): x_{k+1} - m = a (x_k - m) + sqrt(delta) z with a = 1 - delta / (2 s2).
      const seed = 601, rng = createRng(seed), s2 = 0.6, mu = 0.7, delta = 0.3, k = 5, n = 20000;
      const x = new Float64Array(n).fill(-2);
      const score = (p: Float64Array) => p.map((v) => (mu - v) / s2);
      langevinChain({ score, x, dim: 1, delta, steps: k, rng });
      const a = 1 - delta / (2 * s2);
      const mean = mu + a ** k * (-2 - mu), variance = delta * (1 - a ** (2 * k)) / (1 - a * a);
      const got = moments(x);
      const z1 = Math.abs(got.m1 - mean) / got.se1;
      const z2 = Math.abs(got.m2 - (variance + mean * mean)) / got.se2;
      // and one step by hand: langevinStep is the update the chain applies
      const one = langevinStep(score, Float64Array.of(0.2), delta, [0.5])[0];
      const byHand = 0.2 + 0.5 * delta * (mu - 0.2) / s2 + Math.sqrt(delta) * 0.5;
      return {
        maxError: Math.max(z1, z2, Math.abs(one - byHand) * 1e12),
        tolerance: 4,
        toleranceReason:
          "in standard errors of the Monte Carlo mean and second moment (n = 20000): 4 se; the single step compared to 1e-12",
        samples: n,
        seed,
      };
    },
  ),
  check(
    "eq:langevin-gaussian-bias",
    "closed-form stationary variance vs a direct grid solve of the chain's stationary density",
    () => {
      let maxError = 0, samples = 0;
      for (const [s2, delta] of [[1, 0.05], [1, 0.5], [0.3, 0.9], [2, 7]]) {
        const want = langevinGaussianVariance(s2, delta), sd = Math.sqrt(want);
        const r = langevinStationary1D((x) => -x / s2, delta, -13 * sd, 13 * sd, 401);
        maxError = Math.max(maxError, Math.abs(r.variance - want) / want);
        samples++;
      }
      return {
        maxError,
        tolerance: 1e-11,
        toleranceReason:
          "grid of 401 points over +-13 sd with >= 6 points per kernel sd: the discretised kernel's moments are exact to ~1e-12; dense solve round-off ~1e-11 (relative)",
        samples,
        seed: 0,
      };
    },
  ),
  check("eq:smoothed-data", "smoothMixture vs the convolution integral by quadrature", () => {
    let maxError = 0, samples = 0;
    for (const sigma2 of [0.01, 0.3, 2]) {
      const q = smoothMixture(DATA_1D, sigma2), [lo, hi] = quadratureRange(DATA_1D);
      for (const xt of [-2.5, -0.4, 0.9, 3]) {
        const conv = trapezoid(
          (x) =>
            Math.exp(
              mixtureLogPdf(DATA_1D, x) - (xt - x) ** 2 / (2 * sigma2) -
                0.5 * Math.log(2 * Math.PI * sigma2),
            ),
          lo,
          hi,
          6001,
        );
        const closed = Math.exp(mixtureLogPdf(q, xt));
        maxError = Math.max(maxError, Math.abs(conv - closed) / Math.max(closed, 1e-3));
        samples++;
      }
    }
    return {
      maxError,
      tolerance: 1e-10,
      toleranceReason:
        "trapezoid rule with 6001 nodes over +-12 sd of every component (>= 25 nodes per sd of the narrowest factor): geometric convergence to round-off; relative to max(density, 1e-3)",
      samples,
      seed: 0,
    };
  }),
  check(
    "eq:dsm-equals-esm",
    "denoising objective by a double quadrature = explicit objective by quadrature + the gap, for two score models",
    () => {
      const data = threeBumps, sigma2 = 0.3, sigma = Math.sqrt(sigma2);
      const q = smoothMixture(data, sigma2), gap = scoreMatchingGap(data, sigma2);
      const [lo, hi] = quadratureRange(data), [qlo, qhi] = quadratureRange(q);
      const models = [(x: number) => -x, (x: number) => Math.sin(2 * x) - 0.3 * x];
      let maxError = 0;
      for (const s of models) {
        const explicit = trapezoid(
          (xt) => Math.exp(mixtureLogPdf(q, xt)) * (s(xt) - mixtureScore(q, xt)[0]) ** 2,
          qlo,
          qhi,
          2001,
        );
        const denoising = trapezoid(
          (x) =>
            Math.exp(mixtureLogPdf(data, x)) *
            trapezoid(
              (xt) =>
                Math.exp(-((xt - x) ** 2) / (2 * sigma2)) / (sigma * Math.sqrt(2 * Math.PI)) *
                (s(xt) + (xt - x) / sigma2) ** 2,
              x - 12 * sigma,
              x + 12 * sigma,
              241,
            ),
          lo,
          hi,
          1601,
        );
        maxError = Math.max(maxError, Math.abs(denoising - (explicit + gap)) / denoising);
      }
      return {
        maxError,
        tolerance: 1e-9,
        toleranceReason:
          "trapezoid rules: 1601 x 241 nodes for the double integral (>= 20 per sd of each Gaussian factor), 2001 for the single ones: geometric convergence; relative",
        samples: models.length,
        seed: 0,
      };
    },
  ),
  check(
    "eq:dsm-eps",
    "$\\|s - \\nabla \\log q(x_t|x_0)\\|^2$ with $s$ from scoreFromEps and the target from finite differences of forwardMarginalLogPdf, vs the weighted $\\epsilon$ error",
    () => {
      const seed = 602, rng = createRng(seed);
      let maxError = 0, samples = 0;
      for (const schedule of [linearSchedule(100), linearSchedule(10, 0.05, 0.5)]) {
        for (const t of [1, 2, Math.floor(schedule.T / 2), schedule.T]) {
          const x0 = [rng.normal(), rng.normal()], eps = [rng.normal(), rng.normal()];
          const epsHat = [rng.normal(), rng.normal()], a = schedule.alphaBars[t];
          const xt = x0.map((v, i) => Math.sqrt(a) * v + Math.sqrt(1 - a) * eps[i]);
          const h = 1e-4 * Math.sqrt(1 - a);
          const target = xt.map((_, i) => {
            const at = (d: number) => {
              const y = xt.slice();
              y[i] += d;
              return forwardMarginalLogPdf(schedule, y, x0, t);
            };
            return (at(h) - at(-h)) / (2 * h); // exact for a quadratic, up to rounding
          });
          const closed = conditionalScore(schedule, t, xt, x0);
          const s = scoreFromEps(schedule, xt, epsHat, t);
          const lhs = (s[0] - target[0]) ** 2 + (s[1] - target[1]) ** 2;
          const rhs = dsmEpsWeight(schedule, t) *
            ((epsHat[0] - eps[0]) ** 2 + (epsHat[1] - eps[1]) ** 2);
          maxError = Math.max(
            maxError,
            Math.abs(lhs - rhs) / Math.max(1, rhs),
            Math.abs(closed[0] - target[0]) / Math.max(1, Math.abs(target[0])),
          );
          samples++;
        }
      }
      return {
        maxError,
        tolerance: 1e-8,
        toleranceReason:
          "central differences of a quadratic log-density are exact; rounding of log-densities ~1e-16 |log q| / h with h = 1e-4 sd: ~1e-9 relative to the score's scale, squared terms up to ~1e3",
        samples,
        seed,
      };
    },
  ),
  check(
    "eq:annealed-step",
    "annealed Langevin on a Gaussian ends at the last level's stationary variance (Monte Carlo vs closed form)",
    () => {
      const seed = 603, rng = createRng(seed), s0 = 0.5, n = 2000;
      const sigmas = [2, 1, 0.5, 0.25], eps = 0.05, last = sigmas[sigmas.length - 1];
      const x = Float64Array.from({ length: n }, () => 3 * rng.normal());
      annealedLangevin({
        score: (p, sigma) => p.map((v) => -v / (s0 + sigma * sigma)),
        sigmas,
        epsilon: eps,
        stepsPerLevel: 60,
        x,
        dim: 1,
        rng,
      });
      // the last level's step is eps; its target is N(0, s0 + sigma_L^2)
      const want = langevinGaussianVariance(s0 + last * last, eps);
      const got = moments(x);
      return {
        maxError: Math.max(Math.abs(got.m1) / got.se1, Math.abs(got.m2 - want) / got.se2),
        tolerance: 4,
        toleranceReason:
          "4 standard errors of the Monte Carlo mean and variance (n = 2000, se ~0.02); 60 steps at factor 1 - eps/(2 v) = 0.956 leave ~5e-3 of the previous level's variance excess (~0.2), 1e-3, below 0.1 se",
        samples: n,
        seed,
      };
    },
  ),
  check(
    "eq:vp-sde",
    "Euler-Maruyama paths of the SDE vs the marginal's mean and second moment",
    () => {
      const seed = 604, rng = createRng(seed), n = 8000;
      let maxError = 0;
      for (const tau of [0.1, 0.5]) {
        const x = mixtureSample(DATA_1D, n, rng).x;
        eulerMaruyamaForward(SDE, x, 1, tau, 200, rng);
        const got = moments(x), want = mixtureMoments(vpMixtureMarginal(DATA_1D, SDE, tau));
        maxError = Math.max(
          maxError,
          Math.abs(got.m1 - want.m1) / got.se1,
          Math.abs(got.m2 - want.m2) / got.se2,
        );
      }
      return {
        maxError,
        tolerance: 4,
        toleranceReason:
          "4 standard errors of Monte Carlo moments (n = 8000, se ~0.017-0.035); Euler-Maruyama's weak error with 200 steps is ~3e-3 of the moments, below 0.2 se",
        samples: 2 * n,
        seed,
      };
    },
  ),
  check(
    "eq:vp-discretisation",
    "exact discretisation reproduces $\\bar\\alpha(t/T)$; the book's linear schedule is $\\beta((t-1)/(T-1))/T$",
    () => {
      let maxError = 0, samples = 0;
      for (const T of [1, 10, 100, 1000]) {
        const s = vpScheduleFromSde(SDE, T, "exact");
        for (let t = 0; t <= T; t++) {
          maxError = Math.max(maxError, Math.abs(s.alphaBars[t] - vpAlphaBar(SDE, t / T)));
          samples++;
        }
      }
      for (const T of [100, 1000]) {
        const lin = linearSchedule(T, 0.1 / T, 20 / T);
        for (let t = 1; t <= T; t++) {
          maxError = Math.max(
            maxError,
            Math.abs(lin.betas[t] - vpBeta(SDE, (t - 1) / (T - 1)) / T),
          );
          samples++;
        }
      }
      return {
        maxError,
        tolerance: 1e-13,
        toleranceReason: "float64 round-off of a product of up to 1000 factors (~1000 ulp)",
        samples,
        seed: 0,
      };
    },
  ),
  check(
    "eq:vp-marginal",
    "the marginal density solves the SDE's Fokker-Planck equation (finite differences in $\\tau$ and $x$)",
    () => ({
      ...fokkerPlanckResidual((tau, y) => vpDrift(SDE, tau, [y])[0], 1),
      tolerance: 2e-6,
      toleranceReason: FD_REASON,
      seed: 0,
    }),
  ),
  check(
    "eq:reverse-sde",
    "reverse-time Fokker-Planck with reverseSdeDrift holds for the exact marginals (finite differences)",
    () => ({
      // running backwards: -dq/dtau = d/dx((f - g^2 s) q) + g^2/2 d^2q/dx^2
      ...fokkerPlanckResidual(
        (tau, y) => reverseSdeDrift(SDE, tau, [y], mixtureScore(marginal(tau), y))[0],
        -1,
      ),
      tolerance: 2e-6,
      toleranceReason: FD_REASON,
      seed: 0,
    }),
  ),
  check(
    "eq:probability-flow",
    "the continuity equation with probabilityFlowDrift holds for the exact marginals (finite differences)",
    () => ({
      ...fokkerPlanckResidual(
        (tau, y) => probabilityFlowDrift(SDE, tau, [y], mixtureScore(marginal(tau), y))[0],
        0,
      ),
      tolerance: 2e-6,
      toleranceReason: FD_REASON,
      seed: 0,
    }),
  ),
  check(
    "eq:ddim-euler",
    "ddimEulerStep = ddimStep($\\eta = 0$); and $dy/d\\sigma$ from the flow by the chain rule (finite differences of $\\bar\\alpha$) $= -\\sqrt{1 - \\bar\\alpha}\\, s$",
    () => {
      const seed = 605, rng = createRng(seed);
      let stepError = 0, chainError = 0, samples = 0;
      for (const schedule of [linearSchedule(100), vpScheduleFromSde(SDE, 50, "exact")]) {
        for (const [t, tPrev] of [[1, 0], [schedule.T, 0], [schedule.T, schedule.T - 1], [17, 3]]) {
          const x = [rng.normal(), rng.normal()], e = [rng.normal(), rng.normal()];
          const a = ddimEulerStep(schedule, x, e, t, tPrev),
            b = ddimStep(schedule, x, e, t, tPrev, 0);
          stepError = Math.max(stepError, Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]));
          samples++;
        }
      }
      const m = bookMixture2D(), score = vpMixtureScore(m, SDE), h = 1e-5;
      for (const tau of [0.05, 0.4, 0.9]) {
        const x = Float64Array.of(rng.normal(), rng.normal()), s = score(x, tau);
        const ab = (u: number) => vpAlphaBar(SDE, u);
        const v = probabilityFlowDrift(SDE, tau, x, s);
        const dSqrtAb = (Math.sqrt(ab(tau + h)) - Math.sqrt(ab(tau - h))) / (2 * h);
        const dSigma = (ddimNoiseLevel(ab(tau + h)) - ddimNoiseLevel(ab(tau - h))) / (2 * h);
        for (let i = 0; i < 2; i++) {
          const dy = v[i] / Math.sqrt(ab(tau)) - (x[i] * dSqrtAb) / ab(tau); // d(x / sqrt(alphaBar))/dtau
          const want = -Math.sqrt(1 - ab(tau)) * s[i];
          chainError = Math.max(
            chainError,
            Math.abs(dy / dSigma - want) / Math.max(1, Math.abs(want)),
          );
          samples++;
        }
      }
      return {
        maxError: Math.max(stepError / 1e-12, chainError / 1e-6),
        tolerance: 1,
        toleranceReason:
          "as a fraction of each route's own tolerance: the two DDIM forms to float64 round-off (1e-12 absolute); the chain-rule route to 1e-6 relative (central differences in tau, h = 1e-5: truncation ~1e-9, rounding ~1e-11)",
        samples,
        seed,
      };
    },
  ),
  check(
    "eq:corrector-step",
    "one predictor-corrector step = one reverse-SDE step then langevinStep with $\\delta = 4 (r|z|/|s|)^2$ (same random numbers)",
    () => {
      const seed = 606, m = bookMixture2D(), score = vpMixtureScore(m, SDE);
      let maxError = 0;
      for (const r of [0.16, 0.5]) {
        const step = () => ({
          sde: SDE,
          score,
          x: Float64Array.of(0.4, -0.9),
          dim: 2,
          steps: 1,
          tauStart: 0.6,
          tauEnd: 0.5,
        });
        const pc = predictorCorrectorSample({ ...step(), snr: r }, createRng(seed));
        const rng = createRng(seed);
        const x = reverseSdeSample(step(), rng);
        const z = [rng.normal(), rng.normal()], s = score(x, 0.5);
        const delta = 4 * (r * Math.hypot(z[0], z[1]) / Math.hypot(s[0], s[1])) ** 2;
        const byHand = langevinStep((p) => score(p, 0.5), x, delta, z);
        maxError = Math.max(maxError, Math.abs(pc[0] - byHand[0]), Math.abs(pc[1] - byHand[1]));
        // the push is r times the noise
        const push = 0.5 * delta * Math.hypot(s[0], s[1]),
          noise = Math.sqrt(delta) * Math.hypot(z[0], z[1]);
        maxError = Math.max(maxError, Math.abs(push / noise - r));
      }
      return {
        maxError,
        tolerance: 1e-12,
        toleranceReason: "the same arithmetic in two orders: float64 round-off",
        samples: 2,
        seed,
      };
    },
  ),
  check(
    "eq:flow-divergence",
    "exact divergence of the flow vs central differences of probabilityFlowDrift (2-D mixture)",
    () => {
      const m = bookMixture2D(), seed = 607, rng = createRng(seed), h = 1e-5;
      let maxError = 0, samples = 0;
      for (const tau of [0, 0.1, 0.5, 1]) {
        const q = vpMixtureMarginal(m, SDE, tau);
        for (let k = 0; k < 4; k++) {
          const x = [1.2 * rng.normal(), 1.2 * rng.normal()];
          let fd = 0;
          for (let i = 0; i < 2; i++) {
            const up = x.slice(), dn = x.slice();
            up[i] += h;
            dn[i] -= h;
            fd += (probabilityFlowDrift(SDE, tau, up, mixtureScore(q, up))[i] -
              probabilityFlowDrift(SDE, tau, dn, mixtureScore(q, dn))[i]) / (2 * h);
          }
          const exact = flowDivergence(SDE, tau, 2, mixtureScoreDivergence(q, x));
          maxError = Math.max(maxError, Math.abs(fd - exact) / Math.max(1, Math.abs(exact)));
          samples++;
        }
      }
      return {
        maxError,
        tolerance: 1e-6,
        toleranceReason:
          "second-order central differences, h = 1e-5: truncation $h^2 |v'''|$ (curvature up to ~1e3 at tau = 0 with component variance 0.01) ~1e-7, rounding ~1e-16 |v| / h ~1e-10; relative",
        samples,
        seed,
      };
    },
  ),
  check(
    "eq:ode-likelihood",
    "$\\log q(x_0)$ by the ODE (RK4, exact $q_1$ prior) vs the closed-form mixture log-density (2-D)",
    () => {
      const m = bookMixture2D(), q1 = vpMixtureMarginal(m, SDE, 1), score = vpMixtureScore(m, SDE);
      let maxError = 0, samples = 0;
      for (const x0 of [[-1.1, -0.7], [0.2, 1.1], [0, 0], [1.6, 0.9]]) {
        const r = odeLogLikelihood({
          sde: SDE,
          x0,
          score,
          scoreDivergence: (x, tau) => mixtureScoreDivergence(vpMixtureMarginal(m, SDE, tau), x),
          priorLogPdf: (x) => mixtureLogPdf(q1, x),
          steps: 400,
        });
        maxError = Math.max(maxError, Math.abs(r.logLikelihood - mixtureLogPdf(m, x0)));
        samples++;
      }
      return {
        maxError,
        tolerance: 5e-5,
        toleranceReason:
          "RK4 with 400 steps: global error O(h^4); measured 1e-4 at 200 steps, so ~6e-6 at 400; tolerance at 8x that (nats)",
        samples,
        seed: 0,
      };
    },
  ),
  check(
    "eq:continuous-elbo",
    "the discrete ELBO's $x_0$-weighted denoising terms (Chapter 4's weights) converge to the continuous integral",
    () => {
      const x0 = 0.4, tauMin = 0.02;
      const err = (v: number) =>
        denoisingError1D(x0, v, (z, snr) => mixtureDenoiserAtSnr(threeBumps, snr, [z])[0], 81);
      const coarse = continuousDiffusionLoss(vpSnrSchedule(SDE), err, tauMin, 401);
      const fine = continuousDiffusionLoss(vpSnrSchedule(SDE), err, tauMin, 801);
      const integral = (4 * fine - coarse) / 3; // Richardson: the trapezoid rule is O(h^2)
      const discrete = (T: number) => {
        const s = vpScheduleFromSde(SDE, T, "exact"), t0 = Math.round(tauMin * T);
        let sum = 0;
        for (let t = t0 + 1; t <= T; t++) {
          const a = s.alphaBars[t];
          sum += lossWeight(s, t, "x0", "betaTilde") * err(a / (1 - a)); // 1/2 (SNR(t-1) - SNR(t)) err
        }
        return sum;
      };
      const [d1, d2, d4] = [100, 200, 400].map(discrete);
      // The sums converge as c1/T + c2/T^2 + ...: two levels of Richardson extrapolation.
      const r1 = 2 * d2 - d1, r2 = 2 * d4 - d2, extrapolated = (4 * r2 - r1) / 3;
      return {
        maxError: Math.abs(extrapolated - integral) / integral,
        tolerance: 3e-4,
        toleranceReason:
          "sums at T = 100, 200, 400 (errors 15%, 7%, 3.4%: first order) extrapolated twice (Richardson) leave O(1/T^3), ~1e-4 at these T; the tau trapezoid extrapolated to ~1e-7; relative",
        samples: 700,
        seed: 0,
        gap: d4 - integral,
      };
    },
  ),
  check(
    "eq:elbo-snr-invariance",
    "the VP schedule and a log-linear SNR schedule with the same endpoints give the integral over the SNR",
    () => {
      const x0 = -1.2, tauMin = 0.02, vp = vpSnrSchedule(SDE);
      const lo = vp.snr(1), hi = vp.snr(tauMin);
      const err = (v: number) =>
        denoisingError1D(x0, v, (z, snr) => mixtureDenoiserAtSnr(DATA_1D, snr, [z])[0], 61);
      const rich = (f: (n: number) => number) => (4 * f(801) - f(401)) / 3;
      const byVp = rich((n) => continuousDiffusionLoss(vp, err, tauMin, n));
      const byLogLinear = rich((n) =>
        continuousDiffusionLoss(logLinearSnrSchedule(hi, lo), err, 0, n)
      );
      const bySnr = trapezoid((v) => err(v), lo, Math.min(hi, 1), 1001) * 0.5 +
        snrDiffusionLoss(err, 1, hi, 1001);
      return {
        maxError: Math.max(Math.abs(byVp - bySnr), Math.abs(byLogLinear - bySnr)) / bySnr,
        tolerance: 1e-6,
        toleranceReason:
          "both routes share one denoising-error function (61-node rule over eps), so only the outer integrals differ: trapezoid rules extrapolated (Richardson) over tau, and 1001-node rules over the SNR (uniform below 1, log-uniform above): ~1e-8; relative",
        samples: 3,
        seed: 0,
      };
    },
  ),
];
export { spec as typeset } from "./06-score-sde.typeset.ts";
