/**
 * Every build error a contributor can cause, caused for real in a temporary book: each message
 * names file:line:column and its rule, and the line under it says how to fix it (FIX_HINTS).
 */
import assert from "node:assert/strict";
import { BookBuildError, FIX_HINTS } from "./errors.ts";
import { buildTemp, chapter } from "./testdata/temp_book.ts";
import { unverifiedMessages, verifyEquations } from "./verification.ts";

/** Broken books, one per rule: the files, and where the problem must be reported. */
const CASES: Record<string, { files: Record<string, string>; at: RegExp }> = {
  "chapter-file-name": {
    files: { "chapters/1-bad.md": chapter("x\n") },
    at: /chapters\/1-bad\.md:1:1/,
  },
  "chapter-number-unique": {
    files: { "chapters/01-a.md": chapter("x\n"), "chapters/01-b.md": chapter("y\n") },
    at: /chapters\/01-b\.md:1:1/,
  },
  "chapter-slug-unique": {
    files: { "chapters/01-a.md": chapter("x\n"), "chapters/02-a.md": chapter("y\n") },
    at: /chapters\/02-a\.md:1:1/,
  },
  "front-matter-schema": {
    files: { "chapters/01-a.md": "---\nsummary: S\n---\n\nText.\n" },
    at: /chapters\/01-a\.md:1:1/,
  },
  "eq-label-syntax": {
    files: { "chapters/01-a.md": chapter("$$ {#eq:Bad}\nx\n$$\n") },
    at: /chapters\/01-a\.md:6:1/,
  },
  "eq-label-unique": {
    files: { "chapters/01-a.md": chapter("$$ {#eq:a}\nx\n$$\n\n$$ {#eq:a}\ny\n$$\n") },
    at: /chapters\/01-a\.md:10:1/,
  },
  "eq-ref-missing": {
    files: { "chapters/01-a.md": chapter("See [](#eq:gone).\n") },
    at: /chapters\/01-a\.md:6:5/,
  },
  "directive-unknown": {
    files: { "chapters/01-a.md": chapter("::nope{x=1}\n") },
    at: /chapters\/01-a\.md:6:1/,
  },
  "directive-misuse": {
    files: { "chapters/01-a.md": chapter(":::solution\nS\n:::\n") },
    at: /chapters\/01-a\.md:6:1/,
  },
  "code-excerpt": {
    files: { "chapters/01-a.md": chapter('::code{src="engine/nope.ts" symbol="x"}\n') },
    at: /chapters\/01-a\.md:6:1/,
  },
  "code-lang": {
    files: { "chapters/01-a.md": chapter("```nosuchlang\nx\n```\n") },
    at: /chapters\/01-a\.md:6:1/,
  },
  "island-unknown": {
    files: { "chapters/01-a.md": chapter('::island{name="Nope"}\n') },
    at: /chapters\/01-a\.md:6:1/,
  },
  "island-placement": {
    files: { "chapters/01-a.md": chapter(':::note\n::island{name="Planned"}\n:::\n') },
    at: /chapters\/01-a\.md:7:1/,
  },
  "island-props": {
    files: { "chapters/01-a.md": chapter('::island{name="Demo" dataset="ring" bogus="1"}\n') },
    at: /chapters\/01-a\.md:6:1/,
  },
  "katex-error": {
    files: { "chapters/01-a.md": chapter("$$\n\\frac{a}{\n$$\n") },
    at: /chapters\/01-a\.md:\d+:\d+/,
  },
  "no-raw-html": {
    files: { "chapters/01-a.md": chapter("a<br>b\n") },
    at: /chapters\/01-a\.md:6:2/,
  },
  "unsafe-url": {
    files: { "chapters/01-a.md": chapter("[x](javascript:alert(1))\n") },
    at: /chapters\/01-a\.md:6:1/,
  },
  "offsite-resource": {
    files: { "chapters/01-a.md": chapter("![](https://ok.example/x.png)\n") },
    at: /chapters\/01-a\.md:6:1/,
  },
  "math-size": { // 2 MB of LaTeX: fails in well under a second, not after ten minutes
    files: { "chapters/01-a.md": chapter(`$$\n${"x+".repeat(1_000_000)}1\n$$\n`) },
    at: /chapters\/01-a\.md:6:1/,
  },
  "math-depth": {
    files: {
      "chapters/01-a.md": chapter(`$$\n${"\\underbrace{".repeat(30)}x${"}".repeat(30)}\n$$\n`),
    },
    at: /chapters\/01-a\.md:6:1/,
  },
  "math-unclosed": { // a line inside $…$ that starts with "- " makes a list
    files: { "chapters/01-a.md": chapter("so $a + b\n- c$ holds\n") },
    at: /chapters\/01-a\.md:6:1/,
  },
  "math-html-size": {
    files: { "chapters/01-a.md": chapter(`$$\n${"\\widehat{xyz}".repeat(300)}\n$$\n`) },
    at: /chapters\/01-a\.md:6:1/,
  },
  "stack-overflow": { // 2800 nested quotes overflow hast-util-to-html's recursion (2400 do)
    files: { "chapters/01-a.md": chapter(`${"> ".repeat(2800)}x\n`) },
    at: /chapters\/01-a\.md:6:5601/,
  },
};

/** Rules whose broken chapter needs a limit lowered: math_limits_test.ts causes them. */
const CAUSED_ELSEWHERE = ["eq-verified", "math-time"];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

Deno.test("every rule with a fix hint has a case here, and every case a hint", () => {
  assert.deepEqual(
    Object.keys(CASES).sort(),
    Object.keys(FIX_HINTS).filter((r) => !CAUSED_ELSEWHERE.includes(r)).sort(),
  );
});

for (const [rule, { files, at }] of Object.entries(CASES)) {
  Deno.test(`build error [${rule}]: file:line, the rule, and how to fix it`, async () => {
    const { message, errors } = await buildTemp(files);
    assert.ok(errors.some((e) => e.ruleId === rule), `no ${rule} in:\n${message}`);
    assert.match(
      message,
      new RegExp(`${at.source}: [^\\n]+ \\[${rule}\\]\\n  fix: ${escape(FIX_HINTS[rule])}`),
    );
  });
}

Deno.test("build error [eq-verified] (--require-verified) carries its own fix", () => {
  const eq = {
    chapter: "a",
    chapterNumber: 1,
    label: "eq:a",
    number: "1.1",
    latex: "x",
    file: "chapters/01-a.md",
    line: 6,
  };
  const message = new BookBuildError(unverifiedMessages([eq], verifyEquations([eq], [], "t")))
    .message;
  assert.match(message, /chapters\/01-a\.md:6:1: .* Fix: add check\("eq:a".* \[eq-verified\]$/);
  assert.ok(!message.includes("\n  fix:"), "the reason's own Fix: is not repeated");
});

Deno.test("every rule id the pipeline reports has a fix hint", async () => {
  const rules = new Set<string>();
  for (const entry of Deno.readDirSync(new URL("./", import.meta.url))) {
    if (!entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    const source = await Deno.readTextFile(new URL(entry.name, import.meta.url));
    for (
      const m of source.matchAll(
        /ruleId: "([a-z-]+)"|RULE = "([a-z-]+)"|fail\(\s*\w+,\s*"([a-z-]+)"/g,
      )
    ) {
      rules.add(m[1] ?? m[2] ?? m[3]);
    }
    for (const m of source.matchAll(/\breport\(/g)) {
      const call = source.slice(m.index, source.indexOf(");", m.index));
      const last = [...call.matchAll(/"([a-z]+(?:-[a-z]+)+)"/g)].at(-1);
      if (last && !source.slice(m.index - 20, m.index).includes("function")) rules.add(last[1]);
    }
  }
  rules.delete("r"); // doc examples
  const missing = [...rules].filter((r) => !(r in FIX_HINTS));
  assert.deepEqual(missing, [], `rule ids without a fix hint in lib/book/errors.ts: ${missing}`);
  assert.ok(rules.size >= 15, `found only ${[...rules]}`);
});
