/**
 * Chapter 4's printed equations, evaluated on Chapter 1's example mixture: the forward marginal,
 * the ground-truth denoising step μ_q, σ_q², the three parameterisations and Tweedie's formula,
 * whose expectations E[x_0 | x_t] and E[ε | x_t] and the marginal score the engine computes exactly
 * for mixture data. Sample points: t = 2, 3, a random step and T (σ_q²(1) = 0 has no density),
 * two draws each, on one forward path from the engine's sampler.
 *
 * @module
 */
import type { Binding } from "../lib/book/typeset/binding.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { exact } from "../lib/book/typeset/num.ts";
import {
  type BookContext,
  notationBinding,
  withChapterSymbols,
} from "../lib/book/typeset/notation_binding.ts";
import { mixtureMean, optimalEps, reverseKernel, tweedieMean } from "../engine/mixture.ts";
import { ddpmSigma } from "../engine/samplers.ts";
import { posteriorVariance } from "../engine/posterior.ts";
import { createRng } from "../engine/rng.ts";
import {
  cosineSchedule,
  linearSchedule,
  type Schedule,
  sohlDicksteinSchedule,
} from "../engine/schedule.ts";
import { DATA } from "./01-reverse-step.typeset.ts";
import { sampleSteps, stepPoint, type TypesetCase, type TypesetSpec } from "./typeset_harness.ts";

const REL = 64 * 2 ** -52;

/**
 * The conditional means the chapter prints, E[x_0 | x_t], E[ε | x_t] and E[x_{t-1} | x_t]: for
 * mixture data the engine computes each exactly (`tweedieMean`, the mean of q(x_0 | x_t);
 * `optimalEps`; the mean of `reverseKernel`, the true reverse step q(x_{t-1} | x_t)).
 */
const chapterSymbols: Binding<BookContext> = {
  bbE_given: {
    latex: "\\mathbb{E}[x_0 \\mid x_t]",
    entry: {
      kind: "function",
      apply: ([a, b], ctx) => {
        const t = b.variable?.index;
        if (b.variable?.name !== "x" || t === undefined) {
          throw new Error("Cannot evaluate E[a | b] as b is not a step x_t of the chain");
        }
        const xt = [b.value.v];
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
        return exact(v, REL * (1 + Math.abs(v)));
      },
    },
  },
};

const binding = withChapterSymbols(notationBinding, chapterSymbols);

function makeCase(s: Schedule, seed: number): TypesetCase {
  const ctx: BookContext = { schedule: s, data: DATA, sigma: (t) => ddpmSigma(s, t, "beta") };
  return {
    name: `${s.kind} schedule, T = ${s.T}, Chapter 1's mixture`,
    ctx,
    grid: () => ({ lo: -10, hi: 10, n: 1601 }),
    points: (d: Display) => {
      // eq:loss-weights matches the model step to q(x_{t-1} | x_t, x_0) with the same variance
      ctx.sigma = d.label === "eq:loss-weights"
        ? (t) => Math.sqrt(posteriorVariance(s, t))
        : (t) => ddpmSigma(s, t, "beta");
      const rng = createRng(seed + d.line);
      const out = [];
      for (const t of sampleSteps(s.T, rng, 2)) {
        for (let i = 0; i < 2; i++) out.push(stepPoint(s, t, rng));
      }
      return out;
    },
  };
}

/** Chapter 4's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: binding as Binding,
  cases: [
    makeCase(linearSchedule(100), 401),
    makeCase(cosineSchedule(50), 402),
    makeCase(sohlDicksteinSchedule(40), 403),
  ],
};
