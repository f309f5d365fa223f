/**
 * Loads the whole book: finds the chapter files, collects every equation label (pass 1), renders
 * every chapter with all labels known (pass 2), and throws one {@link BookBuildError} listing every
 * problem. Unchanged chapters are served from an in-process cache, so a second call is cheap.
 *
 * @module
 */
import { resolve } from "node:path";
import { BookBuildError, displayPath } from "./errors.ts";
import { parseChapterFileName } from "./file_name.ts";
import { collectEquations, renderChapter, type RenderResult } from "./pipeline.ts";
import type { Book, BookMessage, BookOptions, EquationEntry } from "./types.ts";

interface Cached {
  source: string;
  equations?: EquationEntry[];
  optionsKey?: string;
  result?: RenderResult;
  dependencyStamps?: Map<string, number>;
}

const cache = new Map<string, Cached>();

/**
 * The machine-readable list of labelled equations, in book order.
 *
 * @param book a loaded book
 * @returns every equation entry, chapter by chapter
 * @example
 * ```ts
 * import { equationIndex } from "./load_book.ts";
 * const e = { chapter: "a", chapterNumber: 1, label: "eq:x", number: "1.1", latex: "x",
 *   file: "chapters/01-a.md", line: 3 };
 * const book = { equations: [e], chapters: [] };
 * if (equationIndex(book)[0].label !== "eq:x") throw new Error("lost");
 * ```
 */
export function equationIndex(book: Book): EquationEntry[] {
  return [...book.equations];
}

/**
 * Loads and renders every chapter in `opts.chaptersDir`.
 *
 * @param opts where the chapters are, the islands registry and the link prefix
 * @returns the book, chapters in number order
 * @throws {BookBuildError} listing every problem in every chapter
 * @example
 * ```ts
 * import { loadBook } from "./load_book.ts";
 * import { islands } from "./testdata/islands.ts";
 * const chaptersDir = new URL("./testdata/chapters", import.meta.url).pathname;
 * const root = new URL("../..", import.meta.url).pathname;
 * const book = await loadBook({ chaptersDir, root, islands });
 * if (book.chapters[0].number !== 1 || book.equations[0].number !== "1.1") throw new Error("wrong");
 * ```
 */
export async function loadBook(opts: BookOptions): Promise<Book> {
  const root = resolve(opts.root);
  const dir = resolve(opts.chaptersDir);
  const errors: BookMessage[] = [];
  const fail = (path: string, ruleId: string, reason: string) =>
    errors.push({ file: displayPath(path, root), line: 1, column: 1, ruleId, reason });

  // the chapter files
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".md")) names.push(entry.name);
  }
  names.sort();
  const files: { path: string; number: number; slug: string; source: string }[] = [];
  const byNumber = new Map<number, string>();
  const bySlug = new Map<string, string>();
  for (const name of names) {
    const path = `${dir}/${name}`;
    const id = parseChapterFileName(name);
    if (!id) {
      fail(
        path,
        "chapter-file-name",
        `Cannot use ${name} as a chapter as chapter files are named NN-slug.md (two digits, ` +
          `then lower-case words joined by dashes)`,
      );
      continue;
    }
    const sameNumber = byNumber.get(id.number);
    const sameSlug = bySlug.get(id.slug);
    if (sameNumber) {
      fail(
        path,
        "chapter-number-unique",
        `Chapter number ${id.number} is also used by ${sameNumber}`,
      );
    }
    if (sameSlug) {
      fail(path, "chapter-slug-unique", `Chapter slug ${id.slug} is also used by ${sameSlug}`);
    }
    if (sameNumber || sameSlug) continue;
    byNumber.set(id.number, displayPath(path, root));
    bySlug.set(id.slug, displayPath(path, root));
    files.push({ path, ...id, source: await Deno.readTextFile(path) });
  }

  // pass 1: every label in the book
  const labels = new Map<string, EquationEntry>();
  for (const f of files) {
    for (const e of await equationsOf(f.path, f.source, root)) {
      const first = labels.get(e.label);
      if (first && first.file !== e.file) {
        errors.push({
          file: e.file,
          line: e.line,
          column: 1,
          ruleId: "eq-label-unique",
          reason:
            `Equation label ${e.label} is not unique: also defined at ${first.file}:${first.line}`,
        });
      } else if (!first) labels.set(e.label, e);
    }
  }

  // pass 2: render
  const optionsKey = JSON.stringify([root, opts.basePath, opts.sourceBaseUrl, opts.islands]);
  const chapters = [];
  for (const f of files) {
    const result = await rendered(f.path, f.source, { ...opts, labels }, optionsKey);
    errors.push(...result.errors);
    if (result.chapter) chapters.push(result.chapter);
  }
  if (errors.length > 0) throw new BookBuildError(errors);
  chapters.sort((a, b) => a.number - b.number);
  return { chapters, equations: chapters.flatMap((c) => c.equations) };
}

async function equationsOf(path: string, source: string, root: string) {
  const hit = cache.get(path);
  if (hit?.source === source && hit.equations) return hit.equations;
  const equations = await collectEquations(path, source, root);
  cache.set(path, { source, equations });
  return equations;
}

/** Pass 2 through the cache: reused when the source, options, referenced numbers and files agree. */
async function rendered(
  path: string,
  source: string,
  opts: BookOptions & { labels: Map<string, EquationEntry> },
  optionsKey: string,
): Promise<RenderResult> {
  const hit = cache.get(path);
  if (
    hit?.result && hit.source === source && hit.optionsKey === optionsKey &&
    [...hit.result.references].every(([label, at]) => {
      const e = opts.labels.get(label);
      return e !== undefined && `${e.chapter}#${e.number}` === at;
    }) &&
    await sameStamps(hit.dependencyStamps)
  ) {
    return hit.result;
  }
  const result = await renderChapter(path, source, opts);
  cache.set(path, {
    source,
    equations: hit?.source === source ? hit.equations : undefined,
    optionsKey,
    result,
    dependencyStamps: await stamps(result.dependencies),
  });
  return result;
}

async function stamps(paths: Iterable<string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const p of paths) {
    out.set(p, await Deno.stat(p).then((s) => s.mtime?.getTime() ?? 0, () => -1));
  }
  return out;
}

async function sameStamps(before: Map<string, number> | undefined): Promise<boolean> {
  if (!before) return true;
  const now = await stamps(before.keys());
  return [...before].every(([p, t]) => now.get(p) === t);
}
