import assert from "node:assert/strict";
import { extractSymbol } from "./extract_symbol.ts";

Deno.test("extractSymbol: each declaration kind, to its closing brace or semicolon", () => {
  const src = [
    "/** A. */",
    "export const T = 100;",
    "export type Kind =",
    '  | "linear"',
    '  | "cosine";',
    "export interface Schedule {",
    "  betas: Float64Array; // } in a comment",
    "}",
    "export type Pair = { a: number } & {",
    "  b: number;",
    "};",
    "export async function* walk(re = /[{]/g): AsyncGenerator<number> {",
    "  const s = `${'}'} {`; /* } */",
    "  yield 1;",
    "}",
    "export class Model {",
    "  f() { return { x: 1 }; }",
    "}",
    "export const table = {",
    "  a: 1,",
    "} as const;",
    "export const g = (x: number) => x + 1;",
  ].join("\n");
  const lines = (name: string) => {
    const e = extractSymbol(src, name);
    return e && [e.startLine, e.endLine];
  };
  assert.deepEqual(lines("T"), [2, 2]);
  assert.deepEqual(lines("Kind"), [3, 5]);
  assert.deepEqual(lines("Schedule"), [6, 8]);
  assert.deepEqual(lines("Pair"), [9, 11]);
  assert.deepEqual(lines("walk"), [12, 15]);
  assert.deepEqual(lines("Model"), [16, 18]);
  assert.deepEqual(lines("table"), [19, 21]);
  assert.deepEqual(lines("g"), [22, 22]);
  assert.equal(extractSymbol(src, "Sched"), undefined, "whole names only");
  assert.equal(extractSymbol("const hidden = 1;", "hidden"), undefined, "exports only");
});

Deno.test("extractSymbol: every exported function in engine/ ends at a line that closes it", async () => {
  const dir = new URL("../../engine/", import.meta.url);
  let checked = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    const source = await Deno.readTextFile(new URL(entry.name, dir));
    for (const m of source.matchAll(/^export (?:async )?function\*? (\w+)/gm)) {
      const e = extractSymbol(source, m[1]);
      assert.ok(e, m[1]);
      const last = source.split("\n")[e.endLine - 1];
      // deno fmt puts a top-level function's closing brace alone at column 1
      assert.equal(last, "}", `${entry.name} ${m[1]} ends at line ${e.endLine}: ${last}`);
      checked++;
    }
  }
  assert.ok(checked > 10, `checked ${checked} functions`);
});
