/**
 * Chapter 1's printed equations, evaluated: the notation binding plus the symbols the chapter
 * defines for its example (the mixture's π_k, m_k, s_k, v_{k,t}, w_k, ρ_k), three schedules, and
 * sample points at t = 1, 2, a random step and T. Where a display states what a sampler returns
 * (x_t of [](#eq:forward-marginal), x_{t-1} of the DDPM and DDIM steps), the sample point's value is
 * the engine's sampler output, so the printed formula is compared with the code the demos run.
 *
 * @module
 */
import { type Binding, LAW_VARIABLE } from "../lib/book/typeset/binding.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { exact, type Num } from "../lib/book/typeset/num.ts";
import { varKey } from "../lib/book/typeset/evaluate.ts";
import {
  type BookContext,
  epsThetaOf,
  notationBinding,
  withChapterSymbols,
} from "../lib/book/typeset/notation_binding.ts";
import {
  createMixture,
  marginalAt,
  type Mixture,
  mixtureLogPdf,
  mixtureMean,
  mixtureVariance,
  optimalEps,
  reverseKernel,
  tweedieMean,
  x0Posterior,
} from "../engine/mixture.ts";
import { forwardSample } from "../engine/forward.ts";
import { gaussianLogPdf } from "../engine/gaussian.ts";
import { trapezoid } from "../engine/quadrature.ts";
import { epsFromX0, x0FromEps } from "../engine/parameterisation.ts";
import { ddimStep, ddpmSigma, ddpmStepMean } from "../engine/samplers.ts";
import { createRng } from "../engine/rng.ts";
import {
  cosineSchedule,
  linearSchedule,
  type Schedule,
  sohlDicksteinSchedule,
} from "../engine/schedule.ts";
import {
  point,
  sampleSteps,
  stepPoint,
  type TypesetCase,
  type TypesetSpec,
} from "./typeset_harness.ts";

/** The chapter's example data: the same mixture its engine checks use (Chapters 2 and 3 too). */
export const DATA: Mixture = createMixture({
  weights: [0.3, 0.5, 0.2],
  means: [-2, 0.5, 2.5],
  variances: [0.05, 0.2, 0.02],
});

const REL = 64 * 2 ** -52;
const k1 = (sub: unknown) => (Array.isArray(sub) ? sub[0] : sub) as number - 1;
const tOf = (p: ReadonlyMap<string, { v: number }>) => p.get("t")!.v;

/**
 * Symbols chapter 1 defines for its mixture example: K counts the components (the notation
 * chapter's K is Sohl-Dickstein's bound), ρ_k is a component's reverse variance.
 */
const chapterSymbols: Binding<BookContext> = {
  K: {
    latex: "K",
    entry: { kind: "constant", value: (ctx) => exact(ctx.data!.weights.length, 0) },
  },
  rho: {
    latex: "\\rho_k",
    entry: {
      kind: "indexed",
      at: (_i, ctx, sub, p) =>
        exact(reverseKernel(ctx.data!, ctx.schedule, tOf(p), [0]).variances[k1(sub)], REL),
    },
  },
};

/** A step x_s of the chain, read from an argument of E[a | b] or Var(a | b). */
function stepArg(a: { variable?: { name: string; index?: number } }, what: string): number {
  if (a.variable?.name !== "x" || a.variable.index === undefined) {
    throw new Error(`Cannot evaluate ${what} as its argument is not a step x_s of the chain`);
  }
  return a.variable.index;
}

/** An engine value of the unit scale the examples live on: 64 ulps of (1 + |v|), absolute. */
const engineValue = (v: number): Num => ({ v, e: REL * (1 + Math.abs(v)) });

/**
 * The conditional moments the chapters print, for mixture data, each exactly by the engine:
 * E[x_0 | x_t] (`tweedieMean`), E[ε | x_t] (`optimalEps`), E[x_{t-1} | x_t] (the mean of the true
 * reverse step `reverseKernel`), and Var(x_{t-1} | x_t), Var(x_0 | x_t) (the variances of
 * `reverseKernel` and of the posterior `x0Posterior`). Chapter 4 uses them too.
 */
export const reverseMoments: Binding<BookContext> = {
  bbE_given: {
    latex: "\\mathbb{E}[x_0 \\mid x_t]",
    entry: {
      kind: "function",
      apply: ([a, b], ctx) => {
        const t = stepArg(b, "E[a | b]"), xt = [b.value.v];
        const name = a.variable?.name, at = a.variable?.index;
        const v = name === "x" && at === 0
          ? tweedieMean(ctx.data!, ctx.schedule, t, xt)[0]
          : name === "x" && at === t - 1
          ? mixtureMean(reverseKernel(ctx.data!, ctx.schedule, t, xt))[0]
          : name === "epsilon"
          ? optimalEps(ctx.data!, ctx.schedule, t, xt)[0]
          : NaN;
        if (Number.isNaN(v)) {
          throw new Error(
            "Cannot evaluate E[a | x_t] as a is not x_0, x_{t-1} or the noise epsilon",
          );
        }
        return engineValue(v);
      },
    },
  },
  Var_given: {
    latex: "\\operatorname{Var}(x_{t-1} \\mid x_t)",
    entry: {
      kind: "function",
      apply: ([a, b], ctx) => {
        const t = stepArg(b, "Var(a | b)"), at = stepArg(a, "Var(a | b)"), xt = [b.value.v];
        if (at !== t - 1 && at !== 0) {
          throw new Error("Cannot evaluate Var(a | x_t) as a is not x_{t-1} or x_0");
        }
        const m = at === t - 1
          ? reverseKernel(ctx.data!, ctx.schedule, t, xt)
          : x0Posterior(ctx.data!, ctx.schedule, t, xt);
        return engineValue(mixtureVariance(m)[0]);
      },
    },
  },
};

const lossCache = new WeakMap<object, Num>();

/**
 * L_simple(θ) of the chapter's network ε_θ (by default the optimal one), by the other route of the
 * engine check: for each t, the squared bias of ε_θ against E[ε | x_t] plus the irreducible
 * Var(ε | x_t) = ᾱ_t / (1 − ᾱ_t) Var(x_0 | x_t), integrated over q(x_t) by the engine's trapezoid
 * rule (error: the same rule on the half-fine grid), averaged over t.
 */
function simpleLoss(ctx: BookContext): Num {
  const cached = lossCache.get(ctx);
  if (cached) return cached;
  const s = ctx.schedule, data = ctx.data!;
  let v = 0, e = 0;
  for (let t = 1; t <= s.T; t++) {
    const qt = marginalAt(data, s, t), c = s.alphaBars[t] / (1 - s.alphaBars[t]);
    const f = (x: number) => {
      // the bias vanishes for the optimal network (the default): skip its cost then
      const bias = ctx.epsTheta ? epsThetaOf(ctx, x, t) - optimalEps(data, s, t, [x])[0] : 0;
      const varEps = c * mixtureVariance(x0Posterior(data, s, t, [x]))[0];
      return Math.exp(mixtureLogPdf(qt, [x])) * (bias * bias + varEps);
    };
    // q(x_t) has sd >= 0.14: h = 0.05 resolves it; the half-fine grid bounds the error
    const fine = trapezoid(f, -8, 8, 321), coarse = trapezoid(f, -8, 8, 161);
    v += fine / s.T;
    e += (Math.abs(fine - coarse) + 1e-12 * (1 + fine)) / s.T;
  }
  const out = { v, e };
  lossCache.set(ctx, out);
  return out;
}

/** DDIM's kernel q_σ(x_{t-1} | x_t, x_0) as the engine samples it (`ddimStep` with x̂_0 = x_0). */
function ddimKernel(ctx: BookContext, xPrev: number, xt: number, x0: number, t: number): Num {
  const s = ctx.schedule, eta = ctx.eta!;
  const eps = epsFromX0(s, xt, x0, t); // the noise for which x0FromEps gives back x_0
  const mean = ddimStep(s, [xt], [eps], t, t - 1, eta, [0])[0];
  return exact(Math.exp(gaussianLogPdf(xPrev, mean, ddimSigma(s, t, eta) ** 2)), 1e-12);
}

const binding = withChapterSymbols(notationBinding, {
  ...chapterSymbols,
  ...reverseMoments,
  L_simple: {
    latex: "L_{\\text{simple}}(\\theta)",
    entry: { kind: "function", apply: (_args, ctx) => simpleLoss(ctx) },
  },
  q_sigma: {
    latex: "q_\\sigma(x_{t-1} \\mid x_t, x_0)",
    entry: {
      kind: "density",
      apply: (a, ctx) => {
        const [prev, xt, x0] = [a.targets[0], ...a.given];
        const t = stepArg(xt, "q_sigma(x_{t-1} | x_t, x_0)");
        if (prev.variable?.index !== t - 1 || x0.variable?.index !== 0) {
          throw new Error("Cannot bind q_sigma(a | b, c) other than q_sigma(x_{t-1} | x_t, x_0)");
        }
        return ddimKernel(ctx, prev.value.v, xt.value.v, x0.value.v, t);
      },
    },
  },
});

/** The law of total variance (its left side is Var(x_{t-1})). */
const isTotalVariance = (d: Display) => /^\\operatorname\{Var\}\(x_\{t-1\}\)/.test(d.latex.trim());

/** DDIM's kernel: the display that defines q_σ(x_{t-1} | x_t, x_0). */
const isQSigma = (d: Display) => /^q_\\sigma\(/.test(d.latex.trim());

/** σ_t of a DDIM step at η, read from the engine's step: x(z = 1) − x(z = 0). */
function ddimSigma(s: Schedule, t: number, eta: number): number {
  return ddimStep(s, [0], [0], t, t - 1, eta, [1])[0] -
    ddimStep(s, [0], [0], t, t - 1, eta, [0])[0];
}

/** A case: a schedule, the data, and the sample points (4 steps × 2 draws). */
function makeCase(s: Schedule, seed: number, eta = 0.5, onlySimpleLoss = false): TypesetCase {
  let gridPoints = 1601;
  const ctx: BookContext = {
    schedule: s,
    data: DATA,
    eta,
    sigma: (t) => ddpmSigma(s, t, "beta"),
    // L_simple's three-fold expectation: 4 SE ≈ 0.031 sd of the squared error, so that a
    // dropped square root on alphaBar_t does not hide in the Monte Carlo error
    jointSamples: 16384,
  };
  // L_simple's network: the optimal noise prediction with a deliberate error, as in the engine
  // check, so the loss is more than the irreducible Var(eps | x_t) (a norm written without its
  // square then gives another number)
  if (onlySimpleLoss) {
    ctx.epsTheta = (x, t) => optimalEps(DATA, s, t, [x])[0] + 0.4 * Math.sin(2 * x);
  }
  return {
    name: `${s.kind} schedule, T = ${s.T}${eta !== 0.5 ? `, eta = ${eta}` : ""}`,
    ctx,
    // at eta = 0 the kernel q_sigma is a point mass: it has no density to evaluate; L_simple has a
    // case of its own (below)
    applies: (d) =>
      !(isQSigma(d) && eta === 0) && (d.label === "eq:simple-loss") === onlySimpleLoss,
    grid: () => ({ lo: -10, hi: 10, n: gridPoints }), // trapezoid: spectrally accurate for Gaussians
    points: (d: Display) => {
      // the law of total variance integrates smooth marginals (sd >= 0.14): h = 0.05 leaves an
      // error of order exp(-2 pi^2 sd^2 / h^2) < 1e-60, and its engine kernels are costly
      gridPoints = isTotalVariance(d) ? 401 : 1601;
      const rng = createRng(seed + d.line);
      const out = [];
      // q(x_{t-1} | x_0) and q(x_{t-1} | x_t, x_0) are point masses at t = 1 (no density)
      // and the exponent of q(x_{t-1} | x_0), divided by 1 - alphaBar_{t-1}, is not defined there
      const from = /x_\{t-1\} \\mid x_(t, x_)?0|\{2\(1-\\bar\\alpha_\{t-1\}\)\}/.test(d.latex)
        ? 2
        : 1;
      for (const t of sampleSteps(s.T, rng, from)) {
        // the law of total variance depends on t alone: one draw a step
        for (let i = 0; i < (isTotalVariance(d) ? 1 : 2); i++) {
          const p = stepPoint(s, t, rng);
          p.set("k", exact(1 + rng.int(DATA.weights.length), 0));
          const xt = p.get(varKey("x", t))!.v, x0 = p.get(varKey("x", 0))!.v;
          const eps = p.get("epsilon")!.v, z = p.get("z")!.v;
          const epsHat = epsThetaOf(ctx, xt, t);
          p.set(varKey("xHat", 0), exact(x0FromEps(s, xt, epsHat, t), REL));
          if (d.label === "eq:forward-marginal") {
            p.set(varKey("x", t), exact(forwardSample(s, x0, t, rng, eps).xt, REL));
          }
          if (t === 1) p.set("z", exact(0, 0)); // "z = 0 for t = 1"
          if (d.label === "eq:ddpm-step") {
            const zt = t > 1 ? z : 0;
            p.set(
              varKey("x", t - 1),
              exact(ddpmStepMean(s, [xt], [epsHat], t)[0] + ddpmSigma(s, t, "beta") * zt, REL),
            );
          }
          if (d.label === "eq:ddim-step") {
            ctx.sigma = (tt) => ddimSigma(s, tt, eta);
            p.set(
              varKey("x", t - 1),
              exact(ddimStep(s, [xt], [epsHat], t, t - 1, eta, [z])[0], REL),
            );
          } else if (isQSigma(d)) {
            // x_{t-1} drawn from q_sigma(. | x_t, x_0) by the engine's DDIM step (the noise that
            // takes x_0 to x_t in place of eps_theta); the law N(m, v) is read at that x_{t-1}
            ctx.sigma = (tt) => ddimSigma(s, tt, eta);
            const prev = ddimStep(s, [xt], [epsFromX0(s, xt, x0, t)], t, t - 1, eta, [z])[0];
            p.set(varKey("x", t - 1), exact(prev, REL));
            p.set(LAW_VARIABLE, exact(prev, REL));
          } else ctx.sigma = (tt) => ddpmSigma(s, tt, "beta");
          // theta names the network's parameters, not a number: L_simple(theta) reads no value
          if (d.label === "eq:simple-loss") p.set("theta", exact(NaN, 0));
          out.push(p);
        }
      }
      // L_simple(theta) is one number of the example: one point is enough
      return d.label === "eq:simple-loss" ? out.slice(0, 1) : out;
    },
  };
}

/** Chapter 1's typeset evaluation: three schedules, DDIM at η = 0.5 and at 0 and 1. */
export const spec: TypesetSpec = {
  binding: binding as Binding,
  cases: [
    makeCase(linearSchedule(100), 101),
    makeCase(cosineSchedule(100), 102, 0),
    makeCase(sohlDicksteinSchedule(40), 103, 1),
    // L_simple's exact route integrates over every step: a short chain, whose neighbouring steps
    // differ enough that alphaBar_{t-1} for alphaBar_t moves the loss beyond the Monte Carlo error
    makeCase(linearSchedule(10, 1e-3, 0.5), 104, 0.5, true),
    // and a chain of three steps that ends in noise, where each step carries a third of the loss
    // and the first and last steps' losses are far from the mean: t drawn from {1, ..., T-1} or
    // {2, ..., T} moves the expectation by 5-6x its Monte Carlo error (on the chain above, the
    // last step's loss is close to the mean and T-1 moved it by 0.99x the error)
    makeCase(linearSchedule(3, 1e-3, 0.9), 105, 0.5, true),
  ],
};

export { point };
