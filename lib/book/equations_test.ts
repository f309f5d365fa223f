import assert from "node:assert/strict";
import { buildErrors, buildTemp, chapter } from "./testdata/temp_book.ts";
import { parseEquationMeta } from "./equations.ts";

const eq = (label: string, latex = "x") => `$$ {#${label}}\n${latex}\n$$\n`;

Deno.test("labelled equations are numbered (N.k) per chapter in order, unlabelled ones skipped", async () => {
  const { book } = await buildTemp({
    "chapters/00-intro.md": chapter(`${eq("eq:zero")}`),
    "chapters/03-third.md": chapter(`${eq("eq:a")}\n$$\ny\n$$\n\n${eq("eq:b")}\n${eq("eq:c")}`),
  });
  assert.ok(book);
  assert.deepEqual(book.equations.map((e) => `${e.label} ${e.number} ${e.file}:${e.line}`), [
    "eq:zero 0.1 chapters/00-intro.md:6",
    "eq:a 3.1 chapters/03-third.md:6",
    "eq:b 3.2 chapters/03-third.md:14",
    "eq:c 3.3 chapters/03-third.md:18",
  ]);
  const html = book.chapters[1].parts.map((p) => p.kind === "html" ? p.html : "").join("");
  assert.equal(html.match(/class="equation"/g)?.length, 3);
  assert.equal(html.match(/class="katex-display"/g)?.length, 4);
  assert.match(html, /<a href="#eq:c" class="eq-number">\(3\.3\)<\/a><\/div>/);
});

Deno.test("parseEquationMeta reads {#eq:...} and rejects everything else", () => {
  assert.equal(parseEquationMeta("{#eq:a-1}"), "eq:a-1");
  assert.equal(parseEquationMeta("   "), null);
  for (const bad of ["{#eq:A}", "{#fig:a}", "eq:a", "{#eq:-a}", "{#eq:a b}", "{#eq:a} x"]) {
    assert.ok(parseEquationMeta(bad) instanceof Error, bad);
  }
});

Deno.test("error: duplicate label in one chapter [eq-label-unique]", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter(`${eq("eq:twice")}\nText.\n\n${eq("eq:twice")}`),
  });
  assert.equal(errors.length, 1);
  assert.equal(errors[0].ruleId, "eq-label-unique");
  assert.equal(`${errors[0].file}:${errors[0].line}`, "chapters/01-a.md:12");
  assert.match(errors[0].reason, /eq:twice .*also defined at chapters\/01-a\.md:6/);
});

Deno.test("error: duplicate label across chapters [eq-label-unique]", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter(eq("eq:shared")),
    "chapters/02-b.md": chapter(`Text.\n\n${eq("eq:shared")}`),
  });
  assert.equal(errors.length, 1);
  assert.equal(errors[0].ruleId, "eq-label-unique");
  assert.equal(`${errors[0].file}:${errors[0].line}`, "chapters/02-b.md:8");
  assert.match(errors[0].reason, /eq:shared .*chapters\/01-a\.md:6/);
});

Deno.test("error: malformed label [eq-label-syntax]", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter("$$ {#eq:Posterior_Mean}\nx\n$$\n"),
  });
  assert.equal(errors[0].ruleId, "eq-label-syntax");
  assert.equal(errors[0].line, 6);
  assert.match(errors[0].reason, /\{#eq:Posterior_Mean\}/);
});
