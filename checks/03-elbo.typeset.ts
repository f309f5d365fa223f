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
import type { Binding, Entry } from "../lib/book/typeset/binding.ts";
import {
  type BookContext,
  epsThetaOf,
  notationBinding,
  withChapterSymbols,
} from "../lib/book/typeset/notation_binding.ts";
import { cosineSchedule, linearSchedule, sohlDicksteinSchedule } from "../engine/schedule.ts";
import { elboTerms } from "../engine/elbo.ts";
import { ddpmStepMean } from "../engine/samplers.ts";
import { createRng } from "../engine/rng.ts";
import { K_SE } from "../lib/book/typeset/path_expectation.ts";
import { exact } from "../lib/book/typeset/num.ts";
import { varKey } from "../lib/book/typeset/evaluate.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { gaussianCase } from "./02-trajectories.typeset.ts";
import type { TypesetCase, TypesetSpec } from "./typeset_harness.ts";

/** Draws of the engine's ELBO estimate behind `\mathrm{ELBO}_\theta(x_0)`. */
export const ELBO_DRAWS = 256;

/** ELBO_θ(x_0): the mean of the engine's `elboTerms` draws, with K_SE standard errors as bound. */
const elboEntry: Entry<BookContext> = {
  kind: "function",
  apply: (args, ctx) => {
    const x0 = args[0].value.v, s = ctx.schedule;
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
    applies: isPathDisplay,
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

const cases = [
  gaussianCase(linearSchedule(100), 301),
  gaussianCase(cosineSchedule(50), 302),
  gaussianCase(sohlDicksteinSchedule(40), 303),
];

/** Chapter 3's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: withChapterSymbols(notationBinding, {
    ELBO_theta: { latex: "\\mathrm{ELBO}_\\theta(x_0)", entry: elboEntry },
  }) as Binding,
  cases: [
    ...cases.map((c) => ({
      ...c,
      applies: (d: Display) => !isPathDisplay(d) && (c.applies?.(d) ?? true),
    })),
    ...cases.map((c, i) => pathCase(c, 310 + i)),
  ],
};
