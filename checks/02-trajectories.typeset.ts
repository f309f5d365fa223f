/**
 * Chapter 2's printed equations, evaluated: the Gaussian chain on the chapter's 1-D mixture (three
 * schedules, whole forward paths from the engine's sampler so path densities can be read), and the
 * binary chain of [](#eq:binomial-kernel) on bits. Where a display writes the noises ε', ε'' of a
 * two-step route, the sample point holds the noises that take x_0 to x_{t-1} and x_{t-1} to x_t.
 *
 * @module
 */
import type { Arg, Binding, BoundSymbol } from "../lib/book/typeset/binding.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { exact, type Num } from "../lib/book/typeset/num.ts";
import { varKey } from "../lib/book/typeset/evaluate.ts";
import {
  type BookContext,
  notationBinding,
  withChapterSymbols,
} from "../lib/book/typeset/notation_binding.ts";
import {
  exactElboGaussian,
  exactGaussianReverse,
  exactLogLikelihoodGaussianChain,
  gaussianChainMarginals,
  type LinearGaussianReverse,
} from "../engine/elbo.ts";
import { createMixture } from "../engine/mixture.ts";
import { forwardConditionalEntropy } from "../engine/forward.ts";
import { gaussianEntropy, gaussianLogPdf } from "../engine/gaussian.ts";
import { sampleForwardPath } from "../engine/path.ts";
import { linearChainJoint } from "../engine/linear_chain_posterior.ts";
import { DATA } from "./01-reverse-step.typeset.ts";
import { ddpmSigma } from "../engine/samplers.ts";
import { createRng } from "../engine/rng.ts";
import { linearSchedule, type Schedule, sohlDicksteinSchedule } from "../engine/schedule.ts";
import {
  point,
  sampleSteps,
  scheduleCases,
  stepPoint,
  type TypesetCase,
  type TypesetSpec,
} from "./typeset_harness.ts";

const binaryDisplay = (d: Display) => d.latex.includes("\\mathcal{B}");

/** A Gaussian-chain case on the chapter's mixture (Chapter 3 reuses it). */
export function gaussianCase(s: Schedule, seed: number): TypesetCase {
  const ctx: BookContext = { schedule: s, data: DATA, sigma: (t) => ddpmSigma(s, t, "beta") };
  return {
    name: `${s.kind} schedule, T = ${s.T}`,
    ctx,
    applies: (d) => !binaryDisplay(d),
    grid: () => ({ lo: -10, hi: 10, n: 1601 }),
    points: (d: Display) => {
      const rng = createRng(seed + d.line);
      // q(x_{t-1} | x_t, x_0) and q(x_{t-1} | x_0) are point masses at t = 1
      const from = /x_\{t-1\} \\mid x_(t, x_)?0/.test(d.latex) ? 2 : 1;
      const out = [];
      for (const t of sampleSteps(s.T, rng, from)) {
        const p = stepPoint(s, t, rng);
        const x0 = p.get(varKey("x", 0))!.v, xPrev = p.get(varKey("x", t - 1))!.v;
        const xt = p.get(varKey("x", t))!.v;
        // the two noises of x_0 -> x_{t-1} -> x_t, and the kernel-invariance variables
        const abPrev = s.alphaBars[t - 1];
        p.set(
          "epsilon'",
          exact(t === 1 ? 0 : (xPrev - Math.sqrt(abPrev) * x0) / Math.sqrt(1 - abPrev)),
        );
        p.set("epsilon''", exact((xt - Math.sqrt(s.alphas[t]) * xPrev) / Math.sqrt(s.betas[t])));
        p.set("y", exact(2.5 * (2 * rng.uniform() - 1)));
        p.set("beta", exact(s.betas[t]));
        out.push(p);
      }
      return out;
    },
  };
}

function binaryCase(s: Schedule, seed: number): TypesetCase {
  return {
    name: `binary chain, ${s.kind} schedule, T = ${s.T}`,
    ctx: { schedule: s, binary: true },
    applies: binaryDisplay,
    grid: () => ({ lo: 0, hi: 1, n: 3 }),
    points: (d: Display) => {
      const rng = createRng(seed + d.line);
      const out = [];
      for (const t of sampleSteps(s.T, rng)) {
        for (const [a, b, c] of [[0, 0, 0], [1, 0, 1], [0, 1, 1], [1, 1, 0]]) {
          out.push(point({ t, [varKey("x", t)]: a, [varKey("x", t - 1)]: b, [varKey("x", 0)]: c }));
        }
      }
      return out;
    },
  };
}

/**
 * The exact toy of Chapter 2's path integral and Chapter 3's View 1: Gaussian data N(2, 0.5) and a
 * linear-Gaussian reverse chain that is deliberately wrong (the true reverse kernels of those data
 * with every variance 1.2 times too large, the last step's 3 times, after the prior N(0, 1) that
 * q(x_T) is not), so the
 * ELBO sits strictly below log p(x_0), the gap (a KL over paths) is visible, and p(x_0) is not the
 * data. Every model density, the marginal p(x_0) included, is a closed form
 * (`lib/book/typeset/linear_model_density.ts`); expectations over paths run by Monte Carlo.
 */
export const TOY_DATA = createMixture({ weights: [1], means: [2], variances: 0.5 });

/** Paths per toy expectation: 4 standard errors of a path KL (sd ≈ 1.1 nats) stay ≈ 0.07. */
const TOY_PATHS = 4096;

/**
 * The toy's imperfect reverse chain on schedule s (see {@link TOY_DATA}); with `paperLastStep`, its
 * last step is Sohl-Dickstein's, the forward kernel turned around under π: N(√α_1 x_1, β_1).
 */
export function toyReverse(s: Schedule, paperLastStep = false): LinearGaussianReverse {
  const exactReverse = exactGaussianReverse(s, { mean: 2, variance: 0.5 });
  const a = Float64Array.from(exactReverse.a), b = Float64Array.from(exactReverse.b);
  const variance = Float64Array.from(exactReverse.variance, (v) => 1.2 * v);
  if (paperLastStep) {
    a[1] = Math.sqrt(s.alphas[1]); // p(x_0 | x_1) = N(sqrt(alpha_1) x_1, beta_1)
    b[1] = 0;
    variance[1] = s.betas[1];
  } else variance[1] *= 2.5; // a last step 3 times too wide: its term of the bound is not ≈ 0
  return { a, b, variance };
}

/** The toy as a case: one whole forward path from the data per display. */
export function toyCase(
  s: Schedule,
  seed: number,
  applies: (d: Display) => boolean,
  paperLastStep = false,
): TypesetCase {
  const reverse = toyReverse(s, paperLastStep);
  const ctx: BookContext = {
    schedule: s,
    data: TOY_DATA,
    reverse,
    sigma: (t) => Math.sqrt(reverse.variance[t]),
    paths: TOY_PATHS,
  };
  return {
    name: `linear-Gaussian toy${paperLastStep ? " (π-reversed last step)" : ""}, ${s.kind} ` +
      `schedule, T = ${s.T}`,
    ctx,
    applies,
    // ±10 standard deviations of q(x_s | x_0) (of q(x_0) for s = 0), 41 points: Gaussians are
    // integrated by the trapezoid rule to far below the Monte Carlo bounds
    grid: (v, scope) => {
      const x0 = scope.get(varKey("x", 0));
      const t = v.index ?? 0;
      if (v.name === "x" && t > 0 && x0) {
        const aBar = s.alphaBars[t];
        const m = Math.sqrt(aBar) * x0.v, sd = Math.sqrt(1 - aBar);
        return { lo: m - 10 * sd, hi: m + 10 * sd, n: 41 };
      }
      const sd = Math.sqrt(0.5 * s.alphaBars[t] + 1 - s.alphaBars[t]);
      const m = 2 * Math.sqrt(s.alphaBars[t]);
      return { lo: m - 10 * sd, hi: m + 10 * sd, n: 41 };
    },
    points: (d: Display) => {
      const rng = createRng(seed + d.line);
      const x0 = 2 + Math.sqrt(0.5) * rng.normal();
      const path = sampleForwardPath(s, [x0], rng); // [T + 1][1]
      return [new Map(path.map((x, t) => [varKey("x", t), exact(x[0], 0)]))];
    },
  };
}

/** The displays over whole paths and the model marginal p(x_0): the toy evaluates them. */
const TOY_LABELS = [
  "eq:path-integral",
  "eq:sd-bound",
  "eq:bound-kl-form",
  "eq:entropy-terms",
  "eq:multiply-distributions",
  "eq:multiplied-chain",
  "eq:perturbed-step",
];
const isToyDisplay = (d: Display) =>
  TOY_LABELS.includes(d.label ?? "") || /^R = \\mathbb\{E\}_q/.test(d.latex);

/** The displays that assume Sohl-Dickstein's last step p(x_0 | x_1), or compare with them. */
const isPaperDisplay = (d: Display) =>
  ["eq:bound-kl-form", "eq:entropy-terms"].includes(d.label ?? "") || /^R = /.test(d.latex);

/** The multiplier r of the chapter's example: a Gaussian bump r(x) = exp(−(x − 1)² / (2 · 0.3)). */
export const BUMP = { center: 1, width: 0.3 };

/** ∫ N(x; m, v) r(x) dx for the bump r = exp(−(x − c)² / (2w)): √(2πw) N(c; m, v + w). */
function bumpIntegral(m: number, v: number): number {
  const { center: c, width: w } = BUMP;
  return Math.sqrt(2 * Math.PI * w) * Math.exp(gaussianLogPdf(c, m, v + w));
}

/** The chain's joint (engine `linearChainJoint`), once per reverse chain, schedule and bump. */
const joints = new WeakMap<object, Map<string, ReturnType<typeof linearChainJoint>>>();
function jointOf(s: Schedule, reverse: LinearGaussianReverse, bump?: typeof BUMP) {
  const key = `${s.kind} ${s.T} ${s.betas.join()} ${bump ? "bump" : ""}`;
  const own = joints.get(reverse) ?? new Map();
  joints.set(reverse, own);
  if (!own.has(key)) own.set(key, linearChainJoint(s, reverse, bump));
  return own.get(key)!;
}

/** h_s(x) = E_p[r(x_0) | x_s = x]: x_0 | x_s from the chain's joint (engine), then the bump. */
function hAt(x: number, ctx: BookContext, sub: number): Num {
  const { s, reverse } = toyOf(ctx, "h_t");
  const j = jointOf(s, reverse), n = s.T + 1;
  const c = j.cov[sub], vt = j.cov[sub * n + sub];
  const m = j.mean[0] + (c / vt) * (x - j.mean[sub]), v = j.cov[0] - (c * c) / vt;
  return engineValue(bumpIntegral(m, Math.max(0, v)));
}

/** The toy's data q(x_0) = N(2, 0.5) and the schedule, for the chapter's closed forms. */
function toyOf(ctx: BookContext, what: string) {
  if (!ctx.reverse) throw new Error(`Cannot evaluate ${what} outside the linear-Gaussian toy`);
  const { means, variances } = gaussianChainMarginals(ctx.schedule, ctx.reverse);
  return {
    s: ctx.schedule,
    reverse: ctx.reverse,
    data: { mean: 2, variance: 0.5 },
    means,
    variances,
  };
}

const constant = (
  latex: string,
  value: (ctx: BookContext) => number,
): BoundSymbol<BookContext> => ({
  latex,
  entry: { kind: "constant", value: (ctx) => engineValue(value(ctx)) },
});
/** An engine value of the unit scale: 64 ulps of (1 + |v|). */
const engineValue = (v: number): Num => ({ v, e: 64 * 2 ** -52 * (1 + Math.abs(v)) });

/** The step s that a random variable X_s names. */
const stepOf = (a: Arg) => a.value.v;

/**
 * Chapter 2's own symbols, bound on the toy: L and K by the engine's closed forms
 * (`exactLogLikelihoodGaussianChain`, `exactElboGaussian`), the entropies by the engine's
 * Gaussian entropies, R by its closed form (the display that defines it is evaluated against its
 * expectations), and the multiplier r with p̃, h_t and Z_r by the multiplied chain as one Gaussian (engine
 * `linearChainJoint`).
 */
const chapterSymbols: Binding<BookContext> = {
  L: constant("L", (ctx) => {
    const { s, data, reverse } = toyOf(ctx, "L");
    return exactLogLikelihoodGaussianChain(s, data, reverse);
  }),
  K: constant("K", (ctx) => {
    const { s, data, reverse } = toyOf(ctx, "K");
    return exactElboGaussian(s, data, reverse).elbo;
  }),
  X: { latex: "X_t", entry: { kind: "indexed", at: (i) => exact(i, 0) } },
  H_q: {
    latex: "H_q(X_t \\mid X_0)",
    entry: {
      kind: "density",
      apply: (a, ctx) => {
        if (a.given.length !== 1 || stepOf(a.given[0]) !== 0) {
          throw new Error("Cannot evaluate H_q(X_t | …) as it is bound given X_0 only");
        }
        return engineValue(forwardConditionalEntropy(ctx.schedule, stepOf(a.targets[0])));
      },
    },
  },
  H_p: {
    latex: "H_p(X_T)",
    entry: {
      kind: "density",
      apply: (a, ctx) => {
        if (a.given.length !== 0 || stepOf(a.targets[0]) !== ctx.schedule.T) {
          throw new Error("Cannot evaluate H_p(X_s) as only the prior's H_p(X_T) is bound");
        }
        return engineValue(gaussianEntropy(1));
      },
    },
  },
  R: constant("R", (ctx) => {
    const { s, data } = toyOf(ctx, "R");
    // (beta_1 + alphaBar_T) / 2 (d - E x_0^2) for pi = N(0, 1), d = 1
    return (s.betas[1] + s.alphaBars[s.T]) / 2 * (1 - (data.mean ** 2 + data.variance));
  }),
  r: {
    latex: "r_{t-1}(x)",
    entry: {
      kind: "function",
      // r (= h_0) is the bump; r_{t-1}, the multiplier of one reverse step, is the exact h_{t-1}
      apply: ([x], ctx, sub) =>
        typeof sub === "number" && sub > 0
          ? hAt(x.value.v, ctx, sub)
          : engineValue(Math.exp(-((x.value.v - BUMP.center) ** 2) / (2 * BUMP.width))),
    },
  },
  pTilde: {
    latex: "\\tilde p(x_0)",
    entry: {
      kind: "density",
      apply: (a, ctx) => {
        const { s, reverse } = toyOf(ctx, "\\tilde p");
        // the multiplied chain p(x_{0:T}) r(x_0) / Z_r as one Gaussian (engine)
        const j = jointOf(s, reverse, BUMP), n = s.T + 1;
        const x = a.targets[0].variable?.index, given = a.given[0]?.variable?.index;
        if (x === undefined || a.given.length > 1 || (given !== undefined && given !== x + 1)) {
          throw new Error(
            "Cannot evaluate \\tilde p(a | b) as it is bound for p̃(x_s), p̃(x_{t-1} | x_t)",
          );
        }
        let m = j.mean[x], v = j.cov[x * n + x];
        if (given !== undefined) {
          const c = j.cov[x * n + given], vt = j.cov[given * n + given];
          m += (c / vt) * (a.given[0].value.v - j.mean[given]);
          v -= (c * c) / vt;
        }
        return exact(Math.exp(gaussianLogPdf(a.targets[0].value.v, m, v)), 1e-12);
      },
    },
  },
  h: {
    latex: "h_t(x_t)",
    entry: {
      kind: "function",
      apply: ([x], ctx, sub) => {
        if (typeof sub !== "number") {
          throw new Error("Cannot evaluate h_t as its subscript is not a step");
        }
        return hAt(x.value.v, ctx, sub);
      },
    },
  },
  Z: constant("Z_r", (ctx) => {
    const { means, variances } = toyOf(ctx, "Z_r");
    return bumpIntegral(means[0], variances[0]);
  }),
};

/** The toy at steps t = 1, 2 and T of one path: the multiplied chain's step is read at each. */
function chainCase(sch: Schedule, seed: number): TypesetCase {
  const base = toyCase(sch, seed, (d) => d.label === "eq:multiplied-chain");
  return {
    ...base,
    points: (d) => {
      const [p] = base.points(d);
      return [1, 2, sch.T].map((t) => new Map([...p, ["t", exact(t, 0)]]));
    },
  };
}

/**
 * eq:perturbed-step on the toy at step t: r_{t-1} is the multiplied chain's h_{t-1}, so the left
 * side p̃(x_{t-1} | x_t) is the exact multiplied step, and the point gives μ = f_μ(x_t, t) and
 * Σ = f_Σ(x_t, t) (both stated in the display). Refining multiplies the variance of step t alone:
 * h_{t-1} depends only on the steps below t, so r_{t-1} stays the same function while Σ shrinks.
 */
function perturbedCase(sch: Schedule, t: number, seed: number, factor = 1): TypesetCase {
  const base = toyCase(sch, seed, (d) => d.label === "eq:perturbed-step");
  const toy = toyReverse(sch), variance = Float64Array.from(toy.variance);
  variance[t] *= factor;
  const reverse = { ...toy, variance };
  return {
    ...base,
    name: `linear-Gaussian toy at t = ${t}, step variance × ${factor}, ${sch.kind} schedule, ` +
      `T = ${sch.T}`,
    ctx: { ...base.ctx, reverse, sigma: (u: number) => Math.sqrt(reverse.variance[u]) },
    points: (d) =>
      base.points(d).map((p) => {
        const xt = p.get(varKey("x", t))!.v;
        return new Map([
          ...p,
          ["t", exact(t, 0)],
          ["mu", exact(reverse.a[t] * xt + reverse.b[t])],
          ["Sigma", exact(reverse.variance[t])],
        ]);
      }),
    refine: (f) => perturbedCase(sch, t, seed, factor * f),
  };
}

/** eq:sd-bound on a second toy chain, with 2048 paths (twice the steps of the first). */
function sdBoundCase(sch: Schedule, seed: number): TypesetCase {
  const c = toyCase(sch, seed, (d) => d.label === "eq:sd-bound");
  return { ...c, ctx: { ...c.ctx, paths: TOY_PATHS / 2 } };
}

/** Chapter 2's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: withChapterSymbols(notationBinding, chapterSymbols) as Binding,
  cases: [
    ...scheduleCases(gaussianCase, 200).map((c) => ({
      ...c,
      applies: (d: Display) => !isToyDisplay(d) && c.applies!(d),
    })),
    binaryCase(sohlDicksteinSchedule(40), 204),
    // the entropy form needs Sohl-Dickstein's last step; the other toy displays hold for any chain
    toyCase(
      linearSchedule(10, 1e-3, 0.2),
      205,
      (d) =>
        isToyDisplay(d) && !isPaperDisplay(d) &&
        !["eq:multiplied-chain", "eq:perturbed-step"].includes(d.label ?? ""),
    ),
    chainCase(linearSchedule(10, 1e-3, 0.2), 207),
    ...[1, 2, 10].map((t) => perturbedCase(linearSchedule(10, 1e-3, 0.2), t, 208)),
    // K is one number per chain, so its second sample point is a second chain: over 20 steps the
    // bound's log-ratio terms add up (a flipped ratio moves K by 0.25, 2048 paths bound it by 0.13)
    sdBoundCase(linearSchedule(20, 1e-3, 0.1), 209),
    toyCase(linearSchedule(10, 1e-3, 0.2), 206, isPaperDisplay, true),
  ],
};
