/**
 * Chapter 4's printed equations, evaluated on four examples, each a case of the spec:
 *
 * - Chapter 1's example mixture (t = 2, 3, a random step and T; σ_q²(1) = 0 has no density; two
 *   draws each, on one forward path from the engine's sampler): the forward marginal, the
 *   ground-truth denoising step μ_q, σ_q², the three parameterisations and Tweedie's formula, whose
 *   expectations E[x_0 | x_t] and E[ε | x_t] and the marginal score the engine computes exactly for
 *   mixture data. The generic Gaussians of [](#eq:kl-equal-cov) are the chapter's own instance:
 *   μ_q = μ_q(x_t, x_0), μ_θ = μ_θ(x_t, t), σ² = σ_q²(t), x a point x_{t-1}.
 * - The engine's linear-Gaussian VAE and its three-level hierarchical version (`engine/vae.ts`):
 *   the VAE displays, at data points x with codes z drawn by the engine's reparameterisation or up
 *   its encoder chain.
 * - A Gaussian observation z = μ + noise of a mixture prior (Tweedie's formula): E[μ | z] is the
 *   mean of the engine's posterior mixture (`multiplyByGaussian`), p(z) the prior's mixture with
 *   the noise variance added.
 * - A short chain (T = 6) with a linear-Gaussian reverse model, whose ELBO and denoising terms the
 *   engine gives in closed form (`exactElboGaussian`): the ELBO with consistency terms and the
 *   definition of L_{t-1}.
 *
 * @module
 */
import type { Binding, BoundSymbol, DensityArgs } from "../lib/book/typeset/binding.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { exact, type Num } from "../lib/book/typeset/num.ts";
import { varKey } from "../lib/book/typeset/evaluate.ts";
import {
  type BookContext,
  notationBinding,
  withChapterSymbols,
} from "../lib/book/typeset/notation_binding.ts";
import {
  createMixture,
  marginalScore,
  type Mixture,
  mixtureLogPdf,
  mixtureMean,
  multiplyByGaussian,
  optimalEps,
  tweedieMean,
} from "../engine/mixture.ts";
import { ddpmSigma, ddpmStepMean } from "../engine/samplers.ts";
import { posteriorMean, posteriorVariance } from "../engine/posterior.ts";
import { epsFromX0, x0FromEps } from "../engine/parameterisation.ts";
import { exactElboGaussian, type LinearGaussianReverse } from "../engine/elbo.ts";
import { gaussianLogPdf } from "../engine/gaussian.ts";
import {
  EXAMPLE_HVAE as HVAE,
  EXAMPLE_VAE as VAE,
  hvaeDecoderStepLogPdf,
  hvaeEncode,
  hvaeEncoderLogPdf,
  hvaeEncoderStepLogPdf,
  hvaeJointLogPdf,
  type LinearGaussianHvae,
  type LinearGaussianVae,
  vaeDecoderLogPdf,
  vaeEncoder,
  vaeEncoderLogPdf,
  vaePriorLogPdf,
  vaeReparameterise,
} from "../engine/vae.ts";
import { createRng } from "../engine/rng.ts";
import { linearSchedule, type Schedule } from "../engine/schedule.ts";
import { DATA, reverseMoments } from "./01-reverse-step.typeset.ts";
import {
  point,
  sampleSteps,
  scheduleCases,
  stepPoint,
  type TypesetCase,
  type TypesetSpec,
} from "./typeset_harness.ts";

const REL = 64 * 2 ** -52;
/** An engine value of the unit scale the examples live on: 64 ulps of (1 + |v|), absolute. */
const engineValue = (v: number, scale = 1 + Math.abs(v)): Num => ({ v, e: REL * scale });
/** A density from its engine log-density (good to 1e-12 relative, as in the notation binding). */
const densityValue = (logp: number): Num => exact(Math.exp(logp), 1e-12);

/** Tweedie's example: μ from a two-component mixture, observed with Gaussian noise. */
const TWEEDIE_PRIOR = createMixture({ weights: [0.6, 0.4], means: [-1, 2], variances: [0.2, 0.5] });

/** The short chain of the consistency-term ELBO: T = 6, and a linear-Gaussian reverse model. */
const SHORT = linearSchedule(6, 0.05, 0.4);
const REVERSE: LinearGaussianReverse = {
  a: [0, 0.9, 1.1, 0.7, 1.2, 0.8, 0.5],
  b: [0, 0.1, -0.2, 0.3, 0, -0.1, 0.2],
  variance: [0, 0.08, 0.3, 0.5, 0.2, 0.9, 0.6],
};

interface Ch4Context extends BookContext {
  /** The VAE examples. */
  vae?: { single: LinearGaussianVae; hier: LinearGaussianHvae };
  /** Tweedie's example: the prior of μ and the noise variance Σ_z. */
  tweedie?: { prior: Mixture; noiseVariance: number };
  /** A linear-Gaussian reverse model p_θ(x_{t-1} | x_t) = N(a_t x_t + b_t, v_t). */
  reverse?: LinearGaussianReverse;
}

function needReverse(ctx: Ch4Context, what: string): LinearGaussianReverse {
  if (!ctx.reverse) {
    throw new Error(`Cannot evaluate ${what} as this case has no linear-Gaussian reverse model`);
  }
  return ctx.reverse;
}

/** A code or data variable of the VAE: z (level undefined), z_l, or x = z_0. */
function level(a: { variable?: { name: string; index?: number } }): number | undefined {
  const v = a.variable;
  if (v?.name === "x" && v.index === undefined) return 0;
  if (v?.name === "z") return v.index ?? -1; // -1: the one-level VAE's z
  return undefined;
}

/** The values x, z_1, …, z_L of the point. */
function codes(p: ReadonlyMap<string, Num>, levels: number): number[] {
  return Array.from({ length: levels + 1 }, (_, l) => p.get(l === 0 ? "x" : varKey("z", l))!.v);
}

/** q_φ(…) of the VAE examples: q_φ(z | x), q_φ(z_1 | x), q_φ(z_t | z_{t-1}), q_φ(z_{1:T} | x). */
function encoderDensity(a: DensityArgs, ctx: Ch4Context, p: ReadonlyMap<string, Num>): Num {
  const vae = ctx.vae;
  if (!vae) throw new Error("Cannot evaluate q_phi as this case has no VAE");
  const [target] = a.targets, given = a.given[0];
  if (target.variable?.path) {
    return densityValue(hvaeEncoderLogPdf(vae.hier, codes(p, vae.hier.levels)));
  }
  const [l, g] = [level(target), given && level(given)];
  if (l === -1 && g === 0) {
    return densityValue(vaeEncoderLogPdf(vae.single, target.value.v, given.value.v));
  }
  if (l !== undefined && l >= 1 && g === l - 1) {
    return densityValue(hvaeEncoderStepLogPdf(vae.hier, l, target.value.v, given.value.v));
  }
  throw new Error("Cannot bind q_phi(a | b) as a is not the code one level above b");
}

/** p_θ(…) of the VAE examples: p_θ(x | z), p_θ(x | z_1), p_θ(z_{t-1} | z_t). */
function decoderDensity(a: DensityArgs, ctx: Ch4Context): Num | undefined {
  if (!ctx.vae) return undefined;
  const [target] = a.targets, given = a.given[0];
  const [l, g] = [level(target), given && level(given)];
  if (l === 0 && g === -1) {
    return densityValue(vaeDecoderLogPdf(ctx.vae.single, target.value.v, given.value.v));
  }
  if (l !== undefined && l >= 0 && g === l + 1) {
    return densityValue(hvaeDecoderStepLogPdf(ctx.vae.hier, g, target.value.v, given.value.v));
  }
  throw new Error("Cannot bind p_theta(a | b) as a is not the code one level below b");
}

/** p_θ(x_{t-1} | x_t) = N(a_t x_t + b_t, v_t) of the linear reverse model. */
function linearReverseDensity(a: DensityArgs, ctx: Ch4Context): Num | undefined {
  const r = ctx.reverse;
  const [target, given] = [a.targets[0].variable, a.given[0]?.variable];
  if (
    !r || target?.name !== "x" || given?.index === undefined || target.index !== given.index - 1
  ) {
    return undefined;
  }
  const t = given.index;
  return densityValue(
    gaussianLogPdf(a.targets[0].value.v, r.a[t] * a.given[0].value.v + r.b[t], r.variance[t]),
  );
}

/** p(…) of the VAE and Tweedie examples: the prior p(z), p(z_T), the joint p(x, z_{1:T}), p(z). */
function priorDensity(
  a: DensityArgs,
  ctx: Ch4Context,
  p: ReadonlyMap<string, Num>,
): Num | undefined {
  const [target] = a.targets;
  if (ctx.tweedie && target.variable?.name === "z") {
    // p(z): the prior's mixture with the noise variance added to every component
    const { prior, noiseVariance } = ctx.tweedie;
    const pz = createMixture({
      weights: prior.weights,
      means: prior.means.map((m) => m[0]),
      variances: prior.variances.map((v) => v + noiseVariance),
    });
    return densityValue(mixtureLogPdf(pz, [target.value.v]));
  }
  if (!ctx.vae) return undefined;
  if (a.params[0]?.variable?.path) {
    return densityValue(hvaeJointLogPdf(ctx.vae.hier, codes(p, ctx.vae.hier.levels)));
  }
  const l = level(target);
  if (a.given.length === 0 && (l === -1 || l === ctx.vae.hier.levels)) {
    return densityValue(vaePriorLogPdf(target.value.v));
  }
  throw new Error("Cannot bind p(a) in the VAE example as a is not the top code");
}

const note = notationBinding as Binding<Ch4Context>;
const chapterDensity = (
  latex: string,
  own: (a: DensityArgs, ctx: Ch4Context, p: ReadonlyMap<string, Num>) => Num | undefined,
  fallback: BoundSymbol<Ch4Context>,
): BoundSymbol<Ch4Context> => ({
  latex,
  entry: {
    kind: "density",
    apply: (a, ctx, sub, p) => {
      const v = own(a, ctx, p);
      if (v) return v;
      if (fallback.entry.kind !== "density") throw new Error(`Cannot bind ${latex}`);
      return fallback.entry.apply(a, ctx, sub, p);
    },
  },
});
const scalar = (
  latex: string,
  value: (ctx: Ch4Context, p: ReadonlyMap<string, Num>) => number,
) => ({
  latex,
  entry: {
    kind: "constant" as const,
    value: (ctx: Ch4Context, _sub: unknown, p: ReadonlyMap<string, Num>) =>
      engineValue(value(ctx, p)),
  },
});
const stepValues = (p: ReadonlyMap<string, Num>) => {
  const t = p.get("t")!.v;
  return { t, xt: p.get(varKey("x", t))!.v, x0: p.get(varKey("x", 0))!.v };
};
const optimal = (ctx: Ch4Context, t: number, xt: number) =>
  optimalEps(ctx.data!, ctx.schedule, t, [xt])[0];

/**
 * The symbols the chapter's examples give meaning: the conditional means it prints,
 * E[x_0 | x_t], E[ε | x_t] and E[x_{t-1} | x_t] (for mixture data the engine computes each
 * exactly: `tweedieMean`, the mean of q(x_0 | x_t); `optimalEps`; the mean of `reverseKernel`)
 * and Tweedie's E[μ | z]; the VAE's densities; the generic Gaussians' means; the starred optimal
 * predictors; the ELBO and L_{t-1} of the linear reverse model.
 */
const chapterSymbols: Binding<Ch4Context> = {
  bbE_given: {
    latex: "\\mathbb{E}[x_0 \\mid x_t]",
    entry: {
      kind: "function",
      apply: ([a, b], ctx, sub, p) => {
        if (b.variable?.name === "z" && a.variable?.name === "mu" && ctx.tweedie) {
          // E[mu | z]: the mean of the posterior p(mu) N(z; mu, Sigma_z), a mixture (engine)
          const { prior, noiseVariance } = ctx.tweedie;
          return engineValue(mixtureMean(multiplyByGaussian(prior, [b.value.v], noiseVariance))[0]);
        }
        // E[x_0 | x_t], E[x_{t-1} | x_t], E[epsilon | x_t]: Chapter 1's, by the engine
        const chapter1 = reverseMoments.bbE_given.entry;
        if (chapter1.kind !== "function") throw new Error("Cannot read Chapter 1's E[a | b]");
        return chapter1.apply([a, b], ctx, sub, p);
      },
    },
  },
  T: {
    latex: "T",
    entry: {
      kind: "constant",
      value: (ctx) => exact(ctx.vae ? ctx.vae.hier.levels : ctx.schedule.T, 0),
    },
  },
  q_phi: {
    latex: "q_\\phi(z \\mid x)",
    entry: { kind: "density", apply: (a, ctx, _sub, p) => encoderDensity(a, ctx, p) },
  },
  p: chapterDensity("p(z)", (a, ctx, p) => priorDensity(a, ctx, p), note.p),
  p_theta: chapterDensity(
    "p_\\theta(x \\mid z)",
    (a, ctx) => decoderDensity(a, ctx) ?? linearReverseDensity(a, ctx),
    note.p_theta,
  ),
  mu_phi: {
    latex: "\\mu_\\phi(x)",
    entry: {
      kind: "function",
      apply: ([x], ctx) => engineValue(vaeEncoder(ctx.vae!.single, x.value.v).mean),
    },
  },
  sigma_phi: {
    latex: "\\sigma_\\phi(x)",
    entry: {
      kind: "function",
      apply: ([x], ctx) => engineValue(Math.sqrt(vaeEncoder(ctx.vae!.single, x.value.v).variance)),
    },
  },
  // Tweedie's mu is the quantity observed, a value of the sample point; mu_q(x_t, x_0) keeps its
  // meaning when applied
  mu: { ...note.mu, alt: { kind: "variable" } },
  mu_q: {
    ...note.mu,
    // mu_q written without arguments (the generic Gaussians): the chapter's mu_q(x_t, x_0)
    alt: scalar("\\mu_q", (ctx, p) => {
      const { t, xt, x0 } = stepValues(p);
      return posteriorMean(ctx.schedule, xt, x0, t);
    }).entry,
  },
  mu_theta: {
    ...note.mu_theta,
    alt: scalar("\\mu_\\theta", (ctx, p) => {
      const { t, xt } = stepValues(p);
      return ddpmStepMean(ctx.schedule, [xt], [optimal(ctx, t, xt)], t)[0];
    }).entry,
  },
  Sigma_z: scalar("\\Sigma_z", (ctx) => ctx.tweedie!.noiseVariance),
  // the optimal predictors, each by a route other than the one printed beside it
  xHatStar: {
    latex: "\\hat x_0^{*}(x_t)",
    entry: {
      kind: "function",
      apply: ([xt], ctx, _sub, p) => {
        // the engine's x0FromEps of the optimal noise prediction; rounding grows as 1/sqrt(alphaBar)
        const t = p.get("t")!.v, eps = optimal(ctx, t, xt.value.v);
        const v = x0FromEps(ctx.schedule, xt.value.v, eps, t);
        return engineValue(
          v,
          (Math.abs(xt.value.v) + Math.abs(eps)) / Math.sqrt(ctx.schedule.alphaBars[t]) +
            Math.abs(v),
        );
      },
    },
  },
  epsilonHatStar: {
    latex: "\\hat\\epsilon^{*}(x_t)",
    entry: {
      kind: "function",
      apply: ([xt], ctx, _sub, p) => {
        // the noise of Tweedie's denoiser, by the engine's epsFromX0
        const t = p.get("t")!.v, x0 = tweedieMean(ctx.data!, ctx.schedule, t, [xt.value.v])[0];
        const v = epsFromX0(ctx.schedule, xt.value.v, x0, t);
        return engineValue(
          v,
          (Math.abs(xt.value.v) + Math.abs(x0)) / Math.sqrt(1 - ctx.schedule.alphaBars[t]) +
            Math.abs(v),
        );
      },
    },
  },
  sStar: {
    latex: "s^{*}(x_t)",
    entry: {
      kind: "function",
      apply: ([xt], ctx, _sub, p) =>
        engineValue(marginalScore(ctx.data!, ctx.schedule, p.get("t")!.v, [xt.value.v])[0]),
    },
  },
  ELBO_theta: {
    latex: "\\mathrm{ELBO}_\\theta(x_0)",
    entry: {
      kind: "function",
      apply: ([x0], ctx) =>
        engineValue(
          exactElboGaussian(
            ctx.schedule,
            { mean: x0.value.v, variance: 0 },
            needReverse(ctx, "ELBO_theta"),
          ).elbo,
        ),
    },
  },
  L: {
    latex: "L_{t-1}",
    entry: {
      kind: "indexed",
      // L_{t-1} is the engine's denoising term of step t, for the point's x_0
      at: (i, ctx, _sub, p) =>
        engineValue(
          exactElboGaussian(
            ctx.schedule,
            { mean: p.get(varKey("x", 0))!.v, variance: 0 },
            needReverse(ctx, "L_{t-1}"),
          ).denoising[i + 1],
        ),
    },
  },
};

const binding = withChapterSymbols(note, chapterSymbols);

const isVae = (d: Display) => /\\phi/.test(d.latex);
const isTweedie = (d: Display) => d.label === "eq:tweedie";
const isLinearReverse = (d: Display) => d.label === "eq:vdm-elbo" || /^L_\{?t/.test(d.latex.trim());
/** The displays in generic Gaussians N(·; μ_q, σ² I), N(·; μ_θ, σ² I). */
const isGeneric = (d: Display) => /\\sigma\^2 I/.test(d.latex);

function makeCase(s: Schedule, seed: number): TypesetCase {
  const ctx: Ch4Context = { schedule: s, data: DATA, sigma: (t) => ddpmSigma(s, t, "beta") };
  return {
    name: `${s.kind} schedule, T = ${s.T}, Chapter 1's mixture`,
    ctx,
    applies: (d) => !isVae(d) && !isTweedie(d) && !isLinearReverse(d),
    grid: () => ({ lo: -10, hi: 10, n: 1601 }),
    points: (d: Display) => {
      // eq:loss-weights matches the model step to q(x_{t-1} | x_t, x_0) with the same variance
      ctx.sigma = d.label === "eq:loss-weights"
        ? (t) => Math.sqrt(posteriorVariance(s, t))
        : (t) => ddpmSigma(s, t, "beta");
      const rng = createRng(seed + d.line);
      const out = [];
      for (const t of sampleSteps(s.T, rng, 2)) {
        for (let i = 0; i < 2; i++) {
          const p = stepPoint(s, t, rng);
          if (isGeneric(d)) {
            // the generic Gaussians are the chapter's denoising step: x is a point x_{t-1}, σ = σ_q(t)
            p.set("x", p.get(varKey("x", t - 1))!);
            p.set("sigma", engineValue(Math.sqrt(posteriorVariance(s, t))));
          }
          out.push(p);
        }
      }
      return out;
    },
  };
}

/** The VAE examples: data points x, codes z = μ_φ(x) + σ_φ(x) ε and z_{1:3} up the encoder chain. */
const vaeCase: TypesetCase = {
  name: "linear-Gaussian VAE (engine/vae.ts)",
  ctx: { schedule: SHORT, vae: { single: VAE, hier: HVAE } } as Ch4Context,
  applies: isVae,
  // the encoder's sd is 0.6: 401 points (h = 0.05) put the trapezoid's error far below rounding
  grid: () => ({ lo: -10, hi: 10, n: 401 }),
  points: (d) => {
    const rng = createRng(404 + d.line);
    return [-1.3, 0.2, 0.9, 2.5].map((x) => {
      const eps = rng.normal();
      const p = point({ x, epsilon: eps, z: vaeReparameterise(VAE, x, eps) });
      hvaeEncode(HVAE, x, rng).forEach((z, l) => l > 0 && p.set(varKey("z", l), exact(z)));
      return p;
    });
  },
};

/** Tweedie's example: μ drawn from the prior, z = μ + noise, Σ_z ∈ {0.05, 0.5, 3}. */
const tweedieCases: TypesetCase[] = [0.05, 0.5, 3].map((noiseVariance) => ({
  name: `Gaussian observation of a mixture, Sigma_z = ${noiseVariance}`,
  ctx: { schedule: SHORT, tweedie: { prior: TWEEDIE_PRIOR, noiseVariance } } as Ch4Context,
  applies: isTweedie,
  grid: () => ({ lo: -10, hi: 10, n: 1601 }),
  points: (d) => {
    const rng = createRng(405 + d.line);
    return [0, 1, 2, 3].map(() => {
      const mu = rng.int(2) === 0
        ? -1 + Math.sqrt(0.2) * rng.normal()
        : 2 + Math.sqrt(0.5) * rng.normal();
      return point({ mu, z: mu + Math.sqrt(noiseVariance) * rng.normal() });
    });
  },
}));

/** The short chain with the linear reverse model: x_0 at a few points, t = 2, 3, a step and T. */
const reverseCase: TypesetCase = {
  name: "T = 6, linear-Gaussian reverse model, one data point x_0",
  ctx: { schedule: SHORT, reverse: REVERSE, paths: 4096 } as Ch4Context,
  applies: isLinearReverse,
  // the narrowest density, q(x_1 | x_0), has sd 0.22: 401 points (h = 0.05) resolve it to 1e-100
  grid: () => ({ lo: -10, hi: 10, n: 401 }),
  points: (d) => {
    const rng = createRng(406 + d.line);
    const steps = d.label === "eq:vdm-elbo" ? [SHORT.T] : sampleSteps(SHORT.T, rng, 2);
    return steps.flatMap((t) => [stepPoint(SHORT, t, rng), stepPoint(SHORT, t, rng)]);
  },
};

/** Chapter 4's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: binding as Binding,
  cases: [
    ...scheduleCases(makeCase, 400),
    vaeCase,
    ...tweedieCases,
    reverseCase,
  ],
};
