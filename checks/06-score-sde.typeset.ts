/**
 * Chapter 6's printed equations, evaluated through the notation binding at sample points: all 17
 * of its labelled displays. Discrete ones read the step point (eq:dsm-eps, eq:vp-discretisation on
 * the chain discretised from the SDE). Updates (`\leftarrow`, x_{k+1} = …) compare the printed
 * right side at the old point with the engine's step (langevinStep, correctorStep, ddimEulerStep).
 * SDEs compare dx at sampled (dτ, dW) with the engine's one Euler–Maruyama step, so both
 * coefficients are checked; dx/dτ and dy/dσ are central differences of the engine's RK4 solve with
 * their truncation error from h against 2h; integrals over τ are trapezoid quadratures with their
 * error from the half grid (`lib/book/typeset/sde.ts` reads these forms). eq:dsm-equals-esm
 * averages over (x, x̃) by Monte Carlo (`joint_expectation.ts`) for an imperfect linear score
 * model, against quadratures over x̃ and the engine's Cov(x | x̃). eq:continuous-elbo and
 * eq:elbo-snr-invariance are evaluated for a concrete model x̂_θ (a wrong mixture's denoiser) on
 * two SNR schedules with the same endpoints, SNR′ by a central difference, E over ε by quadrature,
 * against the engine's loss over τ (`continuousDiffusionLoss`): the printed integral over the SNR
 * matches both schedules. Their independent routes are in `06-score-sde.checks.ts`.
 *
 * @module
 */
import type { Arg, Binding, Entry, Point } from "../lib/book/typeset/binding.ts";
import { exact, type Num, ULP } from "../lib/book/typeset/num.ts";
import {
  type BookContext,
  epsThetaOf,
  notationBinding,
  withChapterSymbols,
} from "../lib/book/typeset/notation_binding.ts";
import { langevinStationary1D } from "../engine/langevin_bias.ts";
import { gaussianLogPdf } from "../engine/gaussian.ts";
import {
  createMixture,
  type Mixture,
  mixtureLogPdf,
  mixtureResponsibilities,
  mixtureSample,
  mixtureScore,
  multiplyByGaussian,
} from "../engine/mixture.ts";
import { denoisingPosteriorVariance, smoothMixture } from "../engine/score_matching.ts";
import { createRng } from "../engine/rng.ts";
import { cosineSchedule, linearSchedule, type Schedule } from "../engine/schedule.ts";
import { ddpmSigma } from "../engine/samplers.ts";
import { ddimEulerStep, ddimNoiseLevel } from "../engine/ddim_ode.ts";
import {
  continuousDiffusionLoss,
  denoisingError1D,
  logLinearSnrSchedule,
  mixtureDenoiserAtSnr,
  type SnrSchedule,
  vpSnrSchedule,
} from "../engine/continuous_elbo.ts";
import {
  point,
  sampleSteps,
  stepPoint,
  type TypesetCase,
  type TypesetSpec,
} from "./typeset_harness.ts";
import { annealedStepSize, langevinStep } from "../engine/langevin.ts";
import {
  correctorStep,
  eulerMaruyamaForward,
  linearVpSde,
  probabilityFlowDrift,
  probabilityFlowSolve,
  type ReverseSamplerOptions,
  reverseSdeSample,
  vpAlphaBar,
  vpBeta,
  vpDrift,
  vpMixtureMarginal,
  vpMixtureScore,
  vpScheduleFromSde,
  type VpSde,
} from "../engine/sde.ts";
import type { Rng } from "../engine/rng.ts";

/** The chapter's 1-D example data (the same mixture as its engine checks). */
const DATA: Mixture = createMixture({
  weights: [0.3, 0.5, 0.2],
  means: [-1.5, 0.3, 1.8],
  variances: [0.1, 0.2, 0.05],
});

/** Read a scalar of the sample point, or say which one is missing. */
function scalar(point: ReadonlyMap<string, { v: number }>, name: string): number {
  const v = point.get(name)?.v;
  if (v === undefined) throw new Error(`Cannot evaluate chapter 6's display as ${name} is unset`);
  return v;
}

const chapterSymbols: Binding<BookContext> = {
  Var_infty: {
    latex: "\\operatorname{Var}_\\infty",
    entry: {
      kind: "constant",
      value: (_ctx, _sub, point) => {
        // the chain's stationary variance for N(0, s^2), by the engine's grid solve
        const s = scalar(point, "s"), delta = scalar(point, "delta"), s2 = s * s;
        const sd = Math.sqrt(s2 / (1 - delta / (4 * s2)));
        const r = langevinStationary1D((x) => -x / s2, delta, -13 * sd, 13 * sd, 401);
        return exact(r.variance, 1e-11 * r.variance);
      },
    },
  },
  q_sigma: {
    latex: "q_\\sigma",
    entry: {
      kind: "density",
      apply: (a, _ctx, _sub, point) => {
        const sigma = scalar(point, "sigma");
        if (a.given.length === 1 && a.targets[0].variable?.name === "xTilde") {
          // q_sigma(x~ | x) = N(x~; x, sigma^2): the noise kernel
          const [xt, x] = [a.targets[0].value.v, a.given[0].value.v];
          return exact(Math.exp(gaussianLogPdf(xt, x, sigma * sigma)), 1e-12);
        }
        if (a.given.length === 1 && a.given[0].variable?.name === "xTilde") {
          // q_sigma(x | x~): the posterior of the data given the noisy point, q(x) N(x~; x, sigma^2)
          // normalised (the engine's product of the mixture and a Gaussian factor)
          const post = multiplyByGaussian(DATA, [a.given[0].value.v], sigma * sigma);
          return pdf(post, a.targets[0].value.v);
        }
        const v = Math.exp(
          mixtureLogPdf(smoothMixture(DATA, sigma * sigma), [a.targets[0].value.v]),
        );
        return exact(v, 1e-12 * Math.max(v, 1));
      },
      // x~ = x + sigma z, the noise kernel's draw (eq:dsm-equals-esm's inner expectation)
      draw: (a, k, rng, _ctx, _sub, point) => {
        if (a.given.length !== 1 || k !== 0) {
          throw new Error("Cannot draw from q_sigma except as q_sigma(x~ | x)");
        }
        return a.given[0].value.v + scalar(point, "sigma") * rng.normal();
      },
    },
  },
  // x~, the noisy point (a variable: expectations and nabla run over it)
  xTilde: { latex: "\\tilde x", entry: { kind: "variable" } },
  // Cov(x | x~) for x ~ q and x~ = x + sigma z, the engine's closed form for the mixture
  Cov_given: {
    latex: "\\operatorname{Cov}(x \\mid \\tilde x)",
    entry: {
      kind: "function",
      apply: ([_x, xTilde], _ctx, _sub, point) => {
        const s2 = scalar(point, "sigma") ** 2;
        return engineNum(denoisingPosteriorVariance(DATA, s2, [xTilde.value.v]));
      },
    },
  },
};

/** The chapter's VP SDE (Song et al.'s linear beta(tau) from 0.1 to 20). */
const SDE: VpSde = linearVpSde();
/** The annealed-Langevin ladder sigma_1 > ... > sigma_L and the chapter's example of it. */
const LADDER = [3, 1.5, 0.8, 0.4, 0.2];

/** An engine value known to a few hundred float64 roundings. */
const engineNum = (v: number): Num => exact(v, 256 * ULP);
const fn1 = (apply: (args: number[], point: Point) => number): Entry<BookContext> => ({
  kind: "function",
  apply: (args, _ctx, _sub, point) => engineNum(apply(args.map((a) => a.value.v), point)),
});
const pdf = (m: Mixture, x: number): Num => exact(Math.exp(mixtureLogPdf(m, [x])), 1e-12);

/** q_tau, the data carried to time tau by the SDE. */
const marginal = (tau: number): Mixture => vpMixtureMarginal(DATA, SDE, tau);

/** One step of an engine sampler or solver, on the exact score, from `from` to `to`, in place. */
const oneStep = (x: Float64Array, from: number, to: number): ReverseSamplerOptions => ({
  sde: SDE,
  score: vpMixtureScore(DATA, SDE),
  x,
  dim: 1,
  steps: 1,
  tauStart: from,
  tauEnd: to,
});

/** Steps of the solved probability-flow path (its error: the same solve with half the steps). */
const PATH_STEPS = 2048;
const paths = new Map<number, { fine: Float64Array; coarse: Float64Array }>();

/** x(tau) on the engine's RK4 solve of the probability-flow ODE from x_0, at a multiple of 1/1024. */
function flowPath(x0: number, tau: number): Num {
  let path = paths.get(x0);
  if (!path) {
    const solve = (steps: number) => {
      const out = new Float64Array(steps + 1), x = Float64Array.of(x0);
      out[0] = x0;
      for (let j = 0; j < steps; j++) {
        probabilityFlowSolve(oneStep(x, j / steps, (j + 1) / steps));
        out[j + 1] = x[0];
      }
      return out;
    };
    path = { fine: solve(PATH_STEPS), coarse: solve(PATH_STEPS / 2) };
    paths.set(x0, path);
  }
  const j = tau * PATH_STEPS;
  if (!(j % 2 === 0 && j >= 0 && j <= PATH_STEPS)) {
    throw new Error(
      `Cannot read x(tau) as tau must be a multiple of 2/${PATH_STEPS}: current value is ${tau}`,
    );
  }
  const v = path.fine[j];
  // RK4: the error of the fine solve is about 1/15 of its difference from the coarse one
  return { v, e: Math.abs(v - path.coarse[j / 2]) / 15 + 1e-14 * (Math.abs(v) + 1) };
}

/** Symbols of chapter 6's continuous-time sections, each bound to the engine's function. */
const sdeSymbols: Binding<BookContext> = {
  // p(x): the Langevin target, the chapter's data density; p_0, p_1 the marginals at tau = 0, 1
  p: {
    latex: "p_\\tau(x)",
    entry: {
      kind: "density",
      apply: (a, _ctx, sub) =>
        pdf(typeof sub === "number" ? marginal(sub) : DATA, a.targets[0].value.v),
    },
  },
  // x(tau): the probability-flow path from the point's x_0 (eq:ode-likelihood)
  x: {
    ...notationBinding.x,
    alt: {
      kind: "function",
      apply: ([tau], _ctx, _sub, point) => flowPath(scalar(point, "x@0"), tau.value.v),
    },
  },
  beta: { ...notationBinding.beta, alt: fn1(([tau]) => vpBeta(SDE, tau)) },
  alphaBar: { ...notationBinding.alphaBar, alt: fn1(([tau]) => vpAlphaBar(SDE, tau)) },
  f: { latex: "f(x, \\tau)", entry: fn1(([x, tau]) => vpDrift(SDE, tau, [x])[0]) },
  // g(tau) = sqrt(beta(tau)): the noise coefficient of eq:vp-sde, from the engine's beta
  g: { latex: "g(\\tau)", entry: fn1(([tau]) => Math.sqrt(vpBeta(SDE, tau))) },
  q_tau: {
    latex: "q_\\tau(x)",
    entry: {
      kind: "density",
      apply: (a, _ctx, _sub, point) =>
        pdf(vpMixtureMarginal(DATA, SDE, scalar(point, "tau")), a.targets[0].value.v),
    },
  },
  q: {
    latex: "q(x_\\tau \\mid x_0)",
    entry: {
      kind: "density",
      apply: (a, ctx, sub, point) => {
        const target = a.targets[0].variable;
        if (isDataPoint(a.targets[0], a.given, point)) return pdf(DATA, a.targets[0].value.v);
        if (target?.name === "x" && a.given.length === 0 && point.has("tau")) {
          return pdf(marginal(scalar(point, "tau")), a.targets[0].value.v); // q(x) = q_tau(x)
        }
        if (target?.name !== "x" || target.index !== undefined || !point.has("tau")) {
          return (notationBinding.q.entry as DensityEntry).apply(a, ctx, sub, point);
        }
        // q(x_tau | x_0): the engine's marginal of the point mass at x_0 (a variance that
        // vanishes in float64 next to 1 - alphaBar(tau))
        const x0 = a.given[0].value.v;
        const at = createMixture({ weights: [1], means: [x0], variances: Number.MIN_VALUE });
        return pdf(vpMixtureMarginal(at, SDE, scalar(point, "tau")), a.targets[0].value.v);
      },
      // q(x), the data: one draw from the mixture; else the notation's draws
      draw: (a, k, rng, ctx, sub, point) =>
        isDataPoint(a.targets[k], a.given, point)
          ? mixtureSample(DATA, 1, rng).x[0]
          : (notationBinding.q.entry as DensityEntry).draw!(a, k, rng, ctx, sub, point),
    },
  },
  s_theta: {
    latex: "s_\\theta(x, \\tau)",
    entry: {
      kind: "function",
      apply: (args, ctx, sub, point) => {
        // s_theta(x~): the point's line a - b x~, an imperfect model (eq:dsm-equals-esm); at a
        // step t (eq:dsm-eps) the notation's model; at a time tau the exact score of q_tau
        if (args.length === 1) {
          return engineNum(scalar(point, "modelA") - scalar(point, "modelB") * args[0].value.v);
        }
        if (point.has("t") || !point.has("tau")) {
          return (notationBinding.s_theta.entry as FunctionEntry).apply(args, ctx, sub, point);
        }
        const [x, tau] = args.map((a) => a.value.v);
        return engineNum(vpMixtureScore(DATA, SDE)(Float64Array.of(x), tau)[0]);
      },
    },
  },
  // sigma_i of the annealed ladder (a point with i), else DDIM's noise level sigma_t
  sigma: {
    latex: "\\sigma_i",
    entry: {
      kind: "indexed",
      at: (i, ctx, _sub, point) =>
        point.has("i")
          ? exact(LADDER[i - 1], 0)
          : engineNum(ddimNoiseLevel(ctx.schedule.alphaBars[i])),
    },
  },
  // eps*(x) = E[eps | x] at the point's alphaBar, from the engine's exact denoiser E[x_0 | x]
  epsilonStar: {
    latex: "\\epsilon^*(x)",
    entry: fn1(([x], point) => {
      const a = scalar(point, "alphaBar");
      const x0 = mixtureDenoiserAtSnr(DATA, a / (1 - a), [x])[0];
      return (x - Math.sqrt(a) * x0) / Math.sqrt(1 - a);
    }),
  },
  // the probability-flow field and the exact score at the point's (x, tau), and the marginal
  // q_tau's components (eq:flow-divergence)
  v: {
    latex: "v(x, \\tau)",
    entry: {
      kind: "constant",
      value: (ctx, sub, point) => {
        if (!point.has("tau")) {
          return (notationBinding.v.entry as IndexedEntry).at(sub as number, ctx, sub, point);
        }
        const x = scalar(point, "x"), tau = scalar(point, "tau");
        if (typeof sub === "number") return engineNum(marginal(tau).variances[sub - 1]);
        const s = vpMixtureScore(DATA, SDE)(Float64Array.of(x), tau);
        return engineNum(probabilityFlowDrift(SDE, tau, [x], s)[0]);
      },
    },
    alt: fn1(([x, tau]) =>
      probabilityFlowDrift(SDE, tau, [x], vpMixtureScore(DATA, SDE)(Float64Array.of(x), tau))[0]
    ),
  },
  s: {
    latex: "s(x, \\tau)",
    entry: {
      kind: "constant",
      value: (ctx, sub, point) =>
        typeof sub === "number" || !point.has("tau")
          ? (notationBinding.s.entry as IndexedEntry).at(sub as number, ctx, sub, point)
          : engineNum(
            vpMixtureScore(DATA, SDE)(Float64Array.of(scalar(point, "x")), scalar(point, "tau"))[0],
          ),
    },
    alt: fn1(([x, tau]) => vpMixtureScore(DATA, SDE)(Float64Array.of(x), tau)[0]),
  },
  m: {
    latex: "m_k",
    entry: {
      kind: "indexed",
      at: (k, ctx, sub, point) =>
        point.has("tau")
          ? engineNum(marginal(scalar(point, "tau")).means[k - 1][0])
          : (notationBinding.m.entry as IndexedEntry).at(k, ctx, sub, point),
    },
  },
  r: {
    latex: "r_k(x)",
    entry: {
      kind: "function",
      apply: ([x], _ctx, sub, point) =>
        engineNum(
          mixtureResponsibilities(marginal(scalar(point, "tau")), [x.value.v])[(sub as number) - 1],
        ),
    },
  },
  K: { latex: "K", entry: { kind: "constant", value: () => exact(DATA.weights.length, 0) } },
  L: { latex: "L", entry: { kind: "constant", value: () => exact(LADDER.length, 0) } },
  delta: {
    latex: "\\delta_i",
    entry: {
      kind: "indexed",
      at: (i, _ctx, _sub, point) =>
        engineNum(
          annealedStepSize(
            scalar(point, "epsilonSymbol"),
            LADDER[i - 1],
            LADDER[LADDER.length - 1],
          ),
        ),
    },
  },
};

/** q(x) written with the bare data variable x, no conditioning, outside continuous time. */
function isDataPoint(target: Arg, given: Arg[], point: Point): boolean {
  const v = target.variable;
  return v?.name === "x" && v.index === undefined && given.length === 0 && !point.has("tau");
}

/**
 * The continuous-time ELBO's example (eq:continuous-elbo, eq:elbo-snr-invariance): two SNR
 * schedules with the same endpoints, the VP SDE's on [TAU_MIN, TAU_MAX] stretched to [0, 1] (its
 * SNR(0) is infinite, and so would the loss be; beyond 1 it is undefined) and one with log-SNR linear in tau; the model x̂_θ is the
 * exact denoiser of a slightly wrong mixture, reading time through the SNR (an imperfect model).
 */
const TAU_MIN = 0.02, TAU_MAX = 0.99;
const VP_SNR = vpSnrSchedule(SDE);
const SNR_ENDS = { min: VP_SNR.snr(TAU_MAX), max: VP_SNR.snr(TAU_MIN) };
const stretch = (u: number) => TAU_MIN + (TAU_MAX - TAU_MIN) * u;
const ELBO_SCHEDULES: { name: string; snr: SnrSchedule }[] = [
  {
    name: `VP SDE's SNR on [${TAU_MIN}, ${TAU_MAX}]`,
    snr: {
      snr: (u) => VP_SNR.snr(stretch(u)),
      dSnr: (u) => (TAU_MAX - TAU_MIN) * VP_SNR.dSnr(stretch(u)),
    },
  },
  { name: "log-linear SNR", snr: logLinearSnrSchedule(SNR_ENDS.max, SNR_ENDS.min) },
];
const MODEL: Mixture = createMixture({
  weights: [0.35, 0.45, 0.2],
  means: [-1.4, 0.35, 1.7],
  variances: [0.12, 0.18, 0.06],
});
const xHatModel = (z: number, snr: number) => mixtureDenoiserAtSnr(MODEL, snr, [z])[0];
/** The case's SNR schedule (an ELBO case), or undefined. */
const snrOf = (ctx: BookContext) => ctx.snrSchedule as SnrSchedule | undefined;
/** z at SNR v: alpha_v x_0 + sigma_v eps with alpha_v^2 = v/(1+v), sigma_v^2 = 1/(1+v). */
const zAt = (v: number, point: Point) =>
  Math.sqrt(v / (1 + v)) * scalar(point, "x@0") + Math.sqrt(1 / (1 + v)) * scalar(point, "epsilon");

/** L_infty by the engine, per schedule and x_0 (the mutation sweep reads it once per mutant). */
const losses = new Map<string, Num>();

const elboSymbols: Binding<BookContext> = {
  SNR: {
    ...notationBinding.SNR,
    entry: {
      kind: "function",
      apply: (args, ctx, sub, point) => {
        const sched = snrOf(ctx);
        return sched
          ? engineNum(sched.snr(args[0].value.v))
          : (notationBinding.SNR.entry as FunctionEntry).apply(args, ctx, sub, point);
      },
    },
  },
  SNR_Min: {
    latex: "\\mathrm{SNR}_{\\min}",
    entry: { kind: "constant", value: () => engineNum(SNR_ENDS.min) },
  },
  SNR_Max: {
    latex: "\\mathrm{SNR}_{\\max}",
    entry: { kind: "constant", value: () => engineNum(SNR_ENDS.max) },
  },
  // z_tau and z_v: the noisy point at time tau (through the case's SNR) or at SNR v
  z_tau: {
    latex: "z_\\tau",
    entry: {
      kind: "constant",
      value: (ctx, _sub, point) => engineNum(zAt(snrOf(ctx)!.snr(scalar(point, "tau")), point)),
    },
  },
  z_v: {
    latex: "z_v",
    entry: {
      kind: "constant",
      value: (_ctx, _sub, point) => engineNum(zAt(scalar(point, "v"), point)),
    },
  },
  // x̂_θ(z, tau) reads its time through the SNR: inside the integral over tau, SNR(tau); over v, v
  xHat_theta: {
    ...notationBinding.xHat_theta,
    entry: {
      kind: "function",
      apply: (args, ctx, sub, point) => {
        const sched = snrOf(ctx);
        if (!sched) {
          return (notationBinding.xHat_theta.entry as FunctionEntry).apply(args, ctx, sub, point);
        }
        const [z, time] = args.map((a) => a.value.v);
        return engineNum(xHatModel(z, point.has("tau") ? sched.snr(time) : time));
      },
    },
  },
  // L_infty(x_0): the engine's continuous-time loss of the model for the case's schedule, over tau
  // by the trapezoid rule with Richardson extrapolation, E over eps by quadrature
  calL_infty: {
    latex: "\\mathcal{L}_\\infty(x_0)",
    entry: {
      kind: "function",
      apply: ([x0], ctx) => {
        const sched = snrOf(ctx);
        if (!sched) throw new Error("Cannot evaluate L_infty outside the continuous-ELBO cases");
        const key = `${ELBO_SCHEDULES.findIndex((s) => s.snr === sched)} ${x0.value.v}`;
        let loss = losses.get(key);
        if (!loss) {
          const err = (v: number) => denoisingError1D(x0.value.v, v, xHatModel, 81);
          const [coarse, fine] = [257, 513].map((n) => continuousDiffusionLoss(sched, err, 0, n));
          const v = (4 * fine - coarse) / 3; // Richardson: the trapezoid rule is O(h^2)
          loss = { v, e: Math.abs(fine - coarse) / 3 + 1e-9 * Math.abs(v) };
          losses.set(key, loss);
        }
        return loss;
      },
    },
  },
};

const binding = withChapterSymbols(
  notationBinding,
  withChapterSymbols(sdeSymbols, withChapterSymbols(chapterSymbols, elboSymbols)),
);

type DensityEntry = Extract<Entry<BookContext>, { kind: "density" }>;
type IndexedEntry = Extract<Entry<BookContext>, { kind: "indexed" }>;
type FunctionEntry = Extract<Entry<BookContext>, { kind: "function" }>;

/** A number with an error bound, for the sample point. */
const withError = (v: number, e: number): Num => ({ v, e });

/**
 * Sample points of the continuous-time and update displays: the printed right side at the old
 * point against the engine's step (or increment, or solved path) on the left.
 */
const CONTINUOUS: Record<string, (rng: Rng, ctx: BookContext) => Map<string, Num>> = {
  "eq:langevin-step": (rng) => {
    const x0 = 3 * (2 * rng.uniform() - 1), delta = 0.05 + 0.5 * rng.uniform(), z = rng.normal();
    const x1 = langevinStep((x) => mixtureScore(DATA, x), Float64Array.of(x0), delta, [z])[0];
    return point({ k: 0, "x@0": x0, "x@1": x1, delta, "z@0": z });
  },
  "eq:annealed-step": (rng) =>
    point({ i: 1 + rng.int(LADDER.length), epsilonSymbol: 1e-3 + 0.01 * rng.uniform() }),
  "eq:vp-sde": (rng) => {
    // one Euler-Maruyama step of the engine from tau over dtau, with the engine's own normal draw
    const x = 3 * (2 * rng.uniform() - 1),
      tau = 0.9 * rng.uniform(),
      h = 1e-3 + 0.1 * rng.uniform();
    const seed = rng.int(1 << 30);
    const moved = eulerMaruyamaForward(
      SDE,
      Float64Array.of(x),
      1,
      tau + h,
      1,
      createRng(seed),
      tau,
    );
    const p = point({ x, tau, dtau: h, dW: Math.sqrt(h) * createRng(seed).normal() });
    p.set("dx", withError(moved[0] - x, 4 * ULP * (Math.abs(x) + Math.abs(moved[0]))));
    return p;
  },
  "eq:reverse-sde": (rng) => {
    // one step of the engine's reverse-SDE sampler from tau down to tau - h: dtau = -h
    const x = 3 * (2 * rng.uniform() - 1), tau = 0.1 + 0.9 * rng.uniform();
    const h = 1e-3 + 0.09 * rng.uniform(), seed = rng.int(1 << 30);
    const moved = reverseSdeSample(oneStep(Float64Array.of(x), tau, tau - h), createRng(seed));
    const p = point({ x, tau, dtau: -h, dWBar: Math.sqrt(h) * createRng(seed).normal() });
    p.set("dx", withError(moved[0] - x, 64 * ULP * (Math.abs(x) + Math.abs(moved[0]) + 1)));
    return p;
  },
  "eq:probability-flow": (rng) => {
    // dx/dtau along the engine's solved path: a central difference of its RK4 solve over
    // [tau - h, tau + h], truncation error |D(h) - D(2h)| / 3 (doubled), plus rounding
    const x = 3 * (2 * rng.uniform() - 1), tau = 0.1 + 0.8 * rng.uniform(), h = 1e-3;
    const at = (end: number) => probabilityFlowSolve(oneStep(Float64Array.of(x), tau, end))[0];
    const dx = at(tau + h) - at(tau - h), dx2 = at(tau + 2 * h) - at(tau - 2 * h);
    const truncation = (2 / 3) * Math.abs(dx / (2 * h) - dx2 / (4 * h)) * 2 * h;
    const p = point({ x, tau, dtau: 2 * h });
    p.set("dx", withError(dx, truncation + 64 * ULP * (Math.abs(x) + 1)));
    return p;
  },
  "eq:ddim-euler": (rng, ctx) => {
    // dy/dsigma: a central difference of the engine's probability-flow solve around tau, in
    // y = x / sqrt(alphaBar(tau)) and sigma = ddimNoiseLevel(alphaBar(tau)); and one DDIM Euler step
    // of the engine from x_t on the case's schedule with the binding's eps_theta
    const x = 3 * (2 * rng.uniform() - 1), tau = 0.1 + 0.8 * rng.uniform(), h = 1e-3;
    const ys = (k: number) => {
      const end = tau + k * h, a = vpAlphaBar(SDE, end);
      const moved = k === 0 ? x : probabilityFlowSolve(oneStep(Float64Array.of(x), tau, end))[0];
      return { y: moved / Math.sqrt(a), sigma: ddimNoiseLevel(a) };
    };
    const [m2, m1, p1, p2] = [-2, -1, 1, 2].map(ys);
    const dy = p1.y - m1.y, dsigma = p1.sigma - m1.sigma;
    const slope2 = (p2.y - m2.y) / (p2.sigma - m2.sigma);
    const truncation = (2 / 3) * Math.abs(dy / dsigma - slope2) * Math.abs(dsigma);
    const s = ctx.schedule, t = 1 + rng.int(s.T);
    const p = stepPoint(s, t, rng);
    const xt = scalar(p, `x@${t}`);
    const prev = ddimEulerStep(s, [xt], [epsThetaOf(ctx, xt, t)], t, t - 1)[0];
    p.set(`y@${t}`, engineNum(xt / Math.sqrt(s.alphaBars[t])));
    p.set(`y@${t - 1}`, engineNum(prev / Math.sqrt(s.alphaBars[t - 1])));
    for (const [k, v] of point({ x, tau, alphaBar: vpAlphaBar(SDE, tau) })) p.set(k, v);
    p.set("dsigma", exact(dsigma, 0));
    p.set("dy", withError(dy, truncation + 64 * ULP * (Math.abs(p1.y) + Math.abs(m1.y) + 1)));
    return p;
  },
  "eq:dsm-equals-esm": (rng) =>
    point({
      sigma: 0.2 + rng.uniform(), // the smoothing noise
      // an imperfect linear score model s_theta(x) = a - b x
      modelA: rng.uniform() - 0.5,
      modelB: 0.3 + 1.5 * rng.uniform(),
    }),
  "eq:ode-likelihood": (rng) => point({ "x@0": 3 * (2 * rng.uniform() - 1) }),
  "eq:flow-divergence": (rng) =>
    point({ x: 3 * (2 * rng.uniform() - 1), tau: 0.02 + 0.96 * rng.uniform() }),
  "eq:vp-marginal": (rng) =>
    point({
      tau: 0.05 + 0.95 * rng.uniform(),
      x: 3 * (2 * rng.uniform() - 1),
      "x@0": 2 * (2 * rng.uniform() - 1),
    }),
  "eq:corrector-step": (rng) => {
    // the engine's corrector step from x at tau, with r = snr and the draw z
    const x = 3 * (2 * rng.uniform() - 1), tau = 0.05 + 0.9 * rng.uniform();
    const r = 0.05 + 0.3 * rng.uniform(), z = rng.normal();
    const s = vpMixtureScore(DATA, SDE)(Float64Array.of(x), tau)[0];
    const moved = Float64Array.of(x);
    const delta = correctorStep(moved, [s], [z], r * Math.abs(z) / Math.abs(s), tau);
    return point({ x, tau, r, z, delta, "x'": moved[0] });
  },
};

/** The displays of the continuous-time ELBO, evaluated in their own cases (one per SNR schedule). */
const ELBO_LABELS = ["eq:continuous-elbo", "eq:elbo-snr-invariance"];

/**
 * A continuous-ELBO case: the schedule's SNR, E over eps by 256 common draws (the loss's spread
 * over eps is about its size, so 4 standard errors are ~25%: a lost 1/2 or SNR for SNR' is far
 * outside), integrals over tau (or v) on 257-point grids, at two x_0.
 */
function elboCase(schedule: { name: string; snr: SnrSchedule }, seed: number): TypesetCase {
  const ctx: BookContext = {
    schedule: linearSchedule(100),
    data: DATA,
    snrSchedule: schedule.snr,
    jointSamples: 256,
  };
  return {
    name: `${schedule.name}, SNR from ${SNR_ENDS.min.toExponential(2)} to ${
      SNR_ENDS.max.toFixed(1)
    }, model: a wrong mixture's denoiser`,
    applies: (d) => ELBO_LABELS.includes(d.label ?? ""),
    ctx,
    grid: (v) => ({ lo: 0, hi: 1, n: v.name === "v" ? 513 : 257 }),
    points: () => {
      const rng = createRng(seed);
      return [point({ "x@0": 2 * (2 * rng.uniform() - 1) }), point({ "x@0": DATA.means[1][0] })];
    },
  };
}

function makeCase(s: Schedule, seed: number, fromSde: boolean): TypesetCase {
  const ctx: BookContext = {
    schedule: s,
    data: DATA,
    sigma: (t) => ddpmSigma(s, t, "beta"),
    jointSamples: 4096, // eq:dsm-equals-esm: 4 standard errors ~6% of its left side
  };
  return {
    name: `${fromSde ? "VP SDE" : s.kind} schedule, T = ${s.T}, three-component mixture`,
    // eq:dsm-equals-esm has no schedule in it: the first case evaluates it
    applies: (d) =>
      (fromSde || d.label !== "eq:vp-discretisation") && !ELBO_LABELS.includes(d.label ?? "") &&
      (d.label !== "eq:dsm-equals-esm" || (s.kind === "linear" && !fromSde)),
    ctx,
    // x_0 ranges over the data (narrowest sd 0.22) with >= 40 points per sd
    // (x~ is the data smoothed by sigma >= 0.2: sd >= 0.3, 21 points per sd)
    grid: (v) =>
      v.name === "tau"
        ? { lo: 0, hi: 1, n: 257 }
        : v.name === "xTilde"
        ? { lo: -7, hi: 7, n: 1001 }
        : { lo: -6, hi: 6, n: 2401 },
    points: (d) => {
      const rng = createRng(seed);
      const continuous = d.label ? CONTINUOUS[d.label] : undefined;
      // the ODE likelihood solves a path per point: two per case; eq:dsm-equals-esm runs 4096
      // draws and two quadratures per point: three
      const count = d.label === "eq:ode-likelihood" ? 2 : d.label === "eq:dsm-equals-esm" ? 3 : 6;
      if (continuous) return Array.from({ length: count }, () => continuous(rng, ctx));
      return sampleSteps(s.T, rng).map((t) => {
        const p = stepPoint(s, t, rng);
        const sd = 0.5 + rng.uniform(); // a Gaussian target's sd for the Langevin bias
        p.set("s", exact(sd, 0));
        p.set("delta", exact(3.6 * sd * sd * rng.uniform(), 0)); // 0 < delta < 4 s^2
        p.set("sigma", exact(0.2 + rng.uniform(), 0)); // the smoothing noise
        p.set("xTilde", exact(3 * (2 * rng.uniform() - 1), 0));
        return p;
      });
    },
  };
}

/** Chapter 6's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: binding as Binding,
  cases: [
    makeCase(linearSchedule(100), 601, false),
    makeCase(cosineSchedule(50), 602, false),
    // the chain discretised from the SDE (eq:vp-discretisation holds for this schedule only)
    makeCase(vpScheduleFromSde(SDE, 100, "exact"), 603, true),
    ...ELBO_SCHEDULES.map((sched, k) => elboCase(sched, 604 + k)),
  ],
};
