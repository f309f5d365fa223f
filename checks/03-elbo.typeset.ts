/**
 * Chapter 3's printed equations, evaluated on the same Gaussian chains as Chapter 2 (the 1-D mixture,
 * three schedules, whole forward paths from the engine's sampler): the pointwise identities of the
 * ELBO's derivation. The ELBO itself and its KL forms are expectations over whole paths; their
 * displays say so with `.unevaluated` markers.
 *
 * @module
 */
import type { Binding } from "../lib/book/typeset/binding.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { exact } from "../lib/book/typeset/num.ts";
import { varKey } from "../lib/book/typeset/evaluate.ts";
import { type BookContext, notationBinding } from "../lib/book/typeset/notation_binding.ts";
import { createMixture, type Mixture } from "../engine/mixture.ts";
import { ddpmSigma } from "../engine/samplers.ts";
import { createRng } from "../engine/rng.ts";
import {
  cosineSchedule,
  linearSchedule,
  type Schedule,
  sohlDicksteinSchedule,
} from "../engine/schedule.ts";
import { sampleSteps, stepPoint, type TypesetCase, type TypesetSpec } from "./typeset_harness.ts";

/** The chapter's example data (the same mixture as chapter 1's). */
const DATA: Mixture = createMixture({
  weights: [0.3, 0.5, 0.2],
  means: [-2, 0.5, 2.5],
  variances: [0.05, 0.2, 0.02],
});

function gaussianCase(s: Schedule, seed: number): TypesetCase {
  const ctx: BookContext = { schedule: s, data: DATA, sigma: (t) => ddpmSigma(s, t, "beta") };
  return {
    name: `${s.kind} schedule, T = ${s.T}`,
    ctx,
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

/** Chapter 3's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: notationBinding as Binding,
  cases: [
    gaussianCase(linearSchedule(100), 301),
    gaussianCase(cosineSchedule(50), 302),
    gaussianCase(sohlDicksteinSchedule(40), 303),
  ],
};
