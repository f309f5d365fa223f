/**
 * remark plugin: equation references. A link whose URL is `#eq:LABEL` points at the labelled
 * equation in whichever chapter holds it: the URL becomes `${basePath}/chapters/SLUG#eq:LABEL`, the
 * link gets `class="eq-ref"`, and empty link text becomes the number, "(1.3)". A label no chapter
 * defines is an `eq-ref-missing` error.
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import type {} from "remark-rehype"; // data.hProperties
import { toString } from "mdast-util-to-string";
import { visit } from "unist-util-visit";
import { bookData, report } from "./file_data.ts";
import type { EquationEntry } from "./types.ts";

/** What references resolve against. */
export interface EquationRefOptions {
  /** Every label in the book (the chapter's own labels are also read from the file). */
  labels?: Map<string, EquationEntry>;
  /** Prefix of site links, e.g. "/book" (default ""). */
  basePath?: string;
}

/**
 * The plugin. Use after `remarkEquations`.
 *
 * @param options the book's labels and the link prefix
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import { VFile } from "vfile";
 * import { remarkEquationRefs } from "./equation_refs.ts";
 * const entry = { chapter: "intro", chapterNumber: 1, label: "eq:a", number: "1.3", latex: "x",
 *   file: "chapters/01-intro.md", line: 4 };
 * const p = unified().use(remarkParse)
 *   .use(remarkEquationRefs, { labels: new Map([["eq:a", entry]]) });
 * const file = new VFile("See [](#eq:a) and [](#eq:nope).");
 * const tree = await p.run(p.parse(file), file);
 * if (!JSON.stringify(tree).includes('"url":"/chapters/intro#eq:a"')) throw new Error("not linked");
 * if (!JSON.stringify(tree).includes('"value":"(1.3)"')) throw new Error("no number");
 * if (file.messages[0]?.ruleId !== "eq-ref-missing") throw new Error("missing not reported");
 * ```
 */
export function remarkEquationRefs(options: EquationRefOptions = {}) {
  const basePath = options.basePath ?? "";
  return (tree: Root, file: VFile): void => {
    const data = bookData(file);
    const own = new Map((data.equations ?? []).map((e) => [e.label, e]));
    const references = new Map<string, string>();
    data.references = references;
    visit(tree, "link", (node) => {
      const label = /^#(eq:.*)$/.exec(node.url)?.[1];
      const classes = node.data?.hProperties?.className;
      if (label === undefined || (Array.isArray(classes) && classes.includes("eq-number"))) return;
      const entry = own.get(label) ?? options.labels?.get(label);
      if (!entry) {
        report(file, `Reference to missing equation label ${label}`, node, "eq-ref-missing");
        return;
      }
      references.set(label, `${entry.chapter}#${entry.number}`);
      node.url = `${basePath}/chapters/${entry.chapter}#${label}`;
      node.data = {
        ...node.data,
        hProperties: { ...node.data?.hProperties, className: ["eq-ref"] },
      };
      if (toString(node).trim() === "") {
        node.children = [{ type: "text", value: `(${entry.number})` }];
      }
    });
  };
}
