/**
 * remark plugin, run after the plugins that handle directives: any leaf or container directive
 * still in the tree is a `directive-unknown` error (a typo such as `:::nte` must not vanish), and
 * text directives, which chapters do not use, are put back as the text they were written as (so
 * "a:b" and "10:30" stay prose).
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import type {} from "remark-directive"; // the directive nodes
import { SKIP, visit } from "unist-util-visit";
import { report } from "./file_data.ts";

/** The directives chapters may use, for the error message. */
export const KNOWN_DIRECTIVES = [
  "::island",
  "::figure",
  "::table",
  "::code",
  ":::note",
  ":::slip",
  "::::exercise",
  ":::solution",
];

/**
 * The plugin.
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkDirective from "remark-directive";
 * import { toString } from "mdast-util-to-string";
 * import { VFile } from "vfile";
 * import { remarkUnknownDirectives } from "./directives.ts";
 * const p = unified().use(remarkParse).use(remarkDirective).use(remarkUnknownDirectives);
 * const file = new VFile("At 10:30 the ratio a:b{x} held.\n\n:::nte\nhi\n:::\n");
 * const tree = await p.run(p.parse(file), file);
 * if (!toString(tree).startsWith("At 10:30 the ratio a:b{x} held.")) throw new Error(toString(tree));
 * if (file.messages[0]?.ruleId !== "directive-unknown" || file.messages[0].line !== 3) throw new Error("missed");
 * ```
 */
export function remarkUnknownDirectives() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value);
    visit(tree, (node, index, parent) => {
      if (node.type === "textDirective" && parent && index !== undefined) {
        const start = node.position?.start.offset;
        const end = node.position?.end.offset;
        const value = start !== undefined && end !== undefined
          ? source.slice(start, end)
          : `:${node.name}`;
        parent.children[index] = { type: "text", value, position: node.position };
        return SKIP;
      }
      if (node.type === "leafDirective" || node.type === "containerDirective") {
        const fence = node.type === "leafDirective" ? "::" : ":::";
        report(
          file,
          `Unknown directive ${fence}${node.name}: chapters may use ${KNOWN_DIRECTIVES.join(", ")}`,
          node,
          "directive-unknown",
        );
        if (parent && index !== undefined) {
          parent.children.splice(index, 1);
          return [SKIP, index];
        }
      }
    });
  };
}
