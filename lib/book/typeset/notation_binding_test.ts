import assert from "node:assert/strict";
import { notationBinding } from "./notation_binding.ts";
import { notationSymbols } from "./notation_symbols.ts";

/** The notation chapter, found by its slug "notation" (its number may change). */
async function notationChapter(): Promise<{ file: string; text: string }> {
  const dir = new URL("../../../chapters/", import.meta.url);
  for await (const e of Deno.readDir(dir)) {
    if (/^\d\d-notation\.md$/.test(e.name)) {
      return { file: `chapters/${e.name}`, text: await Deno.readTextFile(new URL(e.name, dir)) };
    }
  }
  throw new Error("Cannot find the notation chapter as no chapters/NN-notation.md exists");
}

Deno.test("every symbol the notation chapter lists has a binding, and every binding is listed", async () => {
  const { file, text } = await notationChapter();
  const listed = notationSymbols(text);
  const missing = listed.filter((s) => !notationBinding[s.name])
    .map((s) => `${file}:${s.line}: $${s.latex}$ (${s.name}) has no entry in notation_binding.ts`);
  assert.deepEqual(missing, [], "bind each symbol (or bind it as `unbound` with the reason)");
  const names = new Set(listed.map((s) => s.name));
  const orphans = Object.entries(notationBinding).filter(([name]) => !names.has(name))
    .map(([name, b]) =>
      `notation_binding.ts binds ${name} ($${b.latex}$), which ${file} does not list`
    );
  assert.deepEqual(orphans, [], "list the symbol in the notation chapter, or remove its binding");
});

Deno.test("drift is caught both ways", () => {
  const page = "| s | m |\n|---|---|\n| $\\beta_t$ | x |\n| $\\zeta$ | y |\n";
  const listed = notationSymbols(page).map((s) => s.name);
  assert.equal(listed.length, 2);
  assert.ok(notationBinding[listed[0]], "beta is bound");
  assert.equal(
    notationBinding[listed[1]],
    undefined,
    "zeta is listed but not bound: the test above would fail",
  );
});
