/**
 * Chapter 5's printed equations, evaluated on a labelled 1-D mixture (three classes), whose noisy
 * classifier, class marginals and scores the engine computes exactly. Sample points: t = 1, 2, a
 * random step and T; a class y; guidance strengths γ ∈ {0, 1, 2.5} (w = γ − 1). The guided noise
 * prediction ε̃_θ is the engine's `classifierFreeEpsModel` (the tfjs code the Guidance demo runs), so
 * a wrong weight in the engine fails the printed [](#eq:cfg-eps).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Binding } from "../lib/book/typeset/binding.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { exact } from "../lib/book/typeset/num.ts";
import {
  type BookContext,
  notationBinding,
  withChapterSymbols,
} from "../lib/book/typeset/notation_binding.ts";
import { classMixture, createMixture, type Mixture, optimalEps } from "../engine/mixture.ts";
import { classifierFreeEpsModel, ddpmSigma } from "../engine/samplers.ts";
import { createRng } from "../engine/rng.ts";
import { forwardMarginalLogPdf } from "../engine/forward.ts";
import { varKey } from "../lib/book/typeset/evaluate.ts";
import { cosineSchedule, linearSchedule, type Schedule } from "../engine/schedule.ts";
import { sampleSteps, stepPoint, type TypesetCase, type TypesetSpec } from "./typeset_harness.ts";

/** The chapter's labelled example: four components, three classes. */
const DATA: Mixture = createMixture({
  weights: [0.25, 0.25, 0.2, 0.3],
  means: [-2, -0.5, 0.7, 2.1],
  variances: [0.1, 0.2, 0.05, 0.3],
  labels: [0, 1, 1, 2],
});
const CLASSES = [0, 1, 2];

/** ε̂_θ(x_t, t, y): the optimal noise prediction of class y's data, or of all data for ∅ (y = −1). */
function epsHat(s: Schedule, xt: number, t: number, y: number): number {
  return optimalEps(y < 0 ? DATA : classMixture(DATA, y), s, t, [xt])[0];
}

/** float32 rounding of a tfjs result, with a safety factor of 8. */
const F32 = 8 * 2 ** -24;

const chapterSymbols: Binding<BookContext> = {
  k: {
    latex: "k_t",
    entry: {
      kind: "indexed",
      // the two-point example (classes at x_0 = -m and +m, equally likely): the noisy
      // classifier's log-odds, log q(x_t | x_0 = m) - log q(x_t | x_0 = -m) (engine marginals),
      // divided by x_t, is its slope k_t
      at: (t, ctx, _sub, p) => {
        const m = p.get("m")!.v, xt = p.get(varKey("x", t))!.v, s = ctx.schedule;
        const [up, down] = [m, -m].map((x0) => forwardMarginalLogPdf(s, [xt], [x0], t));
        const v = (up - down) / xt;
        return { v, e: 64 * 2 ** -52 * (Math.abs(up) + Math.abs(down) + 1) / Math.abs(xt) };
      },
    },
  },
  epsilonHat_theta: {
    latex: "\\hat\\epsilon_\\theta(x_t, t, y)",
    entry: {
      kind: "function",
      apply: ([xt, t, y], ctx) =>
        exact(epsHat(ctx.schedule, xt.value.v, t.value.v, y.value.v), 64 * 2 ** -52),
    },
  },
  epsilonTilde_theta: {
    latex: "\\tilde\\epsilon_\\theta(x_t, t, y)",
    entry: {
      kind: "function",
      apply: ([xt, t, y], ctx, _sub, point) => {
        // the engine's classifier-free model, on tfjs as the demo runs it, with w = gamma - 1
        const s = ctx.schedule, label = y.value.v, w = point.get("gamma")!.v - 1;
        const model = (yy: number) => (x: tf.Tensor2D, tt: number) =>
          tf.tensor2d([[epsHat(s, x.dataSync()[0], tt, yy)]]); // [1, 1]
        const v = tf.tidy(() =>
          classifierFreeEpsModel(model(label), model(-1), w)(tf.tensor2d([[xt.value.v]]), t.value.v)
            .dataSync()[0]
        );
        const c = epsHat(s, xt.value.v, t.value.v, label), u = epsHat(s, xt.value.v, t.value.v, -1);
        // the model sees x_t rounded to float32: what that moves each prediction is measured
        const x32 = Math.fround(xt.value.v);
        const input = Math.abs(epsHat(s, x32, t.value.v, label) - c) * (1 + Math.abs(w)) +
          Math.abs(epsHat(s, x32, t.value.v, -1) - u) * Math.abs(w);
        const arithmetic = F32 * (Math.abs(c) * (1 + Math.abs(w)) + Math.abs(u * w) + Math.abs(v));
        return { v, e: arithmetic + 2 * input };
      },
    },
  },
};

const binding = withChapterSymbols(notationBinding, chapterSymbols);

function makeCase(s: Schedule, seed: number): TypesetCase {
  const ctx: BookContext = {
    schedule: s,
    data: DATA,
    ranges: { y: CLASSES },
    sigma: (t) => ddpmSigma(s, t, "beta"),
  };
  return {
    name: `${s.kind} schedule, T = ${s.T}, labelled mixture`,
    ctx,
    grid: () => ({ lo: -10, hi: 10, n: 1601 }),
    points: (d: Display) => {
      const rng = createRng(seed + d.line);
      const out = [];
      for (const t of sampleSteps(s.T, rng)) {
        for (const gamma of [0, 1, 2.5]) {
          const p = stepPoint(s, t, rng);
          p.set("y", exact(CLASSES[rng.int(CLASSES.length)], 0));
          p.set("gamma", exact(gamma, 0));
          p.set("w", exact(gamma - 1, 0));
          // the two-point example's half-distance m (the display of its slope k_t)
          if (/^k_t =/.test(d.latex.trim())) p.set("m", exact(0.5 + 1.5 * rng.uniform(), 0));
          out.push(p);
        }
      }
      return out;
    },
  };
}

/** Chapter 5's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: binding as Binding,
  cases: [makeCase(linearSchedule(100), 501), makeCase(cosineSchedule(50), 502)],
};
