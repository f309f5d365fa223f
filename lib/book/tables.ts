/**
 * rehype plugin: every table goes in `<div class="table-scroll" tabindex="0" role="group"
 * aria-label="Table: …">`, named after the heading it stands under. A table wider than a phone
 * scrolls sideways inside it (the stylesheet shades the edge there is more to see), and keyboard
 * readers can reach and scroll it (axe `scrollable-region-focusable`); the table keeps its own
 * `display: table`, so its rows and columns stay a table to assistive technology. Numbers in its
 * cells get the minus sign U+2212 (minus.ts), which is never a place to break a line.
 *
 * @module
 */
import type { Element, ElementContent, Root } from "npm:@types/hast@3.0.5";
import { visit } from "unist-util-visit";
import { withMinusSigns } from "./minus.ts";

/**
 * The plugin.
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkGfm from "remark-gfm";
 * import remarkRehype from "remark-rehype";
 * import rehypeStringify from "rehype-stringify";
 * import { rehypeTables } from "./tables.ts";
 * const p = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeTables)
 *   .use(rehypeStringify);
 * const html = String(await p.process("## Signs\n\n| a |\n| - |\n| -1 |\n"));
 * if (!html.includes("<td>\u22121</td>")) throw new Error(html);
 * const open = '<div class="table-scroll" tabindex="0" role="group" aria-label="Table: Signs"><table>';
 * if (!html.includes(open)) throw new Error(html);
 * ```
 */
export function rehypeTables() {
  return (tree: Root): void => {
    let heading = "";
    visit(tree, "element", (node, index, parent) => {
      if (/^h[2-6]$/.test(node.tagName)) heading = spokenText(node.children).trim();
      if (node.tagName !== "table" || !parent || index === undefined) return;
      const wrapper: Element = {
        type: "element",
        tagName: "div",
        properties: {
          className: ["table-scroll"],
          tabIndex: 0,
          role: "group",
          ariaLabel: heading ? `Table: ${heading}` : "Table",
        },
        children: [node],
      };
      parent.children[index] = wrapper;
      visit(node, "text", (text) => { // prose text in cells; math is KaTeX's, and left alone
        text.value = withMinusSigns(text.value);
      });
      return "skip";
    });
  };
}

/** The text of some hast nodes as read aloud: KaTeX's visual half is skipped (its MathML stays). */
function spokenText(nodes: ElementContent[]): string {
  return nodes.map((n) => {
    if (n.type === "text") return n.value;
    if (n.type !== "element") return "";
    const classes = n.properties?.className;
    if (Array.isArray(classes) && classes.includes("katex-html")) return "";
    return spokenText(n.children);
  }).join("").replace(/\s+/g, " ");
}
