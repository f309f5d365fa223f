import assert from "node:assert/strict";
import katex from "katex";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkMath from "remark-math";
import remarkRehype from "remark-rehype";
import rehypeStringify from "rehype-stringify";
import { rehypeMath } from "./katex.ts";
import { rehypeMathmlScripts } from "./mathml_scripts.ts";

const ARITY: Record<string, number> = {
  msub: 2,
  msup: 2,
  mover: 2,
  munder: 2,
  mfrac: 2,
  msubsup: 3,
  munderover: 3,
};

/** Every positional MathML element whose child count is wrong, in a rendered string. */
function wrongArity(html: string): string[] {
  const out: string[] = [];
  // Count direct children with a small tag scanner over the <math> elements only.
  const math = [...html.matchAll(/<math[\s\S]*?<\/math>/g)].map((m) => m[0]).join("");
  const tags = [...math.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)];
  const stack: { tag: string; kids: number }[] = [];
  for (const [, close, tag, selfClosing] of tags) {
    if (selfClosing) {
      if (stack.length) stack[stack.length - 1].kids++;
    } else if (close) {
      const top = stack.pop()!;
      if (top.tag in ARITY && top.kids !== ARITY[top.tag]) out.push(`${top.tag}:${top.kids}`);
    } else {
      if (stack.length) stack[stack.length - 1].kids++;
      stack.push({ tag, kids: 0 });
    }
  }
  return out;
}

Deno.test("rehypeMathmlScripts: operator names in scripts give every script element its arity", async () => {
  const formulas = [
    "\\mathrm{SNR}_{\\min}",
    "\\int_{\\mathrm{SNR}_{\\min}}^{\\mathrm{SNR}_{\\max}} f",
    "\\overset{\\max}{x}",
    "\\underset{\\min}{x}",
    "x^{\\sin}",
    "\\sum_{\\min}^{\\max} x",
    "\\frac{\\log}{\\exp}",
  ];
  // KaTeX's own output has the fault (so this test shows the plugin mends something real).
  for (const f of formulas) {
    const raw = katex.renderToString(f, { output: "mathml" });
    assert.notDeepEqual(wrongArity(raw), [], `KaTeX now writes ${f} correctly: drop the plugin`);
  }
  const p = unified().use(remarkParse).use(remarkMath).use(remarkRehype).use(rehypeMath)
    .use(rehypeMathmlScripts).use(rehypeStringify);
  const html = String(await p.process(formulas.map((f) => `$${f}$`).join("\n\n")));
  assert.deepEqual(
    wrongArity(html.replace(/<span class="katex-html"[\s\S]*?<\/span>(?=<\/span>)/g, "")),
    [],
  );
  // The meaning is kept: the operator name and its function application stay together, in order.
  assert.match(
    html,
    /<msub><mrow>(<mi mathvariant="normal">[SNR]<\/mi>){3}<\/mrow><mrow><mi>min<\/mi><mo>\u2061<\/mo><\/mrow><\/msub>/,
  );
});
