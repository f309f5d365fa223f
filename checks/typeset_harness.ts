/**
 * The typeset checks: the printed LaTeX of each display equation, evaluated through the notation
 * binding (`lib/book/typeset/`) at a chapter's sample points. A labelled equation gets one
 * {@link EquationCheck} (name {@link PRINTED_CHECK}) beside its engine checks, so its badge can
 * say the printed form was evaluated; the unlabelled derivation steps are checked the same way by
 * {@link checkSteps}. Plain functions, no Deno API: the build, `deno task test` and "Check on this
 * device" run them alike.
 *
 * @module
 */
import { check, type EquationCheck } from "./harness.ts";
import {
  checkDisplay,
  type TypesetCase,
  typesetMessage,
  type TypesetResult,
  type TypesetSpec,
} from "../lib/book/typeset/check_display.ts";
import type { Display } from "../lib/book/typeset/displays.ts";
import { exact, type Num } from "../lib/book/typeset/num.ts";
import { varKey } from "../lib/book/typeset/evaluate.ts";
import type { Rng } from "../engine/rng.ts";
import {
  cosineSchedule,
  linearSchedule,
  type Schedule,
  sohlDicksteinSchedule,
} from "../engine/schedule.ts";
import { sampleForwardPath } from "../engine/path.ts";
import { epsFromX0 } from "../engine/parameterisation.ts";

/** The name of the check that evaluates an equation's printed LaTeX. */
export const PRINTED_CHECK = "printed LaTeX evaluated";

/**
 * One check per labelled display: it evaluates the printed equation and fails with the message of
 * {@link typesetMessage} when a side disagrees or a symbol is unbound.
 *
 * @param displays the chapter's displays (`displayEquations`)
 * @param spec the chapter's binding and cases
 * @returns the checks, keyed by label
 */
export function printedChecks(displays: Display[], spec: TypesetSpec): EquationCheck[] {
  return displays.filter((d) => d.label && !d.unevaluated).map((d) => ({
    printed: true,
    ...check(d.label!, PRINTED_CHECK, () => {
      const r = checkDisplay(d, spec);
      if (r.status === "failed" || r.status === "error") throw new Error(typesetMessage(r));
      if (r.status === "unevaluated") {
        throw new Error(
          `${d.file}:${d.line} (${d.label}): the printed equation was not evaluated (${r.reason}); ` +
            'evaluate it or mark it {#label .unevaluated reason="why"} [typeset-unevaluated]',
        );
      }
      return {
        maxError: r.maxError,
        tolerance: r.tolerance,
        toleranceReason:
          `the printed equation's sides agree at ${r.points} points (${r.comparisons} ` +
          `comparisons) within the error bound carried by float64 arithmetic, quadrature and finite ` +
          `differences` + (r.skipped.length ? `; not compared: ${r.skipped.join("; ")}` : ""),
        samples: r.comparisons,
        seed: 0,
        printed: true,
      };
    }),
  }));
}

/**
 * Evaluates every unlabelled display (derivation step).
 *
 * @param displays the chapter's displays
 * @param spec the chapter's binding and cases
 * @returns one result per unlabelled display
 */
export function checkSteps(displays: Display[], spec: TypesetSpec): TypesetResult[] {
  return displays.filter((d) => !d.label).map((d) => checkDisplay(d, spec));
}

/** Values of a sample point, from plain numbers: `{ t: 3, "x@3": 0.2 }`. */
export function point(values: Record<string, number>): Map<string, Num> {
  return new Map(Object.entries(values).map(([k, v]) => [k, exact(v, 0)]));
}

/**
 * A sample point on one forward path: x_0 drawn uniformly from [-spread, spread], then the whole
 * path x_1, …, x_T from the engine's forward sampler (so x_{t-1} and x_t are one step apart and a
 * path density can read every step), ε the noise that takes x_0 to x_t in one jump, and z a fresh
 * standard normal.
 */
export function stepPoint(s: Schedule, t: number, rng: Rng, spread = 2.5): Map<string, Num> {
  const x0 = spread * (2 * rng.uniform() - 1);
  const path = sampleForwardPath(s, [x0], rng); // [T + 1][1]
  const values: Record<string, number> = { t };
  path.forEach((x, step) => (values[varKey("x", step)] = x[0]));
  values.epsilon = epsFromX0(s, path[t][0], x0, t);
  values.z = rng.normal();
  return point(values);
}

/**
 * The three schedules most chapters evaluate their printed equations on: linear (T = 100), cosine
 * (T = 50) and Sohl-Dickstein's (T = 40), one case each, with seeds seed + 1, + 2, + 3.
 *
 * @param make the chapter's case on one schedule
 * @param seed the chapter's base seed (e.g. 200: cases 201, 202, 203)
 * @returns the three cases
 * @example
 * ```ts
 * import { scheduleCases } from "./typeset_harness.ts";
 * const cases = scheduleCases((s, seed) => ({
 *   name: `${s.kind} ${s.T} ${seed}`, ctx: {}, points: () => [], grid: () => ({ lo: 0, hi: 1, n: 3 }),
 * }), 200);
 * const names = cases.map((c) => c.name).join();
 * if (names !== "linear 100 201,cosine 50 202,sohl-dickstein 40 203") throw new Error(names);
 * ```
 */
export function scheduleCases(
  make: (s: Schedule, seed: number) => TypesetCase,
  seed: number,
): TypesetCase[] {
  return [linearSchedule(100), cosineSchedule(50), sohlDicksteinSchedule(40)]
    .map((s, k) => make(s, seed + k + 1));
}

/** Steps to sample: 1, 2, one in between and T. */
export function sampleSteps(T: number, rng: Rng, from = 1): number[] {
  return [...new Set([from, from + 1, from + 1 + rng.int(T - from - 1), T])];
}

export type { TypesetCase, TypesetSpec };
