/**
 * The chapter pipeline: Markdown chapters to HTML parts, equation numbers and references, islands,
 * exercises, callouts, code excerpts, KaTeX and shiki on the server, and the equation index.
 *
 * @example
 * ```ts
 * import { loadBook } from "./mod.ts";
 * import { islands } from "./testdata/islands.ts";
 * const chaptersDir = new URL("./testdata/chapters", import.meta.url).pathname;
 * const root = new URL("../..", import.meta.url).pathname;
 * const book = await loadBook({ chaptersDir, root, islands });
 * if (book.chapters.length !== 2) throw new Error("wrong chapter count");
 * ```
 *
 * @module
 */
export type {
  Book,
  BookMessage,
  BookOptions,
  Chapter,
  ChapterPart,
  EquationEntry,
  FigureSpec,
  IslandSpec,
  PropSpec,
  TocEntry,
} from "./types.ts";
export { BookBuildError, formatMessage } from "./errors.ts";
export { equationIndex, loadBook } from "./load_book.ts";
export { renderChapterFile } from "./pipeline.ts";
export { coerceIslandProps } from "./island_props.ts";
export { extractSymbol } from "./extract_symbol.ts";
export { katexOptions } from "./katex.ts";
export { EQ_LABEL } from "./equations.ts";
