import assert from "node:assert/strict";
import katex from "katex";
import { loadBook } from "./load_book.ts";
import { renderChapterFile } from "./pipeline.ts";
import {
  CODE_BACKGROUNDS,
  getHighlighter,
  HIGHLIGHT_OPTIONS,
  readableColours,
  THEMES,
} from "./highlight.ts";
import { contrastRatio } from "./contrast.ts";
import { katexOptions, rehypeMath } from "./katex.ts";
import { rehypeKatexSlim } from "./katex_slim.ts";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkMath from "remark-math";
import remarkRehype from "remark-rehype";
import rehypeStringify from "rehype-stringify";
import { islands } from "./testdata/islands.ts";
import { buildTemp, chapter } from "./testdata/temp_book.ts";
import type { Chapter } from "./types.ts";

const chaptersDir = new URL("./testdata/chapters", import.meta.url).pathname;
const root = new URL("../..", import.meta.url).pathname;
const fixturePath = `${chaptersDir}/01-fixture.md`;
const fixtureSource = await Deno.readTextFile(fixturePath);
const book = await loadBook({ chaptersDir, root, islands });
const [first, second] = book.chapters;
const html = (c: Chapter) => c.parts.map((p) => (p.kind === "html" ? p.html : "")).join("\n");

/** 1-based line of the first line of `source` that starts with `prefix`. */
function lineOf(source: string, prefix: string): number {
  return source.split("\n").findIndex((l) => l.startsWith(prefix)) + 1;
}

Deno.test("fixture: front matter, number, slug and file", () => {
  assert.equal(first.title, "A fixture chapter");
  assert.equal(first.summary, "Every construct the pipeline knows, once.");
  assert.equal(first.question, "Does every construct render?");
  assert.equal(second.question, undefined);
  assert.deepEqual([first.number, first.slug, second.number, second.slug], [
    1,
    "fixture",
    2,
    "second",
  ]);
  assert.equal(first.file, "lib/book/testdata/chapters/01-fixture.md");
});

Deno.test("fixture: labelled equations get numbers, anchors and lines", () => {
  assert.deepEqual(first.equations.map((e) => [e.label, e.number, e.line]), [
    ["eq:fixture-forward", "1.1", lineOf(fixtureSource, "$$ {#eq:fixture-forward}")],
    ["eq:fixture-marginal", "1.2", lineOf(fixtureSource, "$$ {#eq:fixture-marginal}")],
  ]);
  assert.equal(first.equations[1].latex, "\\bar\\alpha_t = \\prod_{s=1}^{t} \\alpha_s");
  const h = html(first);
  assert.match(
    h,
    /<div class="equation" id="eq:fixture-forward" data-label="eq:fixture-forward" data-number="1\.1"><span class="katex-display" tabindex="0" role="group" aria-label="Equation \(1\.1\)">/,
  );
  assert.match(h, /<a href="#eq:fixture-marginal" class="eq-number">\(1\.2\)<\/a><\/div>/);
  assert.equal(book.equations.length, 3);
  assert.deepEqual(book.equations.map((e) => e.number), ["1.1", "1.2", "2.1"]);
});

/** KaTeX's output for `markdown` through rehype-katex and the book's slimming pass alone. */
async function katexOnly(markdown: string): Promise<string> {
  const p = unified().use(remarkParse).use(remarkMath).use(remarkRehype).use(rehypeMath)
    .use(rehypeKatexSlim).use(rehypeStringify);
  return String(await p.process(markdown)).replace(/^<p>|<\/p>$/g, "");
}

/** The characters of the MathML a screen reader reads (the TeX annotation is not read). */
const mathmlText = (html: string) =>
  /<math[^]*<\/math>/.exec(html)![0].replace(/<annotation[^]*<\/annotation>/, "")
    .replace(/<[^>]*>/g, "");

Deno.test("fixture: KaTeX output equals katex.renderToString (slimmed), and no katex-error", async () => {
  const h = html(first);
  assert.ok(!h.includes("katex-error"));
  const latex = first.equations[1].latex;
  // focusable and named (it may scroll sideways): katex.ts adds the attributes, katex_slim.ts
  // removes elements that change neither the drawing nor the MathML, nothing else
  const direct = (await katexOnly(`$$\n${latex}\n$$`)).replace(
    'aria-label="Equation"',
    'aria-label="Equation (1.2)"',
  );
  const full = katex.renderToString(latex, { ...katexOptions, displayMode: true });
  assert.equal(mathmlText(direct), mathmlText(full), "the MathML reads the same");
  assert.ok(direct.length < full.length);
  assert.ok(
    h.includes(`data-number="1.2">${direct} <a href="#eq:fixture-marginal"`),
    "the labelled equation holds exactly KaTeX's display HTML",
  );
  // unlabelled display math is plain KaTeX display output, unnumbered
  const unlabelled = await katexOnly("$$\n\\alpha_t = 1 - \\beta_t\n$$");
  assert.ok(h.includes(`<p>An unlabelled one:</p>\n${unlabelled}\n<div class="equation"`));
  const inline = await katexOnly("$x_0$");
  assert.ok(h.includes(`with inline math ${inline} and`));
});

Deno.test("fixture: references link to the numbered equation, same and cross chapter", () => {
  const h = html(first);
  assert.ok(
    h.includes(
      'Same chapter: <a href="/chapters/fixture#eq:fixture-forward" class="eq-ref">(1.1)</a>',
    ),
  );
  assert.ok(
    h.includes('<a href="/chapters/fixture#eq:fixture-marginal" class="eq-ref">the marginal</a>'),
  );
  assert.ok(h.includes('<a href="/chapters/second#eq:second-loss" class="eq-ref">(2.1)</a>'));
  assert.ok(
    html(second).includes(
      '<a href="/chapters/fixture#eq:fixture-forward" class="eq-ref">the forward kernel</a>',
    ),
  );
  assert.ok(
    html(second).includes(
      'its own <a href="/chapters/second#eq:second-loss" class="eq-ref">(2.1)</a>',
    ),
  );
});

Deno.test("basePath prefixes reference links", async () => {
  const b = await loadBook({ chaptersDir, root, islands, basePath: "/diffusion" });
  assert.ok(html(b.chapters[1]).includes('href="/diffusion/chapters/fixture#eq:fixture-forward"'));
  assert.ok(!html(b.chapters[1]).includes('href="/chapters/'));
});

Deno.test("fixture: parts split at islands, props coerced and defaulted", () => {
  assert.deepEqual(first.parts.map((p) => p.kind), ["html", "island", "html", "island", "html"]);
  assert.deepEqual(first.parts[1], {
    kind: "island",
    name: "Demo",
    props: { steps: 20, dataset: "ring", paused: false },
    status: "ready",
  });
  assert.deepEqual(first.parts[3], {
    kind: "island",
    name: "Planned",
    props: {},
    status: "planned",
  });
  const [a, , b, , c] = first.parts.map((p) => (p.kind === "html" ? p.html : ""));
  // each run is whole sections (lib/book/sections.ts): none spans an island
  assert.ok(a.endsWith("(2.1)</a>.</p></div></section>"), "first run ends before the island");
  assert.ok(
    b.startsWith('<section class="part"><div class="chunk"><h2 id="exercises-and-callouts">'),
  );
  assert.equal(
    c,
    '<section class="part"><div class="chunk"><p>Closing paragraph.</p></div></section>',
  );
});

Deno.test("fixture: exercises are numbered, with collapsible solutions", () => {
  assert.equal(first.exerciseCount, 2);
  const h = html(first);
  assert.ok(h.includes(
    '<section class="exercise" id="exercise-1-1" data-number="1.1"><div class="exercise-body">' +
      '<p class="exercise-title"><strong>Exercise 1.1</strong></p><p>Show that',
  ));
  assert.ok(h.includes(
    '</div><details class="solution"><summary>Show solution</summary><p>The product has one ' +
      "factor.</p></details></section>",
  ));
  assert.ok(h.includes("<strong>Exercise 1.2</strong>: Harder</p>"));
  assert.equal(h.match(/<details/g)?.length, 1, "the second exercise has no solution");
});

Deno.test("fixture: callouts", () => {
  const h = html(first);
  assert.ok(
    h.includes(
      '<div class="callout note" role="note"><p class="callout-title">Note</p><p>A note with',
    ),
  );
  assert.ok(
    h.includes(
      '<div class="callout slip" role="note"><p class="callout-title">Index off by one</p>',
    ),
  );
});

Deno.test("fixture: fenced code is highlighted by shiki with dual themes as CSS variables", async () => {
  const h = html(first);
  const code = "const alphaBar: number[] = [0.9, 0.72]; // \\bar\\alpha_t";
  const highlighter = await getHighlighter();
  const colorReplacements = await readableColours();
  const direct = highlighter.codeToHtml(code, {
    lang: "ts",
    themes: THEMES,
    colorReplacements,
    ...HIGHLIGHT_OPTIONS,
  });
  const withLang = direct.replace('tabindex="0"', 'tabindex="0" data-lang="ts"');
  assert.ok(h.includes(`<h2 id="code">Code</h2>\n${withLang}`));
  // github-light's keyword red, darkened to read at 4.5:1 on the code panel
  const red = colorReplacements["github-light"]["#d73a49"];
  assert.ok(contrastRatio(red, CODE_BACKGROUNDS.light) >= 4.5);
  assert.match(direct, new RegExp(`--shiki-light:${red};--shiki-dark:#F97583`));
  assert.ok(!/style="color:/.test(h), "no default colour: themes switch with CSS only");
});

Deno.test("fixture: code excerpt is the exported declaration, without its JSDoc", async () => {
  const source = await Deno.readTextFile(`${root}/engine/schedule.ts`);
  const lines = source.split("\n");
  const start = lines.findIndex((l) => l.startsWith("export function linearSchedule(")) + 1;
  const end = lines.findIndex((l, i) => i >= start && l === "}") + 1;
  const expected = lines.slice(start - 1, end).join("\n");
  const h = html(first);
  const figure = h.slice(h.indexOf('<figure class="code-excerpt">'), h.indexOf("</figure>"));
  const text = figure.replace(/<figcaption>.*$/s, "").replace(/<[^>]+>/g, "")
    .replaceAll("&#x3C;", "<").replaceAll("&#x26;", "&").replaceAll("&#x22;", '"')
    .replaceAll("&#x27;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
  assert.equal(text, expected);
  assert.ok(!figure.includes("@example"));
  assert.ok(figure.includes('<pre class="shiki'));
  assert.ok(figure.includes(
    `<figcaption><a href="/source/engine/schedule.ts#L${start}-L${end}"><code>engine/schedule.ts</code></a>`,
  ));
});

Deno.test("fixture: table of contents holds the h2 and h3 headings with their ids", () => {
  assert.deepEqual(first.toc, [
    { depth: 2, id: "labelled-equations", text: "Labelled equations" },
    { depth: 3, id: "references", text: "References" },
    { depth: 2, id: "exercises-and-callouts", text: "Exercises and callouts" },
    { depth: 2, id: "code", text: "Code" },
  ]);
  assert.ok(html(first).includes('<h3 id="references">References</h3>'));
});

Deno.test("fixture: colons in prose stay text (no stray text directives)", () => {
  assert.ok(html(first).includes("and a ratio a:b at 10:30.</p>"));
});

Deno.test("word count counts prose only", async () => {
  const { book } = await buildTemp({
    "chapters/01-a.md": chapter(
      "One two $x + y$ three.\n\n```ts\nfour five\n```\n\n$$\nsix\n$$\n\n## Four `code`\n",
    ),
  });
  assert.equal(book?.chapters[0].wordCount, 4);
});

Deno.test("renderChapterFile renders one chapter; cross references need the book's labels", async () => {
  const labels = new Map(book.equations.map((e) => [e.label, e]));
  const c = await renderChapterFile(fixturePath, { chaptersDir, root, islands, labels });
  assert.deepEqual(c.parts, first.parts);
  await assert.rejects(
    () => renderChapterFile(fixturePath, { chaptersDir, root, islands }),
    /01-fixture\.md:\d+:\d+: Reference to missing equation label eq:second-loss \[eq-ref-missing\]/,
  );
});
