/**
 * The client-side search index: every chapter title, section heading and equation label, with the
 * link to it. The build writes it as a small JSON file that the Search island fetches on first use;
 * {@link searchEntries} ranks entries against a query, on the server in tests and in the browser.
 *
 * @module
 */
import type { Book } from "./types.ts";

/** One thing a reader can find. */
export interface SearchEntry {
  kind: "chapter" | "heading" | "equation";
  /** What the result shows, e.g. "Posterior mean" or "eq:posterior-mean (2.3)". */
  text: string;
  /** The chapter it is in. */
  chapter: string;
  /** Site-absolute path without the base path, e.g. `/chapters/02-trajectories#eq:posterior-mean`. */
  href: string;
}

/**
 * Builds the index of a rendered book.
 *
 * @param book the rendered book
 * @returns the entries, chapters first within each chapter
 * @example
 * ```ts
 * import { buildSearchIndex } from "./search_index.ts";
 * const book = { equations: [], chapters: [{ slug: "01-x", title: "X", number: 1,
 *   toc: [{ depth: 2, id: "why", text: "Why" }],
 *   equations: [{ label: "eq:a", number: "1.1" }] }] };
 * // deno-lint-ignore no-explicit-any
 * const idx = buildSearchIndex(book as any);
 * if (idx.map((e) => e.href).join() !== "/chapters/01-x,/chapters/01-x#why,/chapters/01-x#eq:a") {
 *   throw new Error(JSON.stringify(idx));
 * }
 * ```
 */
export function buildSearchIndex(book: Book): SearchEntry[] {
  const out: SearchEntry[] = [];
  for (const c of book.chapters) {
    const href = `/chapters/${c.slug}`;
    const chapter = c.number > 0 ? `${c.number}. ${c.title}` : c.title;
    out.push({ kind: "chapter", text: chapter, chapter, href });
    for (const h of c.toc) {
      out.push({ kind: "heading", text: h.text, chapter, href: `${href}#${h.id}` });
    }
    for (const e of c.equations) {
      out.push({
        kind: "equation",
        text: `${e.label} (${e.number})`,
        chapter,
        href: `${href}#${e.label}`,
      });
    }
  }
  return out;
}

/** Lower case, with hyphens, colons and other punctuation as spaces. */
function normalise(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/**
 * The entries matching every word of `query` (prefix of some word of the entry), best first:
 * whole-word matches before prefix matches, chapters before headings before equations.
 *
 * @param index the entries
 * @param query what the reader typed
 * @param limit at most this many results
 * @returns matching entries
 * @example
 * ```ts
 * import { searchEntries } from "./search_index.ts";
 * const index = [
 *   { kind: "heading", text: "The posterior", chapter: "2", href: "/c#p" },
 *   { kind: "equation", text: "eq:posterior-mean (2.3)", chapter: "2", href: "/c#eq:posterior-mean" },
 *   { kind: "heading", text: "Guidance", chapter: "5", href: "/g" },
 * ] as const;
 * const hits = searchEntries([...index], "posterior mean");
 * if (hits.length !== 1 || hits[0].href !== "/c#eq:posterior-mean") throw new Error("search");
 * ```
 */
export function searchEntries(index: SearchEntry[], query: string, limit = 12): SearchEntry[] {
  const words = normalise(query).split(" ").filter(Boolean);
  if (words.length === 0) return [];
  const kindRank = { chapter: 0, heading: 1, equation: 2 };
  const scored: { e: SearchEntry; score: number }[] = [];
  for (const e of index) {
    const tokens = normalise(e.text).split(" ");
    let score = kindRank[e.kind];
    let all = true;
    for (const w of words) {
      if (tokens.includes(w)) continue;
      if (tokens.some((t) => t.startsWith(w))) score += 3;
      else {
        all = false;
        break;
      }
    }
    if (all) scored.push({ e, score });
  }
  return scored.sort((a, b) => a.score - b.score).slice(0, limit).map((s) => s.e);
}
