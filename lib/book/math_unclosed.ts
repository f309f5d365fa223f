/**
 * remark plugin: a `$` that remark-math did not pair is an error (rule `math-unclosed`), at its
 * place. Inline math must open and close inside one paragraph, and a line inside `$…$` that
 * starts with `- `, `+ `, `* ` or `1. ` is read by Markdown as a list item: the paragraph ends
 * there, both `$` are left as text, and the reader sees raw LaTeX (`\epsilon^` with the `*`
 * taken as emphasis). A dollar sign meant as text is written `\$`.
 *
 * @module
 */
import type { Root, Text } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import { visit } from "unist-util-visit";
import { report } from "./file_data.ts";

const RULE = "math-unclosed";

/**
 * The plugin. Use after remark-math.
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkMath from "remark-math";
 * import { VFile } from "vfile";
 * import { remarkMathUnclosed } from "./math_unclosed.ts";
 * const p = unified().use(remarkParse).use(remarkMath).use(remarkMathUnclosed);
 * const run = async (text: string) => {
 *   const file = new VFile(text);
 *   await p.run(p.parse(file), file);
 *   return file.messages;
 * };
 * const broken = await run("so $a + b\n- c$ holds\n");
 * if (broken[0]?.ruleId !== "math-unclosed" || broken[0]?.line !== 1) throw new Error("missed");
 * if ((await run("so $a + b -\nc$ holds, for \\$5\n")).length !== 0) throw new Error("false alarm");
 * ```
 */
export function remarkMathUnclosed() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value);
    visit(tree, "text", (node: Text) => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      // the source, not the value: `\$` is a dollar sign the author escaped
      const raw = start !== undefined && end !== undefined ? source.slice(start, end) : node.value;
      if (!/(^|[^\\])\$/.test(raw)) return;
      report(
        file,
        "Cannot read inline math as its $ is not closed in the same paragraph: a blank line, or " +
          'a line inside $…$ that starts with "- ", "+ ", "* " or "1. " (Markdown reads it as a ' +
          "list), ends the paragraph first",
        node,
        RULE,
      );
    });
  };
}
