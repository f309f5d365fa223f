/**
 * Chapter 1's printed equations, evaluated: the notation binding plus the symbols the chapter
 * defines for its example (the mixture's π_k, m_k, s_k, v_{k,t}, w_k, ρ_k), three schedules, and
 * sample points at t = 1, 2, a random step and T. Where a display states what a sampler returns
 * (x_t of [](#eq:forward-marginal), x_{t-1} of the DDPM and DDIM steps), the sample point's value is
 * the engine's sampler output, so the printed formula is compared with the code the demos run.
 *
 * @module
 */
import type { Binding } from "../lib/book/typeset/binding.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { exact } from "../lib/book/typeset/num.ts";
import { varKey } from "../lib/book/typeset/evaluate.ts";
import {
  type BookContext,
  epsThetaOf,
  notationBinding,
  withChapterSymbols,
} from "../lib/book/typeset/notation_binding.ts";
import { createMixture, type Mixture, reverseKernel } from "../engine/mixture.ts";
import { forwardSample } from "../engine/forward.ts";
import { x0FromEps } from "../engine/parameterisation.ts";
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

const binding = withChapterSymbols(notationBinding, chapterSymbols);

/** σ_t of a DDIM step at η, read from the engine's step: x(z = 1) − x(z = 0). */
function ddimSigma(s: Schedule, t: number, eta: number): number {
  return ddimStep(s, [0], [0], t, t - 1, eta, [1])[0] -
    ddimStep(s, [0], [0], t, t - 1, eta, [0])[0];
}

/** A case: a schedule, the data, and the sample points (4 steps × 2 draws). */
function makeCase(s: Schedule, seed: number, eta = 0.5): TypesetCase {
  const ctx: BookContext = { schedule: s, data: DATA, eta, sigma: (t) => ddpmSigma(s, t, "beta") };
  return {
    name: `${s.kind} schedule, T = ${s.T}${eta !== 0.5 ? `, eta = ${eta}` : ""}`,
    ctx,
    grid: () => ({ lo: -10, hi: 10, n: 1601 }), // trapezoid: spectrally accurate for Gaussians
    points: (d: Display) => {
      const rng = createRng(seed + d.line);
      const out = [];
      // q(x_{t-1} | x_0) and q(x_{t-1} | x_t, x_0) are point masses at t = 1 (no density)
      const from = /x_\{t-1\} \\mid x_(t, x_)?0/.test(d.latex) ? 2 : 1;
      for (const t of sampleSteps(s.T, rng, from)) {
        for (let i = 0; i < 2; i++) {
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
          } else ctx.sigma = (tt) => ddpmSigma(s, tt, "beta");
          out.push(p);
        }
      }
      return out;
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
  ],
};

export { point };
