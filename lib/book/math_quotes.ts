/**
 * remark plugin: a quote right after inline math closes. remark-smartypants sees each text node
 * alone, so in `$p$'s` the text `'s` starts with a quote and becomes an opening one (“p‘s”). A
 * quote that touches the formula before it (no space) is an apostrophe or a closing quote.
 *
 * @module
 */
import type { Parent, Root } from "npm:@types/mdast@4.0.4";
import { visit } from "unist-util-visit";

const CLOSING: Record<string, string> = { "\u2018": "\u2019", "\u201c": "\u201d" };

/**
 * remark plugin: see the module doc. Runs after remark-smartypants.
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkMath from "remark-math";
 * import remarkSmartypants from "remark-smartypants";
 * import remarkRehype from "remark-rehype";
 * import rehypeStringify from "rehype-stringify";
 * import { remarkMathQuotes } from "./math_quotes.ts";
 * const out = String(
 *   await unified().use(remarkParse).use(remarkMath).use(remarkSmartypants)
 *     .use(remarkMathQuotes).use(remarkRehype).use(rehypeStringify)
 *     .process("need $p$'s constant, 'quoted'"),
 * );
 * if (!out.includes("</code>\u2019s") || !out.includes("\u2018quoted\u2019")) throw new Error(out);
 * ```
 */
export function remarkMathQuotes() {
  return (tree: Root): void => {
    visit(tree, (node) => {
      if (!("children" in node)) return;
      const children = (node as Parent).children;
      for (let i = 1; i < children.length; i++) {
        const text = children[i];
        if (text.type !== "text" || children[i - 1].type !== "inlineMath") continue;
        const close = CLOSING[text.value[0]];
        if (close) text.value = close + text.value.slice(1);
      }
    });
  };
}
