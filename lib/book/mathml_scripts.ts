/**
 * rehype plugin: mends KaTeX's MathML where an operator name stands alone in a script or a
 * fraction. KaTeX writes `\mathrm{SNR}_{\min}` as `<msub>` with three children (`<mi>min</mi>`
 * and the function-application `<mo>⁡</mo>` side by side) where MathML wants exactly two, base and
 * subscript. Chromium draws it quietly; Firefox reports "Invalid markup: Incorrect number of
 * children for <msub/> tag" on every load and draws an error box for it, and MathML-only output
 * would show it to every reader. Each such pair is wrapped in one `<mrow>`, which is what the
 * markup means.
 *
 * @module
 */
import type { Element, Root } from "npm:@types/hast@3.0.5";
import { visit } from "unist-util-visit";

/** MathML elements whose children are positional (base, scripts; numerator, denominator). */
const POSITIONAL = new Set([
  "msub",
  "msup",
  "msubsup",
  "munder",
  "mover",
  "munderover",
  "mfrac",
  "mroot",
]);
/** U+2061 FUNCTION APPLICATION, which KaTeX puts after an operator name such as `\min`. */
const APPLY = "\u2061";

function isApply(node: unknown): boolean {
  const e = node as Element;
  return e?.type === "element" && e.tagName === "mo" && e.children.length === 1 &&
    e.children[0].type === "text" && e.children[0].value === APPLY;
}

/**
 * The plugin (after rehype-katex).
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkMath from "remark-math";
 * import remarkRehype from "remark-rehype";
 * import rehypeStringify from "rehype-stringify";
 * import { rehypeMath } from "./katex.ts";
 * import { rehypeMathmlScripts } from "./mathml_scripts.ts";
 * const p = unified().use(remarkParse).use(remarkMath).use(remarkRehype).use(rehypeMath)
 *   .use(rehypeMathmlScripts).use(rehypeStringify);
 * const html = String(await p.process("$\\mathrm{SNR}_{\\min}$ and $\\lim_{x}$"));
 * if (!html.includes("</mi></mrow><mrow><mi>min</mi><mo>\u2061</mo></mrow></msub>")) {
 *   throw new Error(html);
 * }
 * // an operator name as the base already sits in an <mrow> of its own: left as it was
 * if (!html.includes("<msub><mrow><mi>lim</mi><mo>\u2061</mo></mrow><mi>x</mi></msub>")) {
 *   throw new Error(html);
 * }
 * ```
 */
export function rehypeMathmlScripts() {
  return (tree: Root): void => {
    visit(tree, "element", (node: Element) => {
      if (!POSITIONAL.has(node.tagName)) return;
      const kids = node.children;
      for (let i = 0; i + 1 < kids.length; i++) {
        if (kids[i].type === "element" && isApply(kids[i + 1])) {
          const pair = kids.splice(i, 2) as Element[];
          kids.splice(i, 0, { type: "element", tagName: "mrow", properties: {}, children: pair });
        }
      }
    });
  };
}
