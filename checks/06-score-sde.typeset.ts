/**
 * Chapter 6's printed equations, evaluated where the typeset evaluator can read them: the Langevin
 * chain's stationary variance for a Gaussian target ([](#eq:langevin-gaussian-bias), its left side
 * bound to the engine's grid solve of the chain), the smoothed data density
 * ([](#eq:smoothed-data), its left side bound to the engine's `smoothMixture`, its right side a
 * quadrature over x_0 of the printed integrand) and denoising score matching as noise prediction
 * ([](#eq:dsm-eps), through the notation binding alone). The chapter's other displays are written in
 * continuous time (SDEs, flows, derivatives in tau) or as random updates, and are marked
 * `.unevaluated` with the reason; their engine checks are in `06-score-sde.checks.ts`.
 *
 * @module
 */
import type { Binding } from "../lib/book/typeset/binding.ts";
import { exact } from "../lib/book/typeset/num.ts";
import {
  type BookContext,
  notationBinding,
  withChapterSymbols,
} from "../lib/book/typeset/notation_binding.ts";
import { langevinStationary1D } from "../engine/langevin_bias.ts";
import { createMixture, type Mixture, mixtureLogPdf } from "../engine/mixture.ts";
import { smoothMixture } from "../engine/score_matching.ts";
import { createRng } from "../engine/rng.ts";
import { cosineSchedule, linearSchedule, type Schedule } from "../engine/schedule.ts";
import { ddpmSigma } from "../engine/samplers.ts";
import { sampleSteps, stepPoint, type TypesetCase, type TypesetSpec } from "./typeset_harness.ts";

/** The chapter's 1-D example data (the same mixture as its engine checks). */
const DATA: Mixture = createMixture({
  weights: [0.3, 0.5, 0.2],
  means: [-1.5, 0.3, 1.8],
  variances: [0.1, 0.2, 0.05],
});

/** Read a scalar of the sample point, or say which one is missing. */
function scalar(point: ReadonlyMap<string, { v: number }>, name: string): number {
  const v = point.get(name)?.v;
  if (v === undefined) throw new Error(`Cannot evaluate chapter 6's display as ${name} is unset`);
  return v;
}

const chapterSymbols: Binding<BookContext> = {
  Var_infty: {
    latex: "\\operatorname{Var}_\\infty",
    entry: {
      kind: "constant",
      value: (_ctx, _sub, point) => {
        // the chain's stationary variance for N(0, s^2), by the engine's grid solve
        const s = scalar(point, "s"), delta = scalar(point, "delta"), s2 = s * s;
        const sd = Math.sqrt(s2 / (1 - delta / (4 * s2)));
        const r = langevinStationary1D((x) => -x / s2, delta, -13 * sd, 13 * sd, 401);
        return exact(r.variance, 1e-11 * r.variance);
      },
    },
  },
  q_sigma: {
    latex: "q_\\sigma",
    entry: {
      kind: "density",
      apply: (a, _ctx, _sub, point) => {
        const sigma = scalar(point, "sigma");
        const v = Math.exp(
          mixtureLogPdf(smoothMixture(DATA, sigma * sigma), [a.targets[0].value.v]),
        );
        return exact(v, 1e-12 * Math.max(v, 1));
      },
    },
  },
};

const binding = withChapterSymbols(notationBinding, chapterSymbols);

function makeCase(s: Schedule, seed: number): TypesetCase {
  const ctx: BookContext = { schedule: s, data: DATA, sigma: (t) => ddpmSigma(s, t, "beta") };
  return {
    name: `${s.kind} schedule, T = ${s.T}, three-component mixture`,
    ctx,
    // x_0 ranges over the data (narrowest sd 0.22) with >= 40 points per sd
    grid: () => ({ lo: -6, hi: 6, n: 2401 }),
    points: () => {
      const rng = createRng(seed);
      return sampleSteps(s.T, rng).map((t) => {
        const p = stepPoint(s, t, rng);
        const sd = 0.5 + rng.uniform(); // a Gaussian target's sd for the Langevin bias
        p.set("s", exact(sd, 0));
        p.set("delta", exact(3.6 * sd * sd * rng.uniform(), 0)); // 0 < delta < 4 s^2
        p.set("sigma", exact(0.2 + rng.uniform(), 0)); // the smoothing noise
        p.set("xTilde", exact(3 * (2 * rng.uniform() - 1), 0));
        return p;
      });
    },
  };
}

/** Chapter 6's typeset evaluation. */
export const spec: TypesetSpec = {
  binding: binding as Binding,
  cases: [makeCase(linearSchedule(100), 601), makeCase(cosineSchedule(50), 602)],
};
