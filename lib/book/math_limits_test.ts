/**
 * Issue 21: every formula is bounded before KaTeX (size, nesting, rendered size, time). The
 * full-build cases, and the stack overflow turned into a place, are in errors_test.ts.
 */
import assert from "node:assert/strict";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkMath from "remark-math";
import { VFile } from "vfile";
import { MATH_LIMITS, mathDepth, mathProblem, remarkMathLimits } from "./math_limits.ts";
import { renderChapter } from "./pipeline.ts";

const opts = { chaptersDir: "/r/chapters", root: "/r", islands: {} };
const front = "---\ntitle: T\nsummary: S\n---\n\n";
const render = (body: string) => renderChapter("/r/chapters/01-x.md", front + body, opts);

Deno.test("mathDepth counts braces, \\left and \\begin, not escaped braces", () => {
  assert.equal(mathDepth("x"), 0);
  assert.equal(mathDepth("\\{a\\}"), 0);
  assert.equal(mathDepth("\\begin{aligned} a_{1} \\end{aligned}"), 2);
  assert.equal(mathDepth("\\underbrace{".repeat(550) + "x" + "}".repeat(550)), 550);
});

Deno.test("the book's own formulas are inside every limit", () => {
  // the largest in the book (chapters/, measured): 550 characters, depth 3, 43 kB of HTML
  const big =
    "\\mathbb{E}_{q}\\left[\\log \\frac{p_\\theta(x_{0:T})}{q(x_{1:T} \\mid x_0)}\\right]";
  assert.equal(mathProblem(big.repeat(6), true), undefined);
});

Deno.test("a 550-deep \\underbrace nest is a math-depth error at its line, not a crash", async () => {
  const nest = `${"\\underbrace{".repeat(550)}x${"}_{a}".repeat(550)}`;
  const limits = { maxSource: Infinity }; // past the size limit: the depth rule alone
  const p = unified().use(remarkParse).use(remarkMath).use(remarkMathLimits, limits);
  const file = new VFile(`Text.\n\n$$\n${nest}\n$$\n`);
  await p.run(p.parse(file), file);
  assert.equal(file.messages[0]?.ruleId, "math-depth");
  assert.equal(file.messages[0]?.line, 3);
  assert.match(file.messages[0].reason, /current value is 550$/);
  const { errors } = await render(`$$\n${nest}\n$$\n`); // the whole pipeline: an error, no crash
  assert.deepEqual(errors.map((e) => [e.ruleId, e.line]), [["math-size", 6]]);
});

Deno.test("math-time: a formula over the time budget is an error at its place", async () => {
  const p = unified().use(remarkParse).use(remarkMath).use(remarkMathLimits, { maxMs: 0 });
  const file = new VFile("One $x$ here.\n");
  await p.run(p.parse(file), file);
  assert.equal(file.messages[0]?.ruleId, "math-time");
  assert.deepEqual([file.messages[0].line, file.messages[0].column], [1, 5]);
  assert.equal(MATH_LIMITS.maxMs, 2000);
});

Deno.test("a formula over a limit is emptied: KaTeX never renders it", async () => {
  const { errors, chapter } = await render(`$$\n${"\\widehat{xyz}".repeat(300)}\n$$\n`);
  assert.deepEqual(errors.map((e) => e.ruleId), ["math-html-size"]);
  assert.equal(chapter, undefined);
  const fine = await render("Fine $x^2$.\n");
  assert.deepEqual(fine.errors, []);
});
