/**
 * The notation binding: what each symbol of the notation chapter (slug "notation") means
 * numerically, defined once. Every symbol the notation chapter lists has an entry here, and every
 * entry names a symbol the chapter lists (`notation_binding_test.ts` fails on drift either way).
 * Symbols that are not numbers (θ, a whole path x_{0:T}) are bound as `unbound` with the reason.
 *
 * Densities are read by the pattern of their subscripts (`q` below): q(x_a | x_{a-1}) is the
 * forward kernel, q(x_a | x_0) the one-jump marginal, q(x_a) the noisy data marginal,
 * q(x_{a-1} | x_a) the exact reverse kernel of the example data, q(x_{a-1} | x_a, x_0) the
 * Gaussian posterior, q(x_0 | x_a) the posterior over clean points — all computed by `engine/`
 * for the chapter's example data (`BookContext.data`, a 1-D mixture).
 *
 * @module
 */
import {
  type Arg,
  type Binding,
  type BoundSymbol,
  type DensityArgs,
  type DensityDraw,
  type Entry,
  LAW_VARIABLE,
  type Point,
  type Sub,
  type VariableDraw,
} from "./binding.ts";
import { exact, type Num } from "./num.ts";
import { standardNormal } from "./joint_expectation.ts";
import { type Schedule, snr } from "../../../engine/schedule.ts";
import { gaussianLogPdf } from "../../../engine/gaussian.ts";
import {
  forwardKernelLogPdf,
  forwardMarginalLogPdf,
  forwardSample,
  forwardStep,
} from "../../../engine/forward.ts";
import { posteriorLogPdf, posteriorMean, posteriorVariance } from "../../../engine/posterior.ts";
import {
  classMixture,
  marginalAt,
  type Mixture,
  mixtureLogPdf,
  mixtureResponsibilities,
  mixtureSample,
  optimalEps,
  reverseKernel,
  x0Posterior,
} from "../../../engine/mixture.ts";
import { ddpmStepMean } from "../../../engine/samplers.ts";
import { logPPath, logQPath } from "../../../engine/path.ts";
import { binomialKernel, binomialMarginal } from "../../../engine/binomial.ts";
import { scoreFromEps, x0FromEps } from "../../../engine/parameterisation.ts";
import type { LinearGaussianReverse } from "../../../engine/elbo.ts";
import { linearModelDensity } from "./linear_model_density.ts";

/** What the notation binding evaluates against: the chapter's example. */
export interface BookContext {
  schedule: Schedule;
  /** The example data q(x_0), one-dimensional. */
  data?: Mixture;
  /** The model's noise prediction ε_θ(x_t, t); by default the data's optimal one (engine). */
  epsTheta?: (xt: number, t: number) => number;
  /** The reverse step's standard deviation σ_t. */
  sigma?: (t: number) => number;
  /** DDIM's η. */
  eta?: number;
  /** The binary chain of Chapter 2: x_t are bits and q is the binomial kernel. */
  binary?: boolean;
  /**
   * An exact toy model, a linear-Gaussian reverse chain (Chapters 2 and 3): when set, p and p_θ
   * are its densities (`linear_model_density.ts`), and the model marginal p_θ(x_0) is bound.
   */
  reverse?: LinearGaussianReverse;
  [more: string]: unknown;
}

/**
 * Error of an engine value computed by a short chain of float64 operations: 64 ulps of the unit
 * scale the book's examples live on (|x| ≲ 10), so cancellation inside the engine is covered.
 */
const ENGINE_ULPS = 64 * 2 ** -52;
const engineValue = (v: number): Num => ({ v, e: ENGINE_ULPS * (Math.abs(v) + 1) });
/**
 * Error of a density computed as exp(log-density): the log's terms (a quadratic over a small
 * variance, a log normaliser) cancel to a few units, each carrying float64 rounding, so the
 * density is good to 1e-12 relative (≈ 4500 ulps).
 */
const densityValue = (logp: number): Num => exact(Math.exp(logp), 1e-12);

function stepIndex(sub: Sub, what: string): number {
  if (typeof sub !== "number") {
    throw new Error(`Cannot read ${what} as its subscript is not a step: current value is ${sub}`);
  }
  return sub;
}

function needData(ctx: BookContext, what: string): Mixture {
  if (!ctx.data) {
    throw new Error(`Cannot evaluate ${what} as this chapter's context has no example data`);
  }
  return ctx.data;
}

function varAt(a: Arg, what: string): { index: number; value: number } {
  if (!a.variable || a.variable.name !== "x" || a.variable.index === undefined) {
    throw new Error(`Cannot read ${what} as its argument is not a step variable x_s`);
  }
  return { index: a.variable.index, value: a.value.v };
}

const mixturePdf = (m: Mixture, x: number) => densityValue(mixtureLogPdf(m, [x]));

/** epsTheta of the context (or the data's optimal noise prediction, from the engine). */
export function epsThetaOf(ctx: BookContext, xt: number, t: number, y?: number): number {
  if (ctx.epsTheta && y === undefined) return ctx.epsTheta(xt, t);
  const data = needData(ctx, "\\epsilon_\\theta");
  return optimalEps(y === undefined ? data : classMixture(data, y), ctx.schedule, t, [xt])[0];
}

/** Whether an argument is a class label y (or y'). */
const isLabel = (a: Arg) => a.variable?.name === "y" || a.variable?.name === "y'";

/** Class prior q(y) of a labelled mixture. */
function classPrior(m: Mixture, y: number): number {
  let p = 0;
  m.weights.forEach((w, k) => (p += m.labels![k] === y ? w : 0));
  return p;
}

/** q(y | x_s): the labelled data's class posterior at step s (s = 0: the clean classifier). */
function classPosterior(m: Mixture, s: Schedule, step: number, x: number, y: number): number {
  const r = mixtureResponsibilities(step === 0 ? m : marginalAt(m, s, step), [x]);
  let p = 0;
  r.forEach((rk, k) => (p += m.labels![k] === y ? rk : 0));
  return p;
}

/** Densities that involve a class label y: q(y), q(y | x_s), q(x_s | y). */
function labelledDensity(args: DensityArgs, ctx: BookContext): Num {
  const m = needData(ctx, "a class-conditional density");
  const [target] = args.targets;
  if (isLabel(target)) {
    const y = target.value.v;
    if (args.given.length === 0) return engineValue(classPrior(m, y));
    const x = varAt(args.given[0], "q(y | x_s)");
    return engineValue(classPosterior(m, ctx.schedule, x.index, x.value, y));
  }
  const x = varAt(target, "q(x_s | y)");
  const cm = classMixture(m, args.given[0].value.v);
  return mixturePdf(x.index === 0 ? cm : marginalAt(cm, ctx.schedule, x.index), x.value);
}

/** The values x_a, …, x_b of a path written x_{a:b}, read from the sample point. */
function pathValues(a: Arg, point: Point): number[] {
  const r = a.variable!.path!;
  const xs: number[] = [];
  for (let s = r.from; s <= r.to; s++) {
    const v = point.get(`x@${s}`);
    if (!v) {
      throw new Error(
        `Cannot evaluate a density of x_{${r.from}:${r.to}} as x_${s} has no value here`,
      );
    }
    xs.push(v.v);
  }
  return xs;
}

const isPath = (a: Arg) => a.variable?.path !== undefined;

/** q(x_{0:T}) and q(x_{1:T} | x_0): the forward path density (engine `logQPath`). */
function forwardPathDensity(args: DensityArgs, ctx: BookContext, point: Point): Num {
  const r = args.targets[0].variable!.path!;
  const s = ctx.schedule;
  if (r.to !== s.T || (r.from !== 0 && r.from !== 1)) {
    throw new Error(`Cannot bind q(x_{${r.from}:${r.to}}) as only whole paths to T are bound`);
  }
  const path = r.from === 0
    ? pathValues(args.targets[0], point)
    : [point.get("x@0")!.v, ...pathValues(args.targets[0], point)];
  const logq = logQPath(s, path.map((x) => [x]));
  if (r.from === 1) return densityValue(logq);
  return densityValue(logq + mixtureLogPdf(needData(ctx, "q(x_{0:T})"), [path[0]]));
}

/** p(x_{0:T}): the model's path density (engine `logPPath`). */
function modelPathDensity(args: DensityArgs, ctx: BookContext, point: Point): Num {
  const r = args.targets[0].variable!.path!;
  const label = args.given.length === 1 && isLabel(args.given[0])
    ? args.given[0].value.v
    : undefined;
  const extra = args.given.length - (label === undefined ? 0 : 1);
  if (r.from !== 0 || r.to !== ctx.schedule.T || extra > 0 || !ctx.sigma) {
    throw new Error(`Cannot bind p(x_{${r.from}:${r.to}} ...) in this chapter's context`);
  }
  const s = ctx.schedule;
  const variance = Float64Array.from(
    { length: s.T + 1 },
    (_, t) => (t === 0 ? 1 : ctx.sigma!(t) ** 2),
  );
  const mean = (xt: Float64Array, t: number) =>
    ddpmStepMean(s, xt, [epsThetaOf(ctx, xt[0], t, label)], t);
  const path = pathValues(args.targets[0], point).map((x) => [x]);
  return densityValue(logPPath(s, path, mean, { variance }));
}

/** The binary chain of Chapter 2 (bits, engine `binomial.ts`): its kernel and marginal. */
function binaryDensity(args: DensityArgs, ctx: BookContext): Num {
  const a = varAt(args.targets[0], "q(x_a ...)");
  const b = args.given.length === 1 ? varAt(args.given[0], "q(... | x_b)") : undefined;
  const bit = (p1: number) => engineValue(a.value === 1 ? p1 : 1 - p1);
  if (b && a.index === b.index + 1) {
    return bit(binomialKernel(b.value, ctx.schedule.betas[a.index]));
  }
  if (b && b.index === 0) return bit(binomialMarginal(ctx.schedule, b.value, a.index));
  throw new Error(`Cannot bind q(x_${a.index} | ...) for the binary chain`);
}

/** q(…) by the pattern of its subscripts (see the module doc). */
function forwardDensity(args: DensityArgs, ctx: BookContext, point: Point): Num {
  if (isPath(args.targets[0])) return forwardPathDensity(args, ctx, point);
  if ([...args.targets, ...args.given].some(isLabel)) return labelledDensity(args, ctx);
  if (ctx.binary) return binaryDensity(args, ctx);
  const s = ctx.schedule;
  if (args.targets.length !== 1) throw new Error("Cannot read q(...) with several targets");
  const a = varAt(args.targets[0], "q(x_a ...)");
  const given = args.given.map((g) => varAt(g, "q(... | x_b)"));
  const pdf = densityValue;
  if (given.length === 0) {
    const m = needData(ctx, "q(x_a)");
    return mixturePdf(a.index === 0 ? m : marginalAt(m, s, a.index), a.value);
  }
  if (given.length === 1) {
    const b = given[0];
    if (a.index === b.index + 1) return pdf(forwardKernelLogPdf(s, a.value, b.value, a.index));
    if (b.index === 0 && a.index > 0) {
      return pdf(forwardMarginalLogPdf(s, a.value, b.value, a.index));
    }
    if (a.index === b.index - 1) {
      return mixturePdf(
        reverseKernel(needData(ctx, "q(x_{t-1} | x_t)"), s, b.index, [b.value]),
        a.value,
      );
    }
    if (a.index === 0) {
      return mixturePdf(x0Posterior(needData(ctx, "q(x_0 | x_t)"), s, b.index, [b.value]), a.value);
    }
  }
  if (given.length === 2 && given[1].index === 0 && a.index === given[0].index + 1) {
    // Markov: q(x_t | x_{t-1}, x_0) is the forward kernel
    return pdf(forwardKernelLogPdf(s, a.value, given[0].value, a.index));
  }
  if (given.length === 2 && given[1].index === 0 && a.index === given[0].index - 1) {
    return pdf(posteriorLogPdf(s, a.value, given[0].value, given[1].value, given[0].index));
  }
  throw new Error(
    `Cannot bind q(x_${a.index} | ${given.map((g) => `x_${g.index}`).join(", ")}) as no density ` +
      "of the book has that pattern of subscripts",
  );
}

/** p(x_T) and p_θ(x_{t-1} | x_t) = N(μ_θ(x_t, t), σ_t²). */
function modelDensity(args: DensityArgs, ctx: BookContext, point: Point): Num {
  if (ctx.reverse) return linearModelDensity(args, ctx.schedule, ctx.reverse, point);
  if (isPath(args.targets[0])) return modelPathDensity(args, ctx, point);
  const a = varAt(args.targets[0], "p(x_a ...)");
  const labelled = args.given.length === 2 && isLabel(args.given[1]);
  const label = labelled ? args.given[1].value.v : undefined;
  const given = (labelled ? args.given.slice(0, 1) : args.given).map((g) =>
    varAt(g, "p(... | x_b)")
  );
  if (given.length === 0 && a.index === ctx.schedule.T) {
    return densityValue(gaussianLogPdf(a.value, 0, 1));
  }
  if (given.length === 1 && a.index === given[0].index - 1 && ctx.sigma) {
    const t = given[0].index, xt = given[0].value;
    const mean = ddpmStepMean(ctx.schedule, [xt], [epsThetaOf(ctx, xt, t, label)], t)[0];
    return densityValue(gaussianLogPdf(a.value, mean, ctx.sigma(t) ** 2));
  }
  throw new Error(`Cannot bind p(x_${a.index} | ...) in this chapter's context`);
}

/** One draw from a 1-D mixture. */
const mixtureDraw = (m: Mixture, rng: Parameters<VariableDraw>[0]) => mixtureSample(m, 1, rng).x[0];

/**
 * Draws target k of q(…): the same patterns of subscripts as {@link forwardDensity}, with the
 * targets before k joining the conditioning (q(x_{t-1}, x_t | x_0): x_{t-1} | x_0, then
 * x_t | x_{t-1}, x_0). Forward steps by the engine's samplers, reverse ones from the engine's
 * mixture posteriors.
 */
const forwardDraw: DensityDraw<BookContext> = (args, k, rng, ctx) => {
  const s = ctx.schedule;
  const a = varAt({ ...args.targets[k], value: exact(NaN, 0) }, "a draw of q(x_a ...)");
  const given = [...(k > 0 ? [args.targets[k - 1]] : []), ...args.given]
    .map((g) => varAt(g, "a draw of q(... | x_b)"));
  const b = given[0];
  if (!b) {
    const x0 = mixtureDraw(needData(ctx, "a draw of q(x_a)"), rng);
    return a.index === 0 ? x0 : forwardSample(s, x0, a.index, rng).xt;
  }
  if (a.index === b.index + 1) return forwardStep(s, b.value, a.index, rng);
  if (b.index === 0 && a.index > 0) return forwardSample(s, b.value, a.index, rng).xt;
  if (given.length === 1 && a.index === 0) {
    return mixtureDraw(x0Posterior(needData(ctx, "q(x_0 | x_t)"), s, b.index, [b.value]), rng);
  }
  if (given.length === 1 && a.index === b.index - 1) {
    return mixtureDraw(
      reverseKernel(needData(ctx, "q(x_{t-1} | x_t)"), s, b.index, [b.value]),
      rng,
    );
  }
  if (given.length === 2 && given[1].index === 0 && a.index === b.index - 1) {
    const mean = posteriorMean(s, b.value, given[1].value, b.index);
    return mean + Math.sqrt(posteriorVariance(s, b.index)) * rng.normal();
  }
  throw new Error(
    `Cannot draw x_${a.index} from q(x_${a.index} | ${
      given.map((g) => `x_${g.index}`).join(", ")
    }) ` +
      "as no density of the book has that pattern of subscripts",
  );
};

/** The law of x_s written by name (`\mathbb{E}_{x_0}`): the data for s = 0, else its marginal. */
const dataDraw: VariableDraw<BookContext> = (rng, ctx, sub) => {
  const x0 = mixtureDraw(needData(ctx, "a draw of x_0"), rng);
  if (sub === undefined) return x0; // x by itself: a data point
  const s = stepIndex(sub, "a draw of x_s");
  return s === 0 ? x0 : forwardSample(ctx.schedule, x0, s, rng).xt;
};

const indexed = (
  latex: string,
  at: (i: number, ctx: BookContext, sub: Sub) => number,
): BoundSymbol<BookContext> => ({
  latex,
  entry: { kind: "indexed", at: (i, ctx, sub) => engineValue(at(i, ctx, sub)) },
});
const variable = (latex: string, draw?: VariableDraw<BookContext>): BoundSymbol<BookContext> => ({
  latex,
  entry: draw ? { kind: "variable", draw } : { kind: "variable" },
});
/** The law of ε and z: a standard normal (d = 1); alone in an expectation it is integrated. */
const normalDraw: VariableDraw<BookContext> = standardNormal;
const unbound = (latex: string, reason: string): BoundSymbol<BookContext> => ({
  latex,
  entry: { kind: "unbound", reason },
});
const operator = (latex: string, how: string): BoundSymbol<BookContext> => ({
  latex,
  entry: { kind: "operator", how },
});
const fnEntry = (
  apply: (args: number[], ctx: BookContext, sub: Sub, point: Point) => number,
): Entry<BookContext> => ({
  kind: "function",
  apply: (args, ctx, sub, point) => engineValue(apply(args.map((a) => a.value.v), ctx, sub, point)),
});
const fn = (
  latex: string,
  apply: (args: number[], ctx: BookContext, sub: Sub, point: Point) => number,
): BoundSymbol<BookContext> => ({ latex, entry: fnEntry(apply) });
const density = (
  latex: string,
  apply: (args: DensityArgs, ctx: BookContext, sub: Sub, point: Point) => Num,
): BoundSymbol<BookContext> => ({ latex, entry: { kind: "density", apply } });

/** Component k (1-based) of a mixture subscript `_k` or `_{k,t}`. */
const component = (sub: Sub): number =>
  (Array.isArray(sub) ? sub[0] : stepIndex(sub, "a component")) - 1;
const stepOf = (point: Point): number => {
  const t = point.get("t");
  if (!t) throw new Error("Cannot evaluate a step-dependent symbol as the sample point has no t");
  return t.v;
};

const PATH = "a whole path x_{0:T} is a point in T + 1 dimensions; the book's printed path " +
  "densities are evaluated through their one-step factors";
const PARAMS = "a set of network parameters, not a number";
const CH6 = "chapter 6's continuous-time notation is bound by its own typeset spec " +
  "(checks/06-score-sde.typeset.ts: its example's SDE, smoothing noise and SNR schedules), not here";

/** The notation binding, by symbol name (decorations as suffixes, tags as `_theta`). */
export const notationBinding: Binding<BookContext> = {
  T: { latex: "T", entry: { kind: "constant", value: (ctx) => exact(ctx.schedule.T, 0) } },
  // written by name in an expectation, t is uniform on 1..T (the simple loss's law)
  t: variable("t", (rng, ctx) => 1 + rng.int(ctx.schedule.T)),
  beta: indexed("\\beta_t", (t, ctx) => ctx.schedule.betas[t]),
  alpha: indexed("\\alpha_t", (t, ctx) => ctx.schedule.alphas[t]),
  alphaBar: indexed("\\bar\\alpha_t", (t, ctx) => ctx.schedule.alphaBars[t]),
  SNR: fn("\\mathrm{SNR}(t)", ([t], ctx) => snr(ctx.schedule, t)),
  x: variable("x_t", dataDraw),
  I: { latex: "I", entry: { kind: "constant", value: () => exact(1, 0) } }, // d = 1
  d: { latex: "d", entry: { kind: "constant", value: () => exact(1, 0) } }, // the examples are 1-D
  q: {
    latex: "q(x_t \\mid x_{t-1})",
    entry: {
      kind: "density",
      apply: (a, ctx, _sub, point) => forwardDensity(a, ctx, point),
      draw: forwardDraw,
    },
  },
  epsilon: variable("\\epsilon", normalDraw),
  T_pi: density("T_\\pi(y \\mid y'; \\beta)", (a) => {
    // the Gaussian kernel leaving N(0, 1) invariant: N(y; sqrt(1 - beta) y', beta)
    const [y, yPrev, beta] = [a.targets[0], a.given[0], a.params[0]].map((x) => x.value.v);
    return densityValue(gaussianLogPdf(y, Math.sqrt(1 - beta) * yPrev, beta));
  }),
  pi: {
    latex: "\\pi",
    entry: {
      kind: "density",
      apply: (a) => densityValue(gaussianLogPdf(a.targets[0].value.v, 0, 1)),
    },
    alt: {
      kind: "indexed",
      at: (_i, ctx, sub) => engineValue(needData(ctx, "\\pi_k").weights[component(sub)]),
    },
  },
  muTilde: fn(
    "\\tilde\\mu_t(x_t, x_0)",
    ([xt, x0], ctx, sub) => posteriorMean(ctx.schedule, xt, x0, stepIndex(sub, "\\tilde\\mu_t")),
  ),
  mu: fn(
    "\\mu_q(x_t, x_0)",
    ([xt, x0], ctx, _sub, point) => posteriorMean(ctx.schedule, xt, x0, stepOf(point)),
  ),
  betaTilde: indexed("\\tilde\\beta_t", (t, ctx) => posteriorVariance(ctx.schedule, t)),
  sigma: {
    latex: "\\sigma_t^2",
    entry: {
      kind: "indexed",
      at: (t, ctx) => {
        if (!ctx.sigma) throw new Error("Cannot evaluate \\sigma_t as this context sets no sigma");
        return engineValue(ctx.sigma(t));
      },
    },
    // sigma_q(t): the posterior's standard deviation
    alt: fnEntry(([t], ctx) => Math.sqrt(posteriorVariance(ctx.schedule, t))),
  },
  Sigma: fn("\\Sigma_q(t)", ([t], ctx) => posteriorVariance(ctx.schedule, t)),
  bbE: operator(
    "\\mathbb{E}",
    "an expectation over the density in its subscript, by quadrature over that density's " +
      "variable; over several variables (or one by name) by Monte Carlo (joint_expectation.ts)",
  ),
  Grad: operator("\\nabla_{x_t}", "a five-point central difference in the subscript's variable"),
  theta: unbound("\\theta", PARAMS),
  p: density("p(x_T)", (a, ctx, _sub, point) => modelDensity(a, ctx, point)),
  p_theta: density(
    "p_\\theta(x_{t-1} \\mid x_t)",
    (a, ctx, _sub, point) => modelDensity(a, ctx, point),
  ),
  f_mu: fn(
    "f_\\mu",
    ([xt, t], ctx) => ddpmStepMean(ctx.schedule, [xt], [epsThetaOf(ctx, xt, t)], t)[0],
  ),
  f_Sigma: fn("f_\\Sigma", ([_xt, t], ctx) => {
    if (!ctx.sigma) throw new Error("Cannot evaluate f_Sigma as this context sets no sigma");
    return ctx.sigma(t) ** 2;
  }),
  mu_theta: fn(
    "\\mu_\\theta(x_t, t)",
    ([xt, t], ctx) => ddpmStepMean(ctx.schedule, [xt], [epsThetaOf(ctx, xt, t)], t)[0],
  ),
  epsilon_theta: fn("\\epsilon_\\theta(x_t, t)", ([xt, t], ctx) => epsThetaOf(ctx, xt, t)),
  epsilonHat_theta: fn("\\hat\\epsilon_\\theta(x_t, t)", ([xt, t], ctx) => epsThetaOf(ctx, xt, t)),
  xHat_theta: fn(
    "\\hat x_\\theta(x_t, t)",
    ([xt, t], ctx) => x0FromEps(ctx.schedule, xt, epsThetaOf(ctx, xt, t), t),
  ),
  xHat: variable("\\hat x_0"),
  s_theta: fn(
    "s_\\theta(x_t, t)",
    ([xt, t], ctx) => scoreFromEps(ctx.schedule, xt, epsThetaOf(ctx, xt, t), t),
  ),
  eta: { latex: "\\eta", entry: { kind: "constant", value: (ctx) => exact(ctx.eta ?? NaN, 0) } },
  z: variable("z", normalDraw),
  KL: operator(
    "\\mathrm{KL}(q \\,\\Vert\\, p)",
    "KL(A ‖ B) = ∫ A log(A/B) over A's variable, by quadrature",
  ),
  H: unbound(
    "H_q(X_t \\mid X_0)",
    "an entropy of random variables written in capitals; no density is written",
  ),
  ELBO_theta: unbound("\\mathrm{ELBO}_\\theta(x_0)", "an expectation over a whole path: " + PATH),
  L: unbound(
    "L_{t-1}",
    "an ELBO term named, not written out: its definition is evaluated where it is printed",
  ),
  K: unbound("K", "Sohl-Dickstein's bound over whole paths: " + PATH),
  L_simple: unbound("L_{\\text{simple}}", "a training objective named, not written out"),
  lambda: unbound(
    "\\lambda_t",
    "Chapter 4's loss weights: one function of t per parameterisation, drawn by its figure",
  ),
  w: {
    latex: "w_k(x_t)",
    entry: fnEntry(([xt], ctx, sub, point) =>
      mixtureResponsibilities(marginalAt(needData(ctx, "w_k(x_t)"), ctx.schedule, stepOf(point)), [
        xt,
      ])[
        component(sub)
      ]
    ),
    alt: { kind: "variable" }, // the guidance weight w = gamma - 1, set by the sample point
  },
  phi: unbound("\\phi", PARAMS),
  q_phi: unbound(
    "q_\\phi(z \\mid x)",
    "the VAE's encoder: each example binds its own (Chapter 4's typeset spec, engine/vae.ts)",
  ),
  mu_phi: unbound("\\mu_\\phi(x)", "the VAE's encoder mean: each example binds its own"),
  sigma_phi: unbound("\\sigma_\\phi(x)", "the VAE's encoder scale: each example binds its own"),
  odot: unbound("\\odot", "the elementwise product; in one dimension it is the product"),
  y: variable("y"),
  varnothing: {
    latex: "\\varnothing",
    entry: { kind: "constant", value: () => exact(-1, 0) }, // the "no label" of classifier-free guidance
  },
  gamma: variable("\\gamma"),
  q_gamma: density("q_\\gamma(x_t \\mid y)", (a, ctx, _sub, point) => {
    // the guided density as the engine defines it, q(x_t | y)^gamma q(x_t)^(1 - gamma), up to its
    // normaliser (it is only ever printed under a gradient of its log)
    const gamma = point.get("gamma");
    if (!gamma) throw new Error("Cannot evaluate q_gamma as the sample point has no gamma");
    const m = needData(ctx, "q_gamma");
    const x = varAt(a.targets[0], "q_gamma(x_t | y)");
    const cm = marginalAt(classMixture(m, a.given[0].value.v), ctx.schedule, x.index);
    const logq = gamma.v * mixtureLogPdf(cm, [x.value]) +
      (1 - gamma.v) * mixtureLogPdf(marginalAt(m, ctx.schedule, x.index), [x.value]);
    return densityValue(logq);
  }),
  r: unbound("r(x_0)", "each example of Chapter 2 chooses its own multiplier r"),
  pTilde: unbound("\\tilde p(x_0)", "the multiplied density of Chapter 2's example"),
  h: unbound("h_t", "the multiplier diffused to step t in Chapter 2's example"),
  Z: unbound("Z_r", "the normaliser of Chapter 2's multiplied density"),
  m: indexed("m_k", (_i, ctx, sub) => needData(ctx, "m_k").means[component(sub)][0]),
  s: indexed("s_k^2", (_i, ctx, sub) => Math.sqrt(needData(ctx, "s_k").variances[component(sub)])),
  v: indexed("v_{k,t}", (_i, ctx, sub) => {
    const [k, t] = sub as number[];
    return marginalAt(needData(ctx, "v_{k,t}"), ctx.schedule, t).variances[k - 1];
  }),
  calN: density("\\mathcal{N}(x; \\mu, \\Sigma)", (a, _ctx, _sub, point) => {
    if (a.params.length === 1 && a.given.length === 0) {
      // N(m, v) written as a law, without its variable: its density at the law's variable
      const at = point.get(LAW_VARIABLE);
      if (!at) {
        throw new Error(
          "Cannot evaluate N(m, v) written without its variable as this display gives the law no " +
            `variable: set the sample point's "${LAW_VARIABLE}" in the chapter's typeset spec`,
        );
      }
      return densityValue(gaussianLogPdf(at.v, a.targets[0].value.v, a.params[0].value.v));
    }
    if (a.params.length !== 2) {
      throw new Error("Cannot read \\mathcal{N}(x; m, v) without a mean and a variance");
    }
    const [m, v] = a.params.map((p) => p.value.v);
    return densityValue(gaussianLogPdf(a.targets[0].value.v, m, v));
  }),
  // Chapter 6 (continuous time, Langevin, score matching): bound by the chapter's spec, which
  // knows its SDE and schedules; elsewhere each says so here rather than passing silently.
  delta: unbound("\\delta", CH6),
  Var_infty: unbound("\\operatorname{Var}_\\infty", CH6),
  q_sigma: unbound("q_\\sigma", CH6),
  xTilde: unbound("\\tilde x", CH6),
  epsilonSymbol: unbound("\\varepsilon", CH6),
  tau: unbound("\\tau", CH6),
  f: unbound("f(x, \\tau)", CH6),
  g: unbound("g(\\tau)", CH6),
  W: unbound("W", "Brownian motion: a random path, not a number"),
  WBar: unbound("\\bar W", "Brownian motion in reversed time: a random path, not a number"),
  q_tau: unbound("q_\\tau", CH6),
  calL_infty: unbound("\\mathcal{L}_\\infty(x_0)", CH6),
  calB: density("\\mathcal{B}(x; p)", (a) => {
    // a Bernoulli probability of the bit x
    const [x, p] = [a.targets[0].value.v, a.params[0].value.v];
    return engineValue(x === 1 ? p : 1 - p);
  }),
};

/** Looks up a symbol: first with its tag (`epsilon_theta`), then by name. */
export function lookup<C>(
  binding: Binding<C>,
  name: string,
  tag?: string,
): BoundSymbol<C> | undefined {
  return (tag !== undefined ? binding[`${name}_${tag}`] : undefined) ?? binding[name];
}

/** A binding extended by a chapter's own symbols (they win over the notation's). */
export function withChapterSymbols<C>(base: Binding<C>, own: Binding<C>): Binding<C> {
  return { ...base, ...own };
}

export type { Entry };
