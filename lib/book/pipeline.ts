/**
 * The chapter pipeline: Markdown -> mdast (front matter, GFM, math, directives) -> the book's
 * plugins -> hast -> KaTeX and shiki -> HTML, split into parts at islands.
 *
 * @module
 */
import { basename, resolve } from "node:path";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import remarkDirective from "remark-directive";
import remarkSmartypants from "remark-smartypants";
import { smartQuotes, SMARTYPANTS } from "./smart_quotes.ts";
import remarkRehype, { type Options as RemarkRehypeOptions } from "remark-rehype";
import rehypeStringify from "rehype-stringify";
import { VFile } from "vfile";
import { remarkBlocks } from "./blocks.ts";
import { remarkCodeExcerpt } from "./code_excerpt.ts";
import { remarkUnknownDirectives } from "./directives.ts";
import { remarkEquationRefs } from "./equation_refs.ts";
import { remarkEquations } from "./equations.ts";
import { remarkFigures } from "./figures.ts";
import { BookBuildError, displayPath, errorsOf } from "./errors.ts";
import { bookData } from "./file_data.ts";
import { parseChapterFileName } from "./file_name.ts";
import { remarkBookFrontMatter } from "./front_matter.ts";
import { remarkHeadings } from "./headings.ts";
import { rehypeShiki } from "./highlight.ts";
import { type IslandSlot, remarkIslands } from "./islands.ts";
import { rehypeMath } from "./katex.ts";
import { rehypeKatexSlim } from "./katex_slim.ts";
import { remarkMathQuotes } from "./math_quotes.ts";
import { remarkMathUnclosed } from "./math_unclosed.ts";
import { remarkMathLimits } from "./math_limits.ts";
import { remarkOffsiteResources } from "./offsite_resources.ts";
import { isStackOverflow, stackOverflowMessage } from "./stack_overflow.ts";
import { rehypeMathmlScripts } from "./mathml_scripts.ts";
import { remarkNoRawHtml } from "./no_raw_html.ts";
import { remarkSafeUrls } from "./safe_urls.ts";
import { rehypeSections } from "./sections.ts";
import { rehypeTables } from "./tables.ts";
import { remarkWordCount } from "./word_count.ts";
import type { BookMessage, BookOptions, Chapter, ChapterPart, EquationEntry } from "./types.ts";

/** Options for one chapter: the book's, plus every label in the book (for cross references). */
export type RenderOptions = BookOptions & { labels?: Map<string, EquationEntry> };

/** A rendered chapter (when it has no errors) with its errors and what it depended on. */
export interface RenderResult {
  chapter?: Chapter;
  errors: BookMessage[];
  /** Labels referenced, with `slug#number` as rendered (a change invalidates a cache). */
  references: Map<string, string>;
  /** Other files read (code excerpts), absolute. */
  dependencies: Set<string>;
}

/** Quotes only: dashes and dots are the author's to choose. */
const ISLAND_MARK = /<!--island:(\d+)-->/;

// an island becomes a comment marker to split at; authors cannot write comments (raw HTML is banned)
const rehypeHandlers = {
  islandSlot: (_state: unknown, node: IslandSlot) => ({
    type: "comment" as const,
    value: `island:${node.index}`,
  }),
} as unknown as RemarkRehypeOptions["handlers"]; // handlers are typed for mdast's own nodes only

/** The parser with every syntax extension the book uses. */
function parser() {
  return unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]).use(remarkGfm)
    .use(remarkMath).use(remarkDirective);
}

/** The chapter's number, slug and reported name, or an error placed at line 1. */
function identify(path: string, root: string) {
  const fileName = displayPath(path, root);
  const id = parseChapterFileName(basename(path));
  const error: BookMessage | undefined = id ? undefined : {
    file: fileName,
    line: 1,
    column: 1,
    ruleId: "chapter-file-name",
    reason: `Cannot use ${basename(path)} as a chapter as chapter files are named ` +
      `NN-slug.md (two digits, then lower-case words joined by dashes)`,
  };
  return { fileName, number: id?.number ?? 0, slug: id?.slug ?? basename(path, ".md"), error };
}

/**
 * Pass 1: the labelled equations of a chapter, without rendering anything.
 *
 * @param path the chapter file
 * @param source its text
 * @param root the project root
 * @returns the chapter's equations in order
 * @example
 * ```ts
 * import { collectEquations } from "./pipeline.ts";
 * const eqs = await collectEquations("/r/chapters/03-x.md", "$$ {#eq:a}\nx\n$$\n", "/r");
 * if (eqs[0].number !== "3.1" || eqs[0].file !== "chapters/03-x.md") throw new Error("wrong");
 * ```
 */
export async function collectEquations(
  path: string,
  source: string,
  root: string,
): Promise<EquationEntry[]> {
  const { fileName, number, slug } = identify(path, root);
  const file = new VFile({ path, value: source });
  const p = parser().use(remarkEquations, { chapterNumber: number, slug, fileName });
  await p.run(p.parse(file), file);
  return bookData(file).equations ?? [];
}

/**
 * Renders one chapter and returns its errors instead of throwing.
 *
 * @param path the chapter file
 * @param source its text
 * @param opts book options and the book's labels (without them only same-chapter refs resolve)
 * @returns the chapter (absent when there were errors), errors, references and dependencies
 * @example
 * ```ts
 * import { renderChapter } from "./pipeline.ts";
 * const r = await renderChapter("/r/chapters/01-x.md", "---\ntitle: T\nsummary: S\n---\nHi $a$\n",
 *   { chaptersDir: "/r/chapters", root: "/r", islands: {} });
 * if (r.errors.length || !r.chapter?.parts[0]) throw new Error(JSON.stringify(r.errors));
 * ```
 */
export async function renderChapter(
  path: string,
  source: string,
  opts: RenderOptions,
): Promise<RenderResult> {
  const root = resolve(opts.root);
  const basePath = opts.basePath ?? "";
  const { fileName, number, slug, error } = identify(path, root);
  const file = new VFile({ path, value: source });
  const p = parser()
    .use(remarkBookFrontMatter)
    .use(remarkNoRawHtml)
    .use(remarkMathUnclosed)
    .use(remarkSafeUrls)
    .use(remarkWordCount)
    // typographic quotes in the prose (text nodes only: code, math and attributes stay as written)
    .use(remarkSmartypants, SMARTYPANTS)
    .use(remarkMathQuotes)
    .use(remarkHeadings)
    .use(remarkEquations, { chapterNumber: number, slug, fileName })
    .use(remarkEquationRefs, { labels: opts.labels, basePath })
    .use(remarkIslands, { islands: opts.islands })
    .use(remarkFigures, { figures: opts.figures ?? {} })
    .use(remarkBlocks, { chapterNumber: number })
    .use(remarkCodeExcerpt, { root, sourceBaseUrl: opts.sourceBaseUrl ?? `${basePath}/source/` })
    .use(remarkUnknownDirectives)
    .use(remarkOffsiteResources)
    .use(remarkMathLimits)
    .use(remarkRehype, { handlers: rehypeHandlers })
    .use(rehypeMath)
    .use(rehypeMathmlScripts)
    .use(rehypeKatexSlim)
    .use(rehypeShiki)
    .use(rehypeTables)
    .use(rehypeSections)
    .use(rehypeStringify);
  let html: string;
  try {
    // parse, run and stringify one by one: inside process() a throw from the stringifier escapes
    html = String(p.stringify(await p.run(p.parse(file), file), file));
  } catch (e) { // a structure nested too deep for some tree walker: a place, not a crash
    if (!isStackOverflow(e)) throw e;
    const overflow = stackOverflowMessage(fileName, () => parser().parse(source));
    const errors = [...(error ? [error] : []), overflow];
    return { errors, references: new Map(), dependencies: new Set() };
  }
  const data = bookData(file);
  const errors = [...(error ? [error] : []), ...errorsOf(file, root)];
  const result: RenderResult = {
    errors,
    references: data.references ?? new Map(),
    dependencies: data.dependencies ?? new Set(),
  };
  if (errors.length > 0) return result;
  const front = data.frontMatter ?? {};
  result.chapter = {
    file: fileName,
    number,
    slug,
    title: smartQuotes(front.title ?? ""),
    summary: smartQuotes(front.summary ?? ""),
    ...(front.question ? { question: smartQuotes(front.question) } : {}),
    parts: splitParts(html, data.islands ?? []),
    toc: data.toc ?? [],
    equations: data.equations ?? [],
    wordCount: data.wordCount ?? 0,
    exerciseCount: data.exerciseCount ?? 0,
  };
  return result;
}

/** Splits the chapter's HTML at island markers into HTML runs and islands. */
function splitParts(html: string, islands: Extract<ChapterPart, { kind: "island" }>[]) {
  const parts: ChapterPart[] = [];
  const pieces = html.split(ISLAND_MARK); // [html, index, html, index, html ...]
  pieces.forEach((piece, i) => {
    if (i % 2 === 1) parts.push(islands[Number(piece)]);
    else if (piece.trim() !== "") parts.push({ kind: "html", html: piece.trim() });
  });
  return parts;
}

/**
 * Renders one chapter file. Without `labels`, references resolve within the chapter only.
 *
 * @param path the chapter file (`.../NN-slug.md`)
 * @param opts book options, and optionally every label in the book
 * @returns the chapter
 * @throws {BookBuildError} when the chapter has any error
 * @example
 * ```ts
 * import { renderChapterFile } from "./pipeline.ts";
 * import { equationIndex, loadBook } from "./load_book.ts";
 * import { islands } from "./testdata/islands.ts";
 * const chaptersDir = new URL("./testdata/chapters", import.meta.url).pathname;
 * const root = new URL("../..", import.meta.url).pathname;
 * const opts = { chaptersDir, root, islands };
 * const labels = new Map(equationIndex(await loadBook(opts)).map((e) => [e.label, e]));
 * const c = await renderChapterFile(`${chaptersDir}/02-second.md`, { ...opts, labels });
 * if (c.number !== 2 || c.slug !== "second") throw new Error("wrong chapter");
 * ```
 */
export async function renderChapterFile(path: string, opts: RenderOptions): Promise<Chapter> {
  const source = await Deno.readTextFile(path);
  let labels = opts.labels;
  if (!labels) {
    labels = new Map((await collectEquations(path, source, resolve(opts.root))).map((e) => [
      e.label,
      e,
    ]));
  }
  const result = await renderChapter(path, source, { ...opts, labels });
  if (!result.chapter) throw new BookBuildError(result.errors);
  return result.chapter;
}
