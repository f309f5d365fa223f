import assert from "node:assert/strict";
import { join } from "node:path";
import { BookBuildError } from "../lib/book/mod.ts";
import type { Book } from "../lib/book/mod.ts";
import { applyVerification, verificationRows, verifyMode } from "./verify_equations.ts";

/** A temporary project with one chapter file, one checks file and (optionally) a report. */
async function tempProject(report?: unknown): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "verify_" });
  for (const d of ["chapters", "engine", "checks", "tests/report"]) {
    await Deno.mkdir(join(root, d), { recursive: true });
  }
  await Deno.writeTextFile(join(root, "chapters/01-x.md"), "x");
  const harness = new URL("../checks/harness.ts", import.meta.url).href;
  await Deno.writeTextFile(
    join(root, "checks/01-x.checks.ts"),
    `import { check } from ${JSON.stringify(harness)};
export const checks = [
  check("eq:a", "exact", () => ({ maxError: 0, tolerance: 0, toleranceReason: "exact", samples: 1, seed: 5 })),
  check("eq:b", "too far", () => ({ maxError: 1, tolerance: 0.1, toleranceReason: "r", samples: 1, seed: 6 })),
];\n`,
  );
  if (report) {
    await new Promise((r) => setTimeout(r, 20)); // the report must be newer than the sources
    await Deno.writeTextFile(join(root, "tests/report/verification.json"), JSON.stringify(report));
  }
  return root;
}

const book = (): Book => ({
  chapters: [{
    file: "chapters/01-x.md",
    number: 1,
    slug: "x",
    title: "X",
    summary: "",
    parts: [],
    toc: [],
    wordCount: 0,
    exerciseCount: 0,
    equations: [],
  }],
  equations: ["eq:a", "eq:b", "eq:c"].map((label, i) => ({
    chapter: "x",
    chapterNumber: 1,
    label,
    number: `1.${i + 1}`,
    latex: "x",
    file: "chapters/01-x.md",
    line: 10 * (i + 1),
  })),
});

Deno.test("verifyMode accepts auto, report, off and names a bad value", () => {
  assert.equal(verifyMode(""), "auto");
  assert.equal(verifyMode("report"), "report");
  assert.throws(() => verifyMode("yes"), /must be auto, report or off: current value is yes/);
});

Deno.test("without a report the build runs the checks itself and caches them", async () => {
  const root = await tempProject();
  try {
    const first = await verificationRows(root, "auto");
    assert.deepEqual(first.ranNow, ["01-x"]);
    assert.deepEqual(first.rows.map((r) => [r.label, r.passed, r.seed]), [
      ["eq:a", true, 5],
      ["eq:b", false, 6],
    ]);
    assert.match(first.source, /^run by deno task build at /);
    const second = await verificationRows(root, "auto");
    assert.deepEqual(second.ranNow, [], "the second build reuses the cache");
    assert.match(second.source, /tests\/report\/build-checks\.json/);
    assert.equal(second.rows.length, 2);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a fresh test report is used; a stale one is not", async () => {
  const row = (label: string, name: string) => ({
    label,
    name,
    passed: true,
    maxError: 0,
    tolerance: 0,
    toleranceReason: "report",
    samples: 1,
    seed: 9,
  });
  const root = await tempProject({
    generated: "2026-01-01T00:00:00Z",
    rows: [row("eq:a", "exact"), row("eq:b", "too far")],
  });
  try {
    const fresh = await verificationRows(root, "auto");
    assert.deepEqual(fresh.ranNow, []);
    assert.match(fresh.source, /verification\.json \(deno task test, 2026-01-01T00:00:00Z\)/);
    assert.ok(fresh.rows.every((r) => r.seed === 9));
    await new Promise((r) => setTimeout(r, 20));
    await Deno.writeTextFile(join(root, "engine/changed.ts"), "export {};"); // newer than the report
    const stale = await verificationRows(root, "auto");
    assert.deepEqual(stale.ranNow, ["01-x"]);
    assert.equal(stale.rows.find((r) => r.label === "eq:b")?.passed, false);
    const off = await verificationRows(root, "off");
    assert.deepEqual(off.rows, []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("applyVerification: badges data on chapters; --require-verified fails with file:line", async () => {
  const root = await tempProject();
  try {
    const b = book();
    b.chapters[0].equations = b.equations;
    const counts = await applyVerification(b, { root, mode: "auto", requireVerified: false });
    assert.deepEqual([counts.verified, counts.failed, counts.unchecked], [1, 1, 1]);
    assert.equal(b.chapters[0].verification?.["eq:b"].status, "failed");
    const err = await applyVerification(book(), { root, mode: "auto", requireVerified: true })
      .then(() => undefined, (e) => e);
    assert.ok(err instanceof BookBuildError, String(err));
    assert.match(err.message, /Cannot build the book as 2 problems were found/);
    assert.match(
      err.message,
      /chapters\/01-x\.md:20:1: Equation eq:b \(1\.2\) has a failing check/,
    );
    assert.match(
      err.message,
      /chapters\/01-x\.md:30:1: Equation eq:c \(1\.3\) has no check that ran\. Fix: add check\("eq:c"/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
