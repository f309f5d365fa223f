import assert from "node:assert/strict";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkMath from "remark-math";
import remarkRehype from "remark-rehype";
import rehypeStringify from "rehype-stringify";
import { VFile } from "vfile";
import { rehypeMath } from "./katex.ts";
import { buildErrors, chapter } from "./testdata/temp_book.ts";

const processor = unified().use(remarkParse).use(remarkMath).use(remarkRehype).use(rehypeMath)
  .use(rehypeStringify);

async function render(markdown: string) {
  const file = new VFile(markdown);
  const start = performance.now();
  const html = String(await processor.process(file));
  return { html, file, ms: performance.now() - start };
}

Deno.test("error: bad KaTeX [katex-error] at the offending token, quoting the LaTeX", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter(
      "Inline $\\frac{1}{2$ here.\n\n$$ {#eq:broken}\na = b +\n\\sqrt[\n$$\n",
    ),
  });
  assert.deepEqual(errors.map((e) => [e.ruleId, e.line]), [["katex-error", 6], [
    "katex-error",
    10,
  ]]);
  assert.match(errors[0].reason, /"\\\\frac\{1\}\{2"/);
  assert.match(errors[1].reason, /^Cannot render math with KaTeX as .*"a = b \+\\n\\\\sqrt\["$/);
});

const attacks = [
  ["\\href{javascript:alert(1)}{x}", /\\href is not allowed/],
  ["\\url{javascript:alert(1)}", /\\url is not allowed/],
  ["\\htmlData{a=b}{x}", /\\htmlData is not allowed/],
  ["\\includegraphics{x.png}", /\\includegraphics is not allowed/],
  ["\\def\\a{\\a\\a}\\a", /Too many expansions/],
  ["\\edef\\a{\\a\\a}\\a", /Undefined control sequence/],
  ["\\def\\a#1{#1#1#1#1#1#1#1#1}\\a{\\a{\\a{\\a{\\a{\\a{\\a{\\a{x}}}}}}}}", /Too many expansions/],
  ["\\htmlClass{a}{x}", /\\htmlClass is not allowed/],
  ["\\htmlId{a}{x}", /\\htmlId is not allowed/],
  ["\\htmlStyle{color:red}{x}", /\\htmlStyle is not allowed/],
  // runaway \edef: each line doubles \a, 2^40 tokens if nothing stopped it
  ["\\def\\a{x}" + "\\edef\\a{\\a\\a}".repeat(40) + "\\a", /Too many expansions/],
  ["\\gdef\\a{\\a}\\a", /Too many expansions/],
  ["\\newcommand{\\a}{\\a}\\a", /Too many expansions/],
  // nesting deep enough to overflow KaTeX's recursive parser: an error, not a crash
  ["{".repeat(5000) + "x" + "}".repeat(5000), /Maximum call stack size exceeded/],
  ["\\sqrt{".repeat(3000) + "}".repeat(3000), /Maximum call stack size exceeded/],
] as const;

for (const [latex, why] of attacks) {
  const name = latex.length > 48 ? `${latex.slice(0, 40)}... (${latex.length} chars)` : latex;
  Deno.test(`KaTeX attack ${name}: an error, no URL or data attribute, no hang`, async () => {
    for (const markdown of [`Inline $${latex}$.`, `$$\n${latex}\n$$`]) {
      const { html, file, ms } = await render(markdown);
      assert.equal(file.messages.length, 1);
      assert.equal(file.messages[0].ruleId, "katex-error");
      assert.match(file.messages[0].reason, why);
      assert.ok(
        !/<script|href="javascript:|src=|data-a=|id="a"|style="color:red/i.test(html),
        html,
      );
      assert.ok(html.includes('class="katex-error"'), html);
      assert.ok(ms < 2000, `took ${ms} ms`);
    }
  });
}

Deno.test("KaTeX attacks fail the book build with file:line", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter("$\\href{javascript:alert(1)}{x}$\n\n$\\htmlData{a=b}{x}$\n"),
  });
  assert.deepEqual(errors.map((e) => `${e.file}:${e.line} ${e.ruleId}`), [
    "chapters/01-a.md:6 katex-error",
    "chapters/01-a.md:8 katex-error",
  ]);
  assert.match(errors[0].reason, /javascript:alert\(1\)/);
});

Deno.test("huge sizes are capped by maxSize, not an error", async () => {
  const { html, file } = await render("$\\rule{500em}{500em}$");
  assert.equal(file.messages.length, 0);
  assert.ok(html.includes("20em"), "clamped to maxSize = 20em");
});

Deno.test("text inside math is escaped, never markup", async () => {
  const { html, file } = await render("$\\text{</span><script>alert(1)</script>}$");
  assert.equal(file.messages.length, 0);
  assert.ok(!/<script/i.test(html), html);
  assert.ok(html.includes("&#x3C;script>") || html.includes("&lt;script&gt;"), html);
});
