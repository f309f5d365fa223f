/**
 * remark plugin: labelled display equations. The text after the opening `$$` is the label,
 * `{#eq:name}`; labelled equations are numbered "(N.k)" in order (N the chapter number), wrapped in
 * `<div class="equation" id=LABEL data-label=LABEL data-number="N.k">` with a trailing
 * `<a class="eq-number">`, and listed on `file.data.book.equations`. Rules: `eq-label-syntax`,
 * `eq-label-unique` (within the chapter; across chapters the book checks).
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import type {} from "remark-rehype"; // data.hProperties
import type {} from "remark-math"; // the math node
import type { Element } from "npm:@types/hast@3.0.5";
import { visit } from "unist-util-visit";
import { bookData, htmlBlock, report } from "./file_data.ts";
import type { EquationEntry } from "./types.ts";
import { parseDisplayMeta } from "./typeset/displays.ts";

/** A valid equation label. */
export const EQ_LABEL = /^eq:[a-z0-9][a-z0-9-]*$/;

/** Where the equations are. */
export interface EquationOptions {
  /** The chapter number N in "(N.k)". */
  chapterNumber: number;
  /** The chapter's slug. */
  slug: string;
  /** The chapter file as reported, e.g. `chapters/01-x.md`. */
  fileName: string;
}

/**
 * Reads the label from a display-math meta string: `{#eq:name}`, optionally followed by
 * `.unevaluated reason="…"` (or that marker alone), which says why the typeset evaluation does not
 * evaluate the display (see `typeset/displays.ts`).
 *
 * @param meta the text after the opening `$$`, or null
 * @returns the label, null when there is none, or an Error describing a malformed meta
 * @example
 * ```ts
 * import { parseEquationMeta } from "./equations.ts";
 * if (parseEquationMeta(" {#eq:posterior-mean} ") !== "eq:posterior-mean") throw new Error("label");
 * if (parseEquationMeta(null) !== null) throw new Error("none");
 * if (!(parseEquationMeta("{#eq:Bad}") instanceof Error)) throw new Error("accepted");
 * ```
 */
export function parseEquationMeta(meta: string | null | undefined): string | null | Error {
  const parsed = parseDisplayMeta(meta);
  if (parsed instanceof Error) return parsed;
  return parsed.label ?? null;
}

/**
 * The plugin.
 *
 * @param options chapter number, slug and file name
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkMath from "remark-math";
 * import { VFile } from "vfile";
 * import { remarkEquations } from "./equations.ts";
 * const p = unified().use(remarkParse).use(remarkMath)
 *   .use(remarkEquations, { chapterNumber: 2, slug: "s", fileName: "chapters/02-s.md" });
 * const file = new VFile("$$ {#eq:a}\nx\n$$\n\n$$\ny\n$$\n\n$$ {#eq:b}\nz\n$$\n");
 * await p.run(p.parse(file), file);
 * const eqs = file.data.book?.equations ?? [];
 * if (eqs.map((e) => `${e.label}=${e.number}@${e.line}`).join() !== "eq:a=2.1@1,eq:b=2.2@9") {
 *   throw new Error(JSON.stringify(eqs));
 * }
 * ```
 */
export function remarkEquations(options: EquationOptions) {
  return (tree: Root, file: VFile): void => {
    const equations: EquationEntry[] = [];
    bookData(file).equations = equations;
    visit(tree, "math", (node, index, parent) => {
      // let KaTeX errors point at the `$$` line: the inner <code> has no position of its own
      const code = node.data?.hChildren?.[0] as Element | undefined;
      if (code && !code.position) code.position = node.position;
      const label = parseEquationMeta(node.meta);
      const meta = parseDisplayMeta(node.meta);
      const unevaluated = meta instanceof Error ? undefined : meta.unevaluated;
      if (label instanceof Error) {
        report(file, label.message, node, "eq-label-syntax");
        return;
      }
      if (label === null || parent === undefined || index === undefined) return;
      const previous = equations.find((e) => e.label === label);
      if (previous) {
        report(
          file,
          `Equation label ${label} is not unique: also defined at ${previous.file}:${previous.line}`,
          node,
          "eq-label-unique",
        );
        return;
      }
      const number = `${options.chapterNumber}.${equations.length + 1}`;
      equations.push({
        chapter: options.slug,
        chapterNumber: options.chapterNumber,
        label,
        number,
        latex: node.value,
        file: options.fileName,
        line: node.position?.start.line ?? 1,
        ...(unevaluated ? { unevaluated } : {}),
      });
      const numberLink = {
        type: "link" as const,
        url: `#${label}`,
        children: [{ type: "text" as const, value: `(${number})` }],
        data: { hProperties: { className: ["eq-number"] } },
      };
      parent.children[index] = htmlBlock(
        "div",
        { className: ["equation"], id: label, dataLabel: label, dataNumber: number },
        [node, { type: "text", value: " " }, numberLink] as never,
      ) as never;
    });
  };
}
