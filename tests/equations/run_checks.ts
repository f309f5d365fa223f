/**
 * Registers a chapter's equation checks as Deno tests and records each result for the
 * verification report. A chapter's `NN-slug_test.ts` is two lines: import its checks, call this.
 *
 * @module
 */
import { type EquationCheck, type ReportRow, runCheck } from "../../checks/harness.ts";
import { checkSteps, printedChecks, type TypesetSpec } from "../../checks/typeset_harness.ts";
import { displayEquations } from "../../lib/book/typeset/displays.ts";
import { typesetMessage } from "../../lib/book/typeset/check_display.ts";

const REPORT_DIR = new URL("../report/", import.meta.url);

/**
 * Registers one `Deno.test` per check, named `label: name`, and appends its row to the report.
 * With the chapter's typeset spec it also registers the printed-LaTeX check of every labelled
 * equation and one test for the chapter's derivation steps (its unlabelled displays).
 */
export function registerChecks(
  chapter: string,
  checks: EquationCheck[],
  typeset?: TypesetSpec,
): void {
  const all = [...checks];
  if (typeset) {
    const file = `chapters/${chapter}.md`;
    const displays = displayEquations(
      Deno.readTextFileSync(new URL(`../../${file}`, import.meta.url)),
      file,
    );
    all.push(...printedChecks(displays, typeset));
    Deno.test(`${chapter}: every derivation step is evaluated or marked`, () => {
      const bad = checkSteps(displays, typeset).filter((r) =>
        r.status === "failed" || r.status === "error"
      );
      if (bad.length > 0) throw new Error(bad.map(typesetMessage).join("\n"));
    });
  }
  for (const c of all) {
    Deno.test(`${c.label}: ${c.name}`, async () => {
      const row = await runCheck(c);
      await appendRow(chapter, row);
      if (!row.passed) {
        throw new Error(
          `Equation check ${c.label} (${c.name}) failed: max error ${row.maxError} > tolerance ${row.tolerance} (${row.toleranceReason}), seed ${row.seed}`,
        );
      }
    });
  }
}

async function appendRow(chapter: string, row: ReportRow): Promise<void> {
  await Deno.mkdir(REPORT_DIR, { recursive: true });
  const line = JSON.stringify({ chapter, ...row, maxError: finite(row.maxError) }) + "\n";
  await Deno.writeTextFile(new URL("verification.jsonl", REPORT_DIR), line, { append: true });
}

function finite(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}
