/**
 * Registers a chapter's equation checks as Deno tests and records each result for the
 * verification report. A chapter's `NN-slug_test.ts` is two lines: import its checks, call this.
 *
 * @module
 */
import { type EquationCheck, type ReportRow, runCheck } from "../../checks/harness.ts";

const REPORT_DIR = new URL("../report/", import.meta.url);

/** Registers one `Deno.test` per check, named `label: name`, and appends its row to the report. */
export function registerChecks(chapter: string, checks: EquationCheck[]): void {
  for (const c of checks) {
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
