/**
 * The verification report, per equation: which numeric checks ran for each labelled equation and
 * whether they passed. The build turns report rows (`tests/report/verification.json`, or a run of
 * the checks at build time) into one {@link EquationVerification} per label, and a small badge beside
 * each equation number shows it ({@link badgeHtml}). With `--require-verified` an equation without
 * a passing check is a build error ({@link unverifiedMessages}).
 *
 * @module
 */
import type { Book, BookMessage, EquationEntry } from "./types.ts";

/** One check's row as the report stores it (a subset of checks/harness.ts's ReportRow). */
export interface VerificationRow {
  label: string;
  name: string;
  passed: boolean;
  /** A number, or "Infinity"/"NaN" as a string (JSON has no infinities). */
  maxError: number | string;
  tolerance: number;
  toleranceReason: string;
  seed: number;
  samples: number;
  /** True for the check that evaluated the equation's printed LaTeX (checks/typeset_harness.ts). */
  printed?: boolean;
}

/** Whether the printed LaTeX of an equation was evaluated, and how it went. */
export interface PrintedEvaluation {
  evaluated: boolean;
  /** Comparisons made (points × relations), when evaluated. */
  samples?: number;
  maxError?: number | string;
  tolerance?: number;
  /** Why it was not evaluated (the author's `.unevaluated` reason, or "no typeset check ran"). */
  reason?: string;
}

/** What is known about one labelled equation. */
export interface EquationVerification {
  label: string;
  /** `verified`: every check passed; `failed`: some check failed; `unchecked`: none ran. */
  status: "verified" | "failed" | "unchecked";
  checks: VerificationRow[];
  /** Where the results came from, in words (e.g. "tests/report/verification.json"). */
  source: string;
  /** The printed LaTeX's evaluation; only an evaluated one earns the full ✓ mark. */
  printed?: PrintedEvaluation;
}

/**
 * Groups report rows by equation label.
 *
 * @param equations every labelled equation of the book
 * @param rows the report's rows
 * @param source where the rows came from, in words
 * @returns one entry per equation label
 * @example
 * ```ts
 * import { verifyEquations } from "./verification.ts";
 * const eq = { label: "eq:a", chapter: "x", chapterNumber: 1, number: "1.1", latex: "a",
 *   file: "chapters/01-x.md", line: 3 };
 * const row = { label: "eq:a", name: "two routes", passed: true, maxError: 1e-15,
 *   tolerance: 1e-12, toleranceReason: "round-off", seed: 7, samples: 10 };
 * const v = verifyEquations([eq, { ...eq, label: "eq:b" }], [row], "test");
 * if (v["eq:a"].status !== "verified" || v["eq:b"].status !== "unchecked") throw new Error("wrong");
 * ```
 */
export function verifyEquations(
  equations: EquationEntry[],
  rows: VerificationRow[],
  source: string,
): Record<string, EquationVerification> {
  const out: Record<string, EquationVerification> = {};
  for (const e of equations) {
    const checks = rows.filter((r) => r.label === e.label);
    const status = checks.length === 0
      ? "unchecked"
      : checks.every((c) => c.passed)
      ? "verified"
      : "failed";
    const p = checks.find((c) => c.printed && c.passed);
    const printed: PrintedEvaluation = p
      ? { evaluated: true, samples: p.samples, maxError: p.maxError, tolerance: p.tolerance }
      : {
        evaluated: false,
        reason: e.unevaluated ??
          (checks.some((c) => c.printed)
            ? "its typeset check failed"
            : "no typeset check ran for this equation"),
      };
    out[e.label] = { label: e.label, status, checks, source, printed };
  }
  return out;
}

/**
 * The build errors for `--require-verified`: one per equation whose checks did not all pass,
 * at the equation's `file:line`, rule `eq-verified`, with how to fix it.
 *
 * @param equations every labelled equation
 * @param verification the result of {@link verifyEquations}
 * @returns the messages (empty when every equation is verified)
 * @example
 * ```ts
 * import { unverifiedMessages } from "./verification.ts";
 * const eq = { label: "eq:a", chapter: "01-x", chapterNumber: 1, number: "1.1", latex: "a",
 *   file: "chapters/01-x.md", line: 3 };
 * const [m] = unverifiedMessages([eq], {
 *   "eq:a": { label: "eq:a", status: "unchecked", checks: [], source: "test" },
 * });
 * if (m.line !== 3 || m.ruleId !== "eq-verified" || !m.reason.includes("Fix:")) {
 *   throw new Error(m.reason);
 * }
 * ```
 */
export function unverifiedMessages(
  equations: EquationEntry[],
  verification: Record<string, EquationVerification>,
): BookMessage[] {
  const out: BookMessage[] = [];
  for (const e of equations) {
    const v = verification[e.label];
    if (v?.status === "verified") continue;
    const name = e.file.replace(/^.*\//, "").replace(/\.md$/, ""); // NN-slug
    const checksFile = `checks/${name}.checks.ts`;
    const reason = v?.status === "failed"
      ? `Equation ${e.label} (${e.number}) has a failing check: ${
        v.checks.filter((c) => !c.passed).map((c) =>
          // a check that threw (the printed LaTeX's disagreement, with its point and rule) says why
          c.toleranceReason.startsWith("threw: ")
            ? `"${c.name}" ${c.toleranceReason}`
            : `"${c.name}" max error ${c.maxError} > tolerance ${c.tolerance}`
        ).join("; ")
      }. Fix: run \`deno task test chapters/${name.slice(0, 2)}\` and fix the engine or ` +
        `the check in ${checksFile}`
      : `Equation ${e.label} (${e.number}) has no check that ran. Fix: add ` +
        `check("${e.label}", "...", () => ({ maxError, tolerance, ... })) to ${checksFile} ` +
        `(see CONTRIBUTING.md), or build without --require-verified`;
    out.push({ file: e.file, line: e.line, column: 1, ruleId: "eq-verified", reason });
  }
  return out;
}

/**
 * Adds each equation's verification to its chapter (`chapter.verification`), so the page can show
 * a badge beside every equation number.
 *
 * @param book the rendered book (changed in place)
 * @param verification the result of {@link verifyEquations}
 * @returns the same book
 * @example
 * ```ts
 * import { attachVerification, type EquationVerification } from "./verification.ts";
 * const book = { chapters: [{ slug: "01-x", equations: [{ label: "eq:a" }] }], equations: [] };
 * const v: Record<string, EquationVerification> = {
 *   "eq:a": { label: "eq:a", status: "unchecked", checks: [], source: "t" },
 * };
 * // deno-lint-ignore no-explicit-any
 * attachVerification(book as any, v);
 * // deno-lint-ignore no-explicit-any
 * if ((book.chapters[0] as any).verification["eq:a"].status !== "unchecked") throw new Error();
 * ```
 */
export function attachVerification(
  book: Book,
  verification: Record<string, EquationVerification>,
): Book {
  for (const chapter of book.chapters) {
    chapter.verification = Object.fromEntries(
      chapter.equations.map((e) => [e.label, verification[e.label]]).filter(([, v]) => v),
    );
  }
  return book;
}
