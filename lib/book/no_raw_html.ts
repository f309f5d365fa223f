/**
 * remark plugin: raw HTML is not allowed in chapters (the site serves strangers and accepts
 * contributions). Each `html` node is a `no-raw-html` error and is removed from the tree. A node
 * that is exactly one HTML comment is removed silently: it renders nothing, and chapters need
 * `<!-- deno-fmt-ignore-file -->` so that `deno fmt` leaves directives alone.
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import { SKIP, visit } from "unist-util-visit";
import { report } from "./file_data.ts";

const COMMENT = /^<!--(?:(?!-->)[\s\S])*-->$/;

/**
 * The plugin.
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import { VFile } from "vfile";
 * import { remarkNoRawHtml } from "./no_raw_html.ts";
 * const p = unified().use(remarkParse).use(remarkNoRawHtml);
 * const file = new VFile("Text\n\n<script>alert(1)</script>\n");
 * const tree = await p.run(p.parse(file), file);
 * if (file.messages[0]?.ruleId !== "no-raw-html" || file.messages[0].line !== 3) throw new Error("missed");
 * if (JSON.stringify(tree).includes("script")) throw new Error("not removed");
 * ```
 */
export function remarkNoRawHtml() {
  return (tree: Root, file: VFile): void => {
    visit(tree, "html", (node, index, parent) => {
      if (COMMENT.test(node.value.trim()) && parent && index !== undefined) {
        parent.children.splice(index, 1);
        return [SKIP, index];
      }
      const text = node.value.length > 60 ? `${node.value.slice(0, 60)}...` : node.value;
      report(
        file,
        `Cannot use raw HTML in a chapter as the site renders Markdown only: current value is ` +
          JSON.stringify(text),
        node,
        "no-raw-html",
      );
      if (parent && index !== undefined) {
        parent.children.splice(index, 1);
        return [SKIP, index];
      }
    });
  };
}
