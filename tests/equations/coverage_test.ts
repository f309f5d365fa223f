/**
 * Coverage of the equation checks: every labelled equation in `chapters/` has at least one check in
 * `checks/*.checks.ts`, every check names a label some chapter defines, and every `eq:`
 * label cited in a JSDoc comment under `engine/` exists in the book (the engine's "Defined in").
 * The checks are imported, not run (`NN-slug_test.ts` runs them).
 *
 * @module
 */
import assert from "node:assert/strict";
import { relative } from "node:path";
import {
  type Book,
  type EquationEntry,
  type FigureSpec,
  type IslandSpec,
  loadBook,
} from "../../lib/book/mod.ts";
import type { EquationCheck } from "../../checks/harness.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const CHECKS_DIR = `${ROOT}/checks`;
const ENGINE_DIR = `${ROOT}/engine`;
const LABEL = /\beq:[a-z0-9][a-z0-9-]*[a-z0-9]|\beq:[a-z0-9]\b/g;

/** The real islands registry when there is one, else one that accepts every island as written. */
async function islandsRegistry(): Promise<Record<string, IslandSpec>> {
  try {
    await Deno.stat(`${ROOT}/lib/site/demos.ts`);
  } catch {
    return await permissiveRegistry();
  }
  const mod = await import("../../lib/site/demos.ts");
  return mod.demos as Record<string, IslandSpec>;
}

/** Every `::island{...}` in the chapters, each attribute a string prop. */
async function permissiveRegistry(): Promise<Record<string, IslandSpec>> {
  const registry: Record<string, IslandSpec> = {};
  for await (const entry of Deno.readDir(`${ROOT}/chapters`)) {
    if (!entry.name.endsWith(".md")) continue;
    const text = await Deno.readTextFile(`${ROOT}/chapters/${entry.name}`);
    for (const [, attrs] of text.matchAll(/^::island\{([^}]*)\}/gm)) {
      const pairs = [...attrs.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]);
      const name = pairs.find(([k]) => k === "name")?.[1] ?? "";
      registry[name] ??= { name, status: "planned", props: {} };
      for (const [k] of pairs) {
        if (k !== "name") registry[name].props[k] = { type: "string" };
      }
    }
  }
  return registry;
}

/** The figures registry with every exhibit undrawn: labels need no drawing. */
async function figuresRegistry(): Promise<Record<string, FigureSpec>> {
  const { undrawnFigures } = await import("../../lib/figures/undrawn.ts");
  return undrawnFigures();
}

let bookPromise: Promise<Book> | undefined;
function book(): Promise<Book> {
  bookPromise ??= Promise.all([islandsRegistry(), figuresRegistry()]).then(([islands, figures]) =>
    loadBook({ chaptersDir: `${ROOT}/chapters`, root: ROOT, islands, figures })
  );
  return bookPromise;
}

/** Every check, with the checks file it came from. */
async function allChecks(): Promise<{ file: string; check: EquationCheck }[]> {
  const out: { file: string; check: EquationCheck }[] = [];
  const names: string[] = [];
  for await (const entry of Deno.readDir(CHECKS_DIR)) {
    if (entry.isFile && entry.name.endsWith(".checks.ts")) names.push(entry.name);
  }
  for (const name of names.sort()) {
    const mod = await import(`../../checks/${name}`);
    const checks = mod.checks as EquationCheck[] | undefined;
    assert.ok(
      Array.isArray(checks),
      `checks/${name} must export \`checks: EquationCheck[]\`: current value is ${typeof checks}`,
    );
    for (const check of checks) out.push({ file: `checks/${name}`, check });
  }
  return out;
}

/** Fails with one line per problem, or passes when there are none. */
function assertNone(problems: string[], what: string): void {
  if (problems.length > 0) {
    assert.fail(`${problems.length} ${what}:\n${problems.join("\n")}`);
  }
}

/** One line per labelled equation that no check names. */
export function uncheckedEquations(equations: EquationEntry[], checkLabels: Set<string>): string[] {
  return equations.filter((e) => !checkLabels.has(e.label)).map((e) =>
    `Equation ${e.label} (${e.file}:${e.line}) has no check in checks/`
  );
}

/** One line per check whose label no chapter defines. */
export function orphanChecks(
  labels: Set<string>,
  checks: { file: string; check: EquationCheck }[],
): string[] {
  return checks.filter(({ check }) => !labels.has(check.label)).map(({ file, check }) =>
    `Check "${check.name}" in ${file} names ${check.label}, which no chapter defines`
  );
}

/** One line per `eq:` label cited in a JSDoc comment of `source` that is not in `labels`. */
export function missingCitations(file: string, source: string, labels: Set<string>): string[] {
  const problems: string[] = [];
  for (const doc of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    for (const cite of doc[0].matchAll(LABEL)) {
      if (labels.has(cite[0])) continue;
      const line = source.slice(0, doc.index! + cite.index!).split("\n").length;
      problems.push(`${file}:${line} cites ${cite[0]}, which no chapter defines`);
    }
  }
  return problems;
}

Deno.test("every labelled equation in chapters/ has a check in checks/", async () => {
  const { equations } = await book();
  const checked = new Set((await allChecks()).map(({ check }) => check.label));
  assertNone(uncheckedEquations(equations, checked), "labelled equations have no check");
});

Deno.test("every check names a label that some chapter defines", async () => {
  const labels = new Set((await book()).equations.map((e) => e.label));
  assertNone(orphanChecks(labels, await allChecks()), "checks name labels that no chapter defines");
});

Deno.test("every eq: label cited in engine/ JSDoc exists in the book", async () => {
  const labels = new Set((await book()).equations.map((e) => e.label));
  const problems: string[] = [];
  let cited = 0;
  for (const path of await tsFiles(ENGINE_DIR)) {
    const source = await Deno.readTextFile(path);
    cited += missingCitations("", source, new Set()).length;
    problems.push(...missingCitations(relative(ROOT, path), source, labels));
  }
  assertNone(problems, "equation labels cited in engine/ do not exist");
  assert.ok(cited > 0, "engine/ cites no equation label at all: expected JSDoc to cite eq:...");
});

Deno.test("coverage messages name the label, the file and the line", () => {
  const entry = (label: string, line: number): EquationEntry => ({
    chapter: "x",
    chapterNumber: 1,
    label,
    number: "1.1",
    latex: "a",
    file: "chapters/01-x.md",
    line,
  });
  assert.deepEqual(uncheckedEquations([entry("eq:a", 3), entry("eq:foo", 40)], new Set(["eq:a"])), [
    "Equation eq:foo (chapters/01-x.md:40) has no check in checks/",
  ]);
  const run = () => ({ maxError: 0, tolerance: 0, toleranceReason: "", samples: 1, seed: 0 });
  assert.deepEqual(
    orphanChecks(new Set(["eq:a"]), [
      { file: "checks/01-x.checks.ts", check: { label: "eq:a", name: "ok", run } },
      {
        file: "checks/01-x.checks.ts",
        check: { label: "eq:gone", name: "two routes", run },
      },
    ]),
    ['Check "two routes" in checks/01-x.checks.ts names eq:gone, which no chapter defines'],
  );
  const source = "// eq:not-jsdoc\n/**\n * Implements `eq:a` and\n * eq:missing-one.\n */\n";
  assert.deepEqual(missingCitations("engine/x.ts", source, new Set(["eq:a"])), [
    "engine/x.ts:4 cites eq:missing-one, which no chapter defines",
  ]);
});

async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...await tsFiles(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) out.push(path);
  }
  return out.sort();
}
