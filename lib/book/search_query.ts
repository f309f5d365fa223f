/**
 * Searching the book's index in the browser (the Search island) and in tests: MiniSearch with the
 * options the build indexed with ({@link SEARCH_OPTIONS}), and each hit shown as its chapter, its
 * section and the sentence that matches best, with the matching words marked. The index itself
 * is built on the server (search_index.ts); this module has no server-only imports.
 *
 * @module
 */
import MiniSearch, { type Options, type SearchResult } from "minisearch";

/** One passage of the book: a section's prose, or the words around one numbered equation. */
export interface SearchDoc {
  id: number;
  /** The chapter as a reader names it, e.g. "3. The ELBO four ways". */
  chapter: string;
  /** The section's heading, or "Equation (3.7) · Section" for an equation. */
  title: string;
  /** The plain text: prose, list items, table cells, exercises; math left out. */
  text: string;
  /** Equation labels in words ("posterior variance"), searched but never shown. */
  labels: string;
  /** Site path without the base path, with the anchor: `/chapters/elbo#the-prior-term`. */
  href: string;
}

/** The options the index is built and loaded with (MiniSearch needs the same on both sides). */
export const SEARCH_OPTIONS: Options<SearchDoc> = {
  fields: ["title", "text", "labels", "chapter"],
  storeFields: ["chapter", "title", "text", "href"],
  searchOptions: {
    boost: { title: 3, labels: 2, chapter: 0.5 },
    prefix: (term) => term.length >= 3,
    fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
    combineWith: "AND",
  },
};

/** A hit as the results list shows it. */
export interface SearchHit {
  chapter: string;
  title: string;
  href: string;
  /** The best sentence, split into runs; `mark` runs are the words that matched. */
  snippet: { text: string; mark: boolean }[];
}

/**
 * Loads the index the build wrote (`MiniSearch#toJSON`).
 *
 * @param json the index file's text
 * @returns the index
 */
export function loadSearchIndex(json: string): MiniSearch<SearchDoc> {
  return MiniSearch.loadJSON<SearchDoc>(json, SEARCH_OPTIONS);
}

/**
 * The hits for `query`, best first.
 *
 * @param index the loaded index
 * @param query what the reader typed
 * @param limit at most this many hits
 * @returns hits with their snippets
 * @example
 * ```ts
 * import MiniSearch from "minisearch";
 * import { runSearch, SEARCH_OPTIONS, type SearchDoc } from "./search_query.ts";
 * const index = new MiniSearch<SearchDoc>(SEARCH_OPTIONS);
 * index.addAll([{ id: 1, chapter: "2. Data", title: "Toy data", labels: "", href: "/c#toy",
 *   text: "We start small. The swiss roll is a spiral of points. It is easy to draw." }]);
 * const [hit] = runSearch(index, "Swiss roll");
 * const marked = hit.snippet.filter((r) => r.mark).map((r) => r.text).join(" ");
 * if (hit.href !== "/c#toy" || marked !== "swiss roll") throw new Error(JSON.stringify(hit));
 * ```
 */
export function runSearch(
  index: MiniSearch<SearchDoc>,
  query: string,
  limit = 20,
): SearchHit[] {
  if (query.trim() === "") return [];
  // every word must match (AND): a query that matches nothing says so rather than showing
  // passages that share only its small words
  return index.search(query).slice(0, limit).map((r) => ({
    chapter: r.chapter as string,
    title: r.title as string,
    href: r.href as string,
    snippet: snippet(r.text as string, matchedWords(r)),
  }));
}

/** The words of the document that matched (MiniSearch's `terms`, lower case). */
function matchedWords(r: SearchResult): Set<string> {
  return new Set(r.terms.map((t) => t.toLowerCase()));
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The sentence of `text` with the most matched words (the first sentence when none match), cut
 * to about 240 characters around its first match, as runs with the matched words marked.
 */
function snippet(text: string, words: Set<string>): SearchHit["snippet"] {
  const sentences = text.split(/(?<=[.!?:;])\s+/);
  const count = (s: string) => (s.match(WORD) ?? []).filter((w) => words.has(w.toLowerCase()));
  let best = sentences[0] ?? "";
  let bestCount = -1;
  for (const s of sentences) {
    const n = new Set(count(s).map((w) => w.toLowerCase())).size;
    if (n > bestCount) [best, bestCount] = [s, n];
  }
  if (best.length > 240) {
    const first = best.search(
      new RegExp(`\\b(${[...words].map(escapeRegExp).join("|") || "$^"})\\b`, "iu"),
    );
    const start = Math.max(0, Math.min(first - 80, best.length - 240));
    best = (start > 0 ? "…" : "") + best.slice(start, start + 240).trim() + "…";
  }
  const runs: SearchHit["snippet"] = [];
  let last = 0;
  for (const m of best.matchAll(WORD)) {
    if (!words.has(m[0].toLowerCase())) continue;
    if (m.index > last) runs.push({ text: best.slice(last, m.index), mark: false });
    runs.push({ text: m[0], mark: true });
    last = m.index + m[0].length;
  }
  if (last < best.length) runs.push({ text: best.slice(last), mark: false });
  // two marked words with only spaces between them read as one marked phrase
  return runs.reduce<SearchHit["snippet"]>((out, r) => {
    const prev = out.at(-1);
    const beforePrev = out.at(-2);
    if (r.mark && prev && !prev.mark && prev.text.trim() === "" && beforePrev?.mark) {
      out.splice(-2, 2, { text: beforePrev.text + prev.text + r.text, mark: true });
    } else out.push(r);
    return out;
  }, []);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
