/**
 * The equation-check contract. Every labelled equation in `chapters/` has at least one check,
 * registered under its label. A check is a plain function: it computes both sides of the equation
 * along two independent routes through `engine/` and returns the worst disagreement it saw with the
 * tolerance it allows, and why that tolerance. It uses no Deno-only API, so the same checks can be
 * bundled and run in a reader's browser.
 *
 * @module
 */

/** What one run of a check observed. */
export interface CheckResult {
  /** Largest observed disagreement between the two routes (absolute unless `relative`). */
  maxError: number;
  /** The tolerance the error must stay within. */
  tolerance: number;
  /** How the tolerance was derived, e.g. "4 standard errors of the MC mean (n = 200000)". */
  toleranceReason: string;
  /** Number of points, samples or cases compared. */
  samples: number;
  /** Seed of the random numbers used (0 when none were used). */
  seed: number;
  /** For inequalities: the measured gap (e.g. log p - ELBO), reported next to the pass/fail. */
  gap?: number;
  /** True when this check evaluated the equation's printed LaTeX (see typeset_harness.ts). */
  printed?: boolean;
}

/** A check registered under an equation label. */
export interface EquationCheck {
  /** The equation's stable label, e.g. `eq:posterior-mean`. */
  label: string;
  /** A short name that says what the two routes are. */
  name: string;
  /** Runs the check. */
  run: () => CheckResult | Promise<CheckResult>;
  /** True when it evaluates the printed LaTeX: kept on its report row even when it throws. */
  printed?: boolean;
}

/**
 * Declares a check. Returns the check so a chapter's checks file can list them.
 *
 * @example
 * ```ts
 * import { check } from "./harness.ts";
 * const c = check("eq:demo", "1 + 1 by two routes", () => ({
 *   maxError: Math.abs((1 + 1) - 2 * 1), tolerance: 0, toleranceReason: "exact",
 *   samples: 1, seed: 0,
 * }));
 * if (c.label !== "eq:demo") throw new Error("label kept");
 * ```
 */
export function check(
  label: string,
  name: string,
  run: () => CheckResult | Promise<CheckResult>,
): EquationCheck {
  if (!/^eq:[a-z0-9][a-z0-9-]*$/.test(label)) {
    throw new Error(
      `Cannot register check "${name}" as its label must look like eq:lower-case-words: current value is ${label}`,
    );
  }
  return { label, name, run };
}

/** One row of the verification report (tests/report/verification.json). */
export interface ReportRow extends CheckResult {
  label: string;
  name: string;
  passed: boolean;
  ms: number;
}

/** Runs a check and returns its report row; a thrown error is a failed row with an infinite error. */
export async function runCheck(c: EquationCheck): Promise<ReportRow> {
  const start = performance.now();
  try {
    const r = await c.run();
    const passed = Number.isFinite(r.maxError) && r.maxError <= r.tolerance &&
      (r.gap === undefined || Number.isFinite(r.gap));
    return { ...r, label: c.label, name: c.name, passed, ms: performance.now() - start };
  } catch (e) {
    return {
      label: c.label,
      name: c.name,
      maxError: Infinity,
      tolerance: 0,
      toleranceReason: `threw: ${e instanceof Error ? e.message : String(e)}`,
      samples: 0,
      seed: 0,
      passed: false,
      ms: performance.now() - start,
      ...(c.printed ? { printed: true } : {}),
    };
  }
}

/** Largest |a_i - b_i| over two equal-length lists. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(
      `Cannot compare lists as their lengths differ: current values are ${a.length} and ${b.length}`,
    );
  }
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Mean and standard error of a list of Monte Carlo draws. */
export function meanAndStdErr(xs: ArrayLike<number>): { mean: number; stdErr: number } {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i] - mean) ** 2;
  return { mean, stdErr: Math.sqrt(v / (n - 1) / n) };
}
