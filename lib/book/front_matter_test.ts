import assert from "node:assert/strict";
import { buildErrors } from "./testdata/temp_book.ts";

const one = async (text: string) => {
  const errors = await buildErrors({ "chapters/01-a.md": text });
  assert.equal(errors.length, 1, errors.map((e) => e.reason).join("\n"));
  assert.equal(errors[0].ruleId, "front-matter-schema");
  return errors[0];
};

Deno.test("error: missing title [front-matter-schema] at the front matter", async () => {
  const e = await one("---\nsummary: S\n---\n\nText.\n");
  assert.equal(`${e.file}:${e.line}`, "chapters/01-a.md:1");
  assert.match(e.reason, /Missing front matter key "title"/);
});

Deno.test("error: no front matter at all reports title and summary", async () => {
  const errors = await buildErrors({ "chapters/01-a.md": "Just text.\n" });
  assert.deepEqual(errors.map((e) => [e.line, e.ruleId, /"(\w+)"/.exec(e.reason)?.[1]]), [
    [1, "front-matter-schema", "title"],
    [1, "front-matter-schema", "summary"],
  ]);
});

Deno.test("error: wrong type [front-matter-schema] at the key's line", async () => {
  const e = await one("---\ntitle: T\nsummary: S\nquestion: 42\n---\n");
  assert.equal(`${e.line}:${e.column}`, "4:1");
  assert.match(e.reason, /"question" as it must be a non-empty string: current value is 42/);
});

Deno.test("error: a list where a string belongs [front-matter-schema]", async () => {
  const e = await one("---\ntitle:\n  - a\n  - b\nsummary: S\n---\n");
  assert.equal(e.line, 2);
  assert.match(e.reason, /"title".*\["a","b"\]/);
});

Deno.test("error: unknown key [front-matter-schema] at the key's line", async () => {
  const e = await one("---\ntitle: T\nsummary: S\n\nauthor: me\n---\n");
  assert.equal(`${e.file}:${e.line}:${e.column}`, "chapters/01-a.md:5:1");
  assert.match(
    e.reason,
    /Unknown front matter key "author": allowed keys are title, summary, question/,
  );
});

Deno.test("error: invalid YAML [front-matter-schema]", async () => {
  const errors = await buildErrors({ "chapters/01-a.md": "---\ntitle: T\nsummary: [S\n---\n" });
  assert.ok(errors.some((e) => e.ruleId === "front-matter-schema" && /YAML/.test(e.reason)));
});

Deno.test("error: a number or an empty string as the title [front-matter-schema] at its line", async () => {
  const number = await one("---\nsummary: S\ntitle: 42\n---\n");
  assert.equal(`${number.file}:${number.line}`, "chapters/01-a.md:3");
  assert.match(number.reason, /"title" as it must be a non-empty string: current value is 42/);
  const empty = await one('---\ntitle: "  "\nsummary: S\n---\n');
  assert.equal(empty.line, 2);
  assert.match(empty.reason, /"title" .* current value is " {2}"/);
  const boolean = await one("---\ntitle: T\nsummary: yes\nquestion: true\n---\n");
  assert.equal(boolean.line, 4);
});

Deno.test("error: a key given twice [front-matter-schema] at the second one", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": "---\ntitle: A\nsummary: S\ntitle: B\n---\n",
  });
  assert.ok(errors.length >= 1);
  assert.equal(errors[0].ruleId, "front-matter-schema");
  assert.equal(`${errors[0].file}:${errors[0].line}`, "chapters/01-a.md:4");
  assert.match(errors[0].reason, /unique|duplicate/i);
});

Deno.test("error: YAML alias bombs are refused quickly, not expanded", async () => {
  const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 12; i++) {
    const prev = String.fromCharCode(96 + i);
    const next = String.fromCharCode(97 + i);
    lines.push(`${next}: &${next} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`);
  }
  // 10 * 6^11 (3.6e9) strings if expanded; `question` points at the top of the bomb
  const text = `---\ntitle: T\nsummary: S\n${lines.join("\n")}\nquestion: *l\n---\n`;
  const start = performance.now();
  const errors = await buildErrors({ "chapters/01-a.md": text });
  const ms = performance.now() - start;
  assert.ok(ms < 5000, `took ${ms} ms`);
  assert.ok(errors.length >= 1 && errors.every((e) => e.ruleId === "front-matter-schema"));
  assert.equal(`${errors[0].file}:${errors[0].line}`, "chapters/01-a.md:4", errors[0].reason);
  const question = errors.at(-1)!;
  assert.equal(question.line, 16);
  assert.match(question.reason, /"question" as it must be a non-empty string/);
});
