/**
 * What the plugins leave on `file.data.book` for the pipeline to collect, and the small helpers
 * they share (placing messages, making custom mdast blocks).
 *
 * @module
 */
import type { VFile } from "vfile";
import type { Nodes, RootContent } from "npm:@types/mdast@4.0.4";
import type { ChapterPart, EquationEntry, TocEntry } from "./types.ts";

/** Per-file results of the plugins. */
export interface BookFileData {
  frontMatter?: { title?: string; summary?: string; question?: string };
  equations?: EquationEntry[];
  toc?: TocEntry[];
  islands?: Extract<ChapterPart, { kind: "island" }>[];
  wordCount?: number;
  exerciseCount?: number;
  /** Labels this chapter references, with the number each rendered as. */
  references?: Map<string, string>;
  /** Files read at build time (code excerpts), absolute. */
  dependencies?: Set<string>;
}

declare module "vfile" {
  interface DataMap {
    book: BookFileData;
  }
}

/**
 * The book data of a file, created on first use.
 *
 * @param file a vfile
 * @returns its `data.book` object
 * @example
 * ```ts
 * import { VFile } from "vfile";
 * import { bookData } from "./file_data.ts";
 * const file = new VFile();
 * bookData(file).wordCount = 3;
 * if (bookData(file).wordCount !== 3) throw new Error("not kept");
 * ```
 */
export function bookData(file: VFile): BookFileData {
  file.data.book ??= {};
  return file.data.book;
}

/**
 * Reports an error on a file at a node, tagged `source: "book"`.
 *
 * @param file the vfile
 * @param reason what went wrong
 * @param node where (its position is used)
 * @param ruleId the rule id
 * @example
 * ```ts
 * import { VFile } from "vfile";
 * import { report } from "./file_data.ts";
 * const file = new VFile();
 * report(file, "Bad", { type: "text", value: "x", position: { start: { line: 3, column: 1 }, end: { line: 3, column: 2 } } }, "r");
 * if (file.messages[0].line !== 3 || file.messages[0].ruleId !== "r") throw new Error("wrong");
 * ```
 */
export function report(file: VFile, reason: string, node: Nodes | undefined, ruleId: string): void {
  file.message(reason, { place: node?.position, ruleId, source: "book" });
}

/**
 * A custom mdast block that remark-rehype turns into `<hName ...hProperties>children</hName>`.
 *
 * @param hName the HTML element
 * @param hProperties its properties (hast style: `className: ["x"]`, `dataNumber: "1.2"`)
 * @param children mdast children
 * @returns a node to put in an mdast tree
 * @example
 * ```ts
 * import { htmlBlock } from "./file_data.ts";
 * const n = htmlBlock("aside", { className: ["callout"] }, []);
 * if ((n.data as { hName?: string }).hName !== "aside") throw new Error("wrong");
 * ```
 */
export function htmlBlock(
  hName: string,
  hProperties: Record<string, string | string[] | number | boolean>,
  children: RootContent[],
): RootContent {
  return { type: "bookBlock", data: { hName, hProperties }, children } as unknown as RootContent;
}
