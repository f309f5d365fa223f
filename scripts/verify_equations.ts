/**
 * The equation verification the build shows as badges. It takes the rows of the latest test report
 * (`tests/report/verification.json`, written by `deno task test`) when that report is newer than
 * every file it verifies (chapters/, engine/, checks/, lib/book/typeset/); any chapter whose checks are not
 * all in a fresh report has its checks run here, at build time. They are plain float64 TypeScript
 * and take about 15 s of CPU for the whole book, so a fresh clone, a Deno Deploy build or a static
 * export still shows badges backed by a real run, and a stale report never vouches for changed code.
 * What the build ran it caches in `tests/report/build-checks.json` (same freshness rule), so
 * rebuilding without changes costs nothing.
 *
 * `VERIFY_EQUATIONS=report` uses only the report (no run), `off` runs nothing (every badge then says
 * "no check ran"); the default is `auto` as above.
 *
 * @module
 */
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type EquationCheck, runCheck } from "../checks/harness.ts";
import {
  checkSteps,
  PRINTED_CHECK,
  printedChecks,
  type TypesetSpec,
} from "../checks/typeset_harness.ts";
import { typesetMessage, type TypesetResult } from "../lib/book/typeset/check_display.ts";
import { displayEquations } from "../lib/book/typeset/displays.ts";
import {
  attachVerification,
  unverifiedMessages,
  type VerificationRow,
  verifyEquations,
} from "../lib/book/verification.ts";
import { type Book, BookBuildError } from "../lib/book/mod.ts";

/** Wall and CPU milliseconds (CPU: user + system of the whole process, so load does not count). */
export interface Cost {
  wallMs: number;
  cpuMs: number;
}

/** Runs `f` and adds its wall and CPU time to `cost`. */
async function timed<T>(cost: Cost, f: () => Promise<T>): Promise<T> {
  const wall = performance.now(), cpu = process.cpuUsage();
  try {
    return await f();
  } finally {
    const used = process.cpuUsage(cpu);
    cost.wallMs += performance.now() - wall;
    cost.cpuMs += (used.user + used.system) / 1000;
  }
}

/** A cost as the build log prints it: `12.3 s (CPU 4.5 s)`. */
const seconds = (c: Cost) =>
  `${(c.wallMs / 1000).toFixed(1)} s (CPU ${(c.cpuMs / 1000).toFixed(1)} s)`;

/** How the build gets verification rows. */
export type VerifyMode = "auto" | "report" | "off";

/** Rows for the badges, and where they came from. */
export interface VerificationRows {
  rows: VerificationRow[];
  /** In words, e.g. "tests/report/verification.json (2026-12-02T05:15:00Z)". */
  source: string;
  /** Chapters whose checks ran during this build. */
  ranNow: string[];
  /** What this build spent evaluating labelled equations' printed LaTeX (0 if cached). */
  printedCost?: Cost;
}

/**
 * Reads `VERIFY_EQUATIONS`.
 *
 * @param value the variable's value
 * @returns the mode
 * @example
 * ```ts
 * import { verifyMode } from "./verify_equations.ts";
 * if (verifyMode(undefined) !== "auto" || verifyMode("off") !== "off") throw new Error("mode");
 * ```
 */
export function verifyMode(value: string | undefined): VerifyMode {
  if (value === undefined || value === "" || value === "auto") return "auto";
  if (value === "report" || value === "off") return value;
  throw new Error(
    `Cannot read VERIFY_EQUATIONS as it must be auto, report or off: current value is ${value}`,
  );
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  try {
    await Deno.stat(dir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0; // a project without that folder
    throw e;
  }
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) newest = Math.max(newest, await newestMtime(p));
    else if (e.isFile) newest = Math.max(newest, (await Deno.stat(p)).mtime?.getTime() ?? 0);
  }
  return newest;
}

/** The test report, and the build's own cache of the checks it ran (same format). */
const REPORTS = [
  { path: "tests/report/verification.json", by: "deno task test" },
  { path: "tests/report/build-checks.json", by: "deno task build" },
];

/** A report's rows when it exists and (if asked) is newer than everything it verifies. */
async function readReport(
  root: string,
  path: string,
  requireFresh: boolean,
): Promise<{ rows: VerificationRow[]; generated: string } | undefined> {
  let text: string;
  let mtime: number;
  try {
    text = await Deno.readTextFile(join(root, path));
    mtime = (await Deno.stat(join(root, path))).mtime?.getTime() ?? 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  if (requireFresh) {
    for (const dir of ["chapters", "engine", "checks", "lib/book/typeset"]) {
      if (await newestMtime(join(root, dir)) > mtime) return undefined;
    }
  }
  const report = JSON.parse(text) as { generated?: string; rows?: VerificationRow[] };
  return { rows: report.rows ?? [], generated: report.generated ?? "unknown time" };
}

/** The printed-LaTeX checks of a chapter whose checks module exports its typeset spec. */
async function printedFor(
  root: string,
  checksFile: string,
  typeset: TypesetSpec | undefined,
): Promise<EquationCheck[]> {
  if (!typeset) return [];
  const file = `chapters/${checksFile.replace(/\.checks\.ts$/, "")}.md`;
  return printedChecks(displayEquations(await Deno.readTextFile(join(root, file)), file), typeset);
}

/** The derivation steps (unlabelled displays) of every chapter whose checks export a typeset spec. */
async function typesetSteps(root: string): Promise<TypesetResult[]> {
  const out: TypesetResult[] = [];
  for (const name of await checksFiles(root)) {
    const mod = await import(new URL(`checks/${name}`, `file://${root}/`).href);
    if (!mod.typeset) continue;
    const file = `chapters/${name.replace(/\.checks\.ts$/, "")}.md`;
    out.push(
      ...checkSteps(displayEquations(await Deno.readTextFile(join(root, file)), file), mod.typeset),
    );
  }
  return out;
}

/**
 * What the build says about the printed equations: how many labelled equations and derivation
 * steps were evaluated, and each one that was not, with why.
 */
function typesetSummary(
  book: Book,
  verification: Record<string, { printed?: { evaluated: boolean; reason?: string } }>,
  steps: TypesetResult[],
): string {
  const labelled = book.equations.filter((e) => verification[e.label]?.printed?.evaluated).length;
  const stepsDone = steps.filter((r) => r.status === "evaluated").length;
  const notLabelled = book.equations.filter((e) => !verification[e.label]?.printed?.evaluated)
    .map((e) =>
      `  ${e.file}:${e.line} (${e.label}): ${
        verification[e.label]?.printed?.reason ?? "no typeset check"
      }`
    );
  const notSteps = steps.filter((r) => r.status !== "evaluated")
    .map((r) => `  ${r.file}:${r.line} (unlabelled): ${r.reason ?? r.status}`);
  return `Printed equations evaluated: ${labelled}/${book.equations.length} labelled, ` +
    `${stepsDone}/${steps.length} derivation steps of the chapters with a typeset spec` +
    (notLabelled.length + notSteps.length > 0
      ? `; not evaluated:\n${[...notLabelled, ...notSteps].join("\n")}`
      : "");
}

/** `NN-slug.checks.ts` files, sorted. */
async function checksFiles(root: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(join(root, "checks"))) {
    if (e.isFile && e.name.endsWith(".checks.ts")) names.push(e.name);
  }
  return names.sort();
}

/**
 * The rows for the badges, from a fresh report or a run now (see the module doc).
 *
 * @param root project root
 * @param mode `auto`, `report` or `off`
 * @returns the rows and their source
 */
export async function verificationRows(root: string, mode: VerifyMode): Promise<VerificationRows> {
  if (mode === "off") {
    return { rows: [], source: "not run in this build (VERIFY_EQUATIONS=off)", ranNow: [] };
  }
  const rows: VerificationRow[] = [];
  const parts: string[] = [];
  const has = (c: EquationCheck) => rows.some((r) => r.label === c.label && r.name === c.name);
  for (const { path, by } of REPORTS) {
    const report = await readReport(root, path, mode === "auto");
    const fresh = report?.rows.filter((r) =>
      !rows.some((o) => o.label === r.label && o.name === r.name)
    ) ?? [];
    if (fresh.length === 0) continue;
    rows.push(...fresh);
    parts.push(`${path} (${by}, ${report!.generated})`);
  }
  const ranNow: string[] = [];
  const printedCost: Cost = { wallMs: 0, cpuMs: 0 };
  if (mode === "auto") {
    for (const name of await checksFiles(root)) {
      const url = new URL(`checks/${name}`, `file://${root}/`).href;
      const mod = await import(url);
      const checks = [
        ...mod.checks as EquationCheck[],
        ...await printedFor(root, name, mod.typeset),
      ];
      if (checks.every(has)) continue;
      ranNow.push(name.replace(/\.checks\.ts$/, ""));
      for (const c of checks) {
        const r = c.name === PRINTED_CHECK
          ? await timed(printedCost, () => runCheck(c))
          : await runCheck(c);
        rows.push({
          ...r,
          maxError: Number.isFinite(r.maxError) ? r.maxError : String(r.maxError),
        });
      }
    }
  }
  if (ranNow.length > 0) {
    const generated = new Date().toISOString();
    parts.push(`run by deno task build at ${generated} (${ranNow.join(", ")})`);
    // cache them, so the next build reuses them until a chapter, the engine or a check changes
    const cache = join(root, REPORTS[1].path);
    await Deno.mkdir(join(cache, ".."), { recursive: true });
    const tmp = `${cache}.${Deno.pid}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify({ generated, rows }, null, 1) + "\n");
    await Deno.rename(tmp, cache);
  }
  return { rows, source: parts.join("; ") || "no report found", ranNow, printedCost };
}

/**
 * Puts each equation's verification on its chapter, for the badges. With `requireVerified` (the
 * build's `--require-verified` flag or `REQUIRE_VERIFIED=1`) an equation without a passing check
 * throws a {@link BookBuildError} naming its file:line instead.
 *
 * @param book the rendered book (changed in place)
 * @param opts project root, mode, and whether every equation must be verified
 * @returns how many equations are verified, failed and unchecked, and the rows' source
 */
export async function applyVerification(
  book: Book,
  opts: { root: string; mode: VerifyMode; requireVerified: boolean },
): Promise<{ verified: number; failed: number; unchecked: number; source: string }> {
  const { rows, source, printedCost } = await verificationRows(opts.root, opts.mode);
  const verification = verifyEquations(book.equations, rows, source);
  const stepsCost: Cost = { wallMs: 0, cpuMs: 0 };
  const steps = opts.mode === "off" ? [] : await timed(stepsCost, () => typesetSteps(opts.root));
  if (opts.mode !== "off") {
    console.log(typesetSummary(book, verification, steps));
    // what evaluating the printed LaTeX costs: the labelled equations' checks are cached between
    // builds with the engine checks, the derivation steps run every build
    const labelled = printedCost?.wallMs ? seconds(printedCost) : "cached";
    console.log(
      `Printed LaTeX evaluation: labelled equations ${labelled}, derivation steps ${
        seconds(stepsCost)
      }`,
    );
  }
  if (opts.requireVerified) {
    const problems = unverifiedMessages(book.equations, verification);
    for (const r of steps.filter((r) => r.status === "failed" || r.status === "error")) {
      problems.push({
        file: r.file,
        line: r.line,
        column: 1,
        ruleId: r.error?.rule ?? "typeset-mismatch",
        reason: typesetMessage(r).replace(/^\S+ /, ""),
      });
    }
    if (problems.length > 0) throw new BookBuildError(problems);
  }
  attachVerification(book, verification);
  const count = (s: string) => Object.values(verification).filter((v) => v.status === s).length;
  return {
    verified: count("verified"),
    failed: count("failed"),
    unchecked: count("unchecked"),
    source,
  };
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");
  const { rows, source } = await verificationRows(
    root,
    verifyMode(Deno.env.get("VERIFY_EQUATIONS")),
  );
  const failed = rows.filter((r) => !r.passed).length;
  console.log(`${rows.length} checks, ${failed} failed; source: ${source}`);
}
