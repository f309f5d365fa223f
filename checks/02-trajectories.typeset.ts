/**
 * Chapter 2's printed equations, evaluated: the Gaussian chain on the chapter's 1-D mixture (three
 * schedules, whole forward paths from the engine's sampler so path densities can be read), and the
 * binary chain of [](#eq:binomial-kernel) on bits. Where a display writes the noises ε', ε'' of a
 * two-step route, the sample point holds the noises that take x_0 to x_{t-1} and x_{t-1} to x_t.
 *
 * @module
 */
import type { Binding } from "../lib/book/typeset/binding.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { exact } from "../lib/book/typeset/num.ts";
import { varKey } from "../lib/book/typeset/evaluate.ts";
import { type BookContext, notationBinding } from "../lib/book/typeset/notation_binding.ts";
import { DATA } from "./01-reverse-step.typeset.ts";
import { ddpmSigma } from "../engine/samplers.ts";
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

/** Chapter 2's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: notationBinding as Binding,
  cases: [
    gaussianCase(linearSchedule(100), 201),
    gaussianCase(cosineSchedule(50), 202),
    gaussianCase(sohlDicksteinSchedule(40), 203),
    binaryCase(sohlDicksteinSchedule(40), 204),
  ],
};
