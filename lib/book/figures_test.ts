import assert from "node:assert/strict";
import { renderChapter } from "./pipeline.ts";
import type { FigureSpec } from "./types.ts";

const figure = (name: string, kind: "figure" | "table", text: string): FigureSpec => ({
  name,
  kind,
  render: () => ({
    type: "element",
    tagName: "figure",
    properties: { className: ["book-figure"], id: `fig-${name}` },
    children: [{
      type: "element",
      tagName: "figcaption",
      properties: {},
      children: [{
        type: "text",
        value: text,
      }],
    }],
  }),
});
const figures: Record<string, FigureSpec> = {
  curve: figure("curve", "figure", "ᾱ₁₀₀ = 0.0000402"),
  numbers: figure("numbers", "table", "β₁ = 0.001"),
  broken: {
    name: "broken",
    kind: "figure",
    render: () => {
      throw new Error("no data");
    },
  },
};

const render = (body: string) =>
  renderChapter("/r/chapters/01-x.md", `---\ntitle: T\nsummary: S\n---\n\n${body}`, {
    chaptersDir: "/r/chapters",
    root: "/r",
    islands: {},
    figures,
  });

Deno.test("a figure and a table are placed where their directives stand, inside blocks too", async () => {
  const r = await render(
    'Before.\n\n::figure{name="curve"}\n\n:::note\n::table{name="numbers"}\n:::\n',
  );
  assert.deepEqual(r.errors, []);
  const html = r.chapter!.parts.map((p) => p.kind === "html" ? p.html : "").join("");
  assert.match(
    html,
    /<p>Before.<\/p>\s*<figure class="book-figure" id="fig-curve"><figcaption>ᾱ₁₀₀ = 0.0000402<\/figcaption><\/figure>/,
  );
  assert.match(
    html,
    /<div class="callout[^>]*>[\s\S]*<figure class="book-figure" id="fig-numbers">/,
  );
});

Deno.test("error: unknown figure [figure-unknown] names file, line and the known ones", async () => {
  const r = await render('Text.\n\n::figure{name="curv"}\n');
  assert.equal(r.errors.length, 1);
  assert.equal(`${r.errors[0].file}:${r.errors[0].line}`, "chapters/01-x.md:8");
  assert.equal(r.errors[0].ruleId, "figure-unknown");
  assert.equal(r.errors[0].reason, 'Unknown figure "curv": known figures are broken, curve');
});

Deno.test("error: a table placed with ::figure [figure-kind], a failing renderer [figure-render]", async () => {
  const r = await render('::figure{name="numbers"}\n\n::figure{name="broken"}\n');
  assert.deepEqual(r.errors.map((e) => [e.line, e.ruleId, e.reason]), [
    [6, "figure-kind", "Cannot place numbers with ::figure as it is a table: write ::table"],
    [8, "figure-render", "Cannot draw figure broken as its renderer failed: no data"],
  ]);
});
