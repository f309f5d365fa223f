/**
 * Chapter 3's printed equations, evaluated on the same Gaussian chains as Chapter 2 (the 1-D mixture,
 * three schedules, whole forward paths from the engine's sampler): the pointwise identities of the
 * ELBO's derivation, and the ELBO itself. Its expectations over whole paths run by Monte Carlo over
 * forward paths (`lib/book/typeset/path_expectation.ts`); its KL terms between Gaussians take the
 * engine's closed form (`gaussian_kl.ts`). `\mathrm{ELBO}_\theta(x_0)` on the left is the engine's
 * `elboTerms` averaged over {@link ELBO_DRAWS} draws (a 4-standard-error bound), so the printed
 * forms are compared with the engine's, not with themselves. Displays that need the model marginal
 * p_θ(x_0) or a KL over whole paths say so with `.unevaluated` markers.
 *
 * @module
 */
import type { Binding, BoundSymbol, DensityArgs, Entry } from "../lib/book/typeset/binding.ts";
import {
  type BookContext,
  epsThetaOf,
  notationBinding,
  withChapterSymbols,
} from "../lib/book/typeset/notation_binding.ts";
import { linearSchedule } from "../engine/schedule.ts";
import { elboTerms, exactElboGaussian, type LinearGaussianReverse } from "../engine/elbo.ts";
import { gaussianLogPdf } from "../engine/gaussian.ts";
import {
  type LinearGaussianVae,
  vaeDecoderLogPdf,
  vaeElbo,
  vaeEncoder,
  vaeEncoderLogPdf,
  vaeLogEvidence,
  vaePosterior,
  vaePriorLogPdf,
} from "../engine/vae.ts";
import { ddpmStepMean } from "../engine/samplers.ts";
import { createRng } from "../engine/rng.ts";
import { K_SE } from "../lib/book/typeset/path_expectation.ts";
import { exact } from "../lib/book/typeset/num.ts";
import { type Family, varKey } from "../lib/book/typeset/evaluate.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { gaussianCase, toyCase } from "./02-trajectories.typeset.ts";
import { scheduleCases, type TypesetCase, type TypesetSpec } from "./typeset_harness.ts";

/** Draws of the engine's ELBO estimate behind `\mathrm{ELBO}_\theta(x_0)`. */
export const ELBO_DRAWS = 256;

/**
 * ELBO_θ(x_0): for the linear-Gaussian toy the engine's closed form (`exactElboGaussian` at the one
 * point x_0); otherwise the mean of the engine's `elboTerms` draws, with K_SE standard errors as
 * bound.
 */
const elboEntry: Entry<BookContext> = {
  kind: "function",
  apply: (args, ctx) => {
    const x0 = args[0].value.v, s = ctx.schedule;
    if (ctx.reverse) {
      const v = exactElboGaussian(s, { mean: x0, variance: 0 }, ctx.reverse).elbo;
      return { v, e: 1e-12 * (1 + Math.abs(v)) }; // float64 closed form over T = 10 steps
    }
    const mean = (xt: Float64Array, t: number) =>
      ddpmStepMean(s, xt, [epsThetaOf(ctx, xt[0], t)], t); // [1]
    const rng = createRng(1603);
    let sum = 0, sumSq = 0;
    for (let i = 0; i < ELBO_DRAWS; i++) {
      const e = elboTerms(s, [x0], mean, rng, { variance: "beta" }).elbo;
      sum += e;
      sumSq += e * e;
    }
    const m = sum / ELBO_DRAWS;
    const sd = Math.sqrt(Math.max(0, (sumSq - ELBO_DRAWS * m * m) / (ELBO_DRAWS - 1)));
    return { v: m, e: K_SE * sd / Math.sqrt(ELBO_DRAWS) };
  },
};

const isPathDisplay = (d: Display) =>
  /ELBO/.test(d.latex) && (/x_\{1:T\}/.test(d.latex) || d.label === "eq:elbo-terms");

/** One data point x_0 per display: the path expectations are the cost, not the points. */
function pathCase(base: TypesetCase, seed: number): TypesetCase {
  return {
    ...base,
    name: `${base.name}, whole paths`,
    applies: (d) => isPathDisplay(d) && !/p_\\theta\(x_0\)/.test(d.latex),
    // an expectation over x_t given x_0 runs over ±10 standard deviations of q(x_t | x_0): the
    // narrow early steps are resolved, and 41 points keep T quadratures cheap
    grid: (v, scope) => {
      const x0 = scope.get(varKey("x", 0));
      const t = v.index;
      if (v.name !== "x" || t === undefined || t === 0 || !x0) return base.grid(v, scope);
      const aBar = (base.ctx as BookContext).schedule.alphaBars[t];
      const m = Math.sqrt(aBar) * x0.v, sd = Math.sqrt(1 - aBar);
      return { lo: m - 10 * sd, hi: m + 10 * sd, n: 41 };
    },
    points: (d: Display) => {
      const x0 = 2 * (2 * createRng(seed + d.line).uniform() - 1);
      return [new Map([[varKey("x", 0), exact(x0, 0)]])];
    },
  };
}

/** Displays that need the model marginal p_θ(x_0) or a whole path: the toy evaluates them. */
const isToyDisplay = (d: Display) =>
  /p_\\theta\(x_0\)|x_\{[01]:T\}/.test(d.latex) || d.label === "eq:elbo-terms";

/** The toy's reverse chain with every mean shifted by θ: p_θ(x_{t-1} | x_t) = N(a_t x_t + b_t + θ, σ_t²). */
function shifted(reverse: LinearGaussianReverse, theta: number): LinearGaussianReverse {
  return { ...reverse, b: Float64Array.from(reverse.b, (b, t) => (t === 0 ? 0 : b + theta)) };
}

/** Paths per evaluation of the KL inside `\arg\min_\theta` (about 60 evaluations per side). */
const FAMILY_PATHS = 256;

/**
 * The toy with a one-parameter family of models for [](#eq:kl-objective): θ shifts every reverse
 * mean, θ ∈ [−1, 1]; the printed arg min is searched numerically over the Monte Carlo KL.
 */
function withFamily(c: TypesetCase): TypesetCase {
  const ctx = c.ctx as BookContext;
  const theta: Family = {
    lo: -1,
    hi: 1,
    at: (v) => ({ ...ctx, reverse: shifted(ctx.reverse!, v), paths: FAMILY_PATHS }),
  };
  return { ...c, ctx: { ...ctx, families: { theta } } };
}

/**
 * θ̂ by the independent route: the mean ELBO over the data is a quadratic in the shift θ (every
 * term is quadratic in the reverse means), so the engine's closed form (`exactElboGaussian`) at
 * θ = −1, 0, 1 gives its maximiser, the minimiser of the path KL, as the parabola's vertex.
 */
const thetaHatEntry: Entry<BookContext> = {
  kind: "constant",
  value: (ctx) => {
    const f = (v: number) =>
      exactElboGaussian(ctx.schedule, { mean: 2, variance: 0.5 }, shifted(ctx.reverse!, v)).elbo;
    const [m, z, p] = [f(-1), f(0), f(1)];
    const v = (m - p) / (2 * (m - 2 * z + p));
    return { v, e: 1e-10 * (1 + Math.abs(v)) }; // a ratio of differences of O(10) closed forms
  },
};

/**
 * View 3's VAE (engine `vae.ts`): decoder p_θ(x | z) = N(1.2 z − 0.3, 0.4), prior N(0, 1), and an
 * encoder q_φ(z | x) = N(0.5 x + 0.1, 0.5²) that is not the true posterior, so the KL is not 0.
 */
export const VAE: LinearGaussianVae = {
  w: 1.2,
  b: -0.3,
  decoderVariance: 0.4,
  m: 0.5,
  c: 0.1,
  encoderStd: 0.5,
};

interface Ch3Context extends BookContext {
  vae?: LinearGaussianVae;
}

const named = (a: DensityArgs["targets"][number], name: string) =>
  a.variable?.name === name && a.variable.index === undefined;
const fromLog = (logp: number) => exact(Math.exp(logp), 1e-12);

/** p(z), p_θ(x | z), p_θ(x), p_θ(z | x) and q_φ(z | x) of the VAE, read by their letters. */
function vaeDensity(kind: "p" | "p_theta" | "q_phi", a: DensityArgs, vae: LinearGaussianVae) {
  const [target] = a.targets, given = a.given[0];
  const x = given && named(given, "x") ? given.value.v : undefined;
  if (kind === "p" && named(target, "z") && !given) return fromLog(vaePriorLogPdf(target.value.v));
  if (kind === "q_phi" && named(target, "z") && x !== undefined) {
    return fromLog(vaeEncoderLogPdf(vae, target.value.v, x));
  }
  if (kind === "p_theta" && named(target, "x") && given && named(given, "z")) {
    return fromLog(vaeDecoderLogPdf(vae, target.value.v, given.value.v));
  }
  if (kind === "p_theta" && named(target, "x") && !given) {
    return fromLog(vaeLogEvidence(vae, target.value.v));
  }
  if (kind === "p_theta" && named(target, "z") && x !== undefined) {
    const post = vaePosterior(vae, x);
    return fromLog(gaussianLogPdf(target.value.v, post.mean, post.variance));
  }
  throw new Error(`Cannot bind ${kind}(…) in the VAE example: not one of its densities`);
}

/** A density that is the VAE's in the VAE case and the notation's elsewhere. */
function vaeOr(kind: "p" | "p_theta" | "q_phi", latex: string): BoundSymbol<Ch3Context> {
  const base = (notationBinding as Binding<Ch3Context>)[kind];
  return {
    latex,
    entry: {
      kind: "density",
      apply: (a, ctx, sub, p) => {
        if (ctx.vae) return vaeDensity(kind, a, ctx.vae);
        if (base.entry.kind !== "density") {
          throw new Error(
            `Cannot evaluate ${latex} outside the VAE example: ${
              base.entry.kind === "unbound" ? base.entry.reason : "not a density"
            }`,
          );
        }
        return base.entry.apply(a, ctx, sub, p);
      },
    },
  };
}

/** The VAE as a case: three data points x, the code z integrated over ±10 encoder deviations. */
function vaeCase(seed: number): TypesetCase {
  const ctx: Ch3Context = { schedule: linearSchedule(10), vae: VAE };
  return {
    name: "linear-Gaussian VAE",
    ctx,
    applies: (d) => d.label === "eq:vae-elbo",
    grid: (_v, scope) => {
      const q = vaeEncoder(VAE, scope.get("x")!.v);
      const sd = Math.sqrt(q.variance);
      return { lo: q.mean - 10 * sd, hi: q.mean + 10 * sd, n: 81 };
    },
    points: (d) => {
      const rng = createRng(seed + d.line);
      return [0, 1, 2].map(() => new Map([["x", exact(3 * (2 * rng.uniform() - 1), 0)]]));
    },
  };
}

const cases = scheduleCases(gaussianCase, 300);

/** Chapter 3's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: withChapterSymbols(notationBinding, {
    ELBO_theta: { latex: "\\mathrm{ELBO}_\\theta(x_0)", entry: elboEntry },
    thetaHat: { latex: "\\hat\\theta", entry: thetaHatEntry },
    "ELBO_phi,theta": {
      latex: "\\mathrm{ELBO}_{\\phi,\\theta}(x)",
      entry: {
        kind: "function",
        apply: ([x], ctx: Ch3Context) => {
          const v = vaeElbo(ctx.vae!, x.value.v);
          return { v, e: 1e-13 * (1 + Math.abs(v)) }; // a closed form of a few float64 operations
        },
      },
    },
    p: vaeOr("p", "p(z)"),
    p_theta: vaeOr("p_theta", "p_\\theta(x \\mid z)"),
    q_phi: vaeOr("q_phi", "q_\\phi(z \\mid x)"),
  } as Binding<Ch3Context>) as Binding,
  cases: [
    ...cases.map((c) => ({
      ...c,
      applies: (d: Display) =>
        !isPathDisplay(d) && !isToyDisplay(d) && d.label !== "eq:vae-elbo" &&
        (c.applies?.(d) ?? true),
    })),
    ...cases.map((c, i) => pathCase(c, 310 + i)),
    withFamily(toyCase(linearSchedule(10, 1e-3, 0.2), 320, isToyDisplay)),
    vaeCase(330),
  ],
};
