/**
 * Every character the site can draw in one of KaTeX's fonts, for the font subsets
 * (`katex_subset.ts`). Rather than pick out what KaTeX set, it takes a superset: every character of
 * the rendered book (chapters, captions, exercise solutions, the notation page), of the "verified"
 * badges the server adds to each chapter at request time (their check names are math), of every
 * page of the static export (island props included), of the shipped CSS (KaTeX's `content:`
 * strings), and all of printable ASCII. Text is read both as written and decoded, since a page
 * holds `&#x3C;`, a JSON island prop `\u2212`, and CSS `"\200b"`.
 *
 * @module
 */
import { join } from "node:path";
import { decodeHTML } from "entities";
import { addBadges } from "../book/badges.ts";
import type { Book } from "../book/mod.ts";

/** U+0020 to U+007E: what any formula may type, kept whatever the book uses today. */
export const PRINTABLE_ASCII: readonly number[] = Object.freeze(
  Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i),
);

function addAll(text: string, into: Set<number>): void {
  for (const c of text) into.add(c.codePointAt(0)!);
}

/** `\uXXXX` escapes (JSON and JS), surrogate pairs joined; other text dropped. */
function jsonEscapes(text: string): string {
  return [...text.matchAll(/\\u([0-9a-fA-F]{4})/g)]
    .map((m) => String.fromCharCode(parseInt(m[1], 16))).join("");
}

/**
 * Adds the characters of HTML (or JSON) text to `into`: as written, with character references
 * decoded, and with `\uXXXX` escapes decoded.
 *
 * @param text an HTML page, an HTML fragment, or JSON holding either
 * @param into the set to add to
 * @returns `into`
 * @example
 * ```ts
 * import { htmlCodePoints } from "./site_chars.ts";
 * const got = htmlCodePoints('<b>&#x3C;&hellip;</b><script>{"m":"\\u2212"}</script>', new Set());
 * if (!got.has(0x3c) || !got.has(0x2026) || !got.has(0x2212)) throw new Error([...got].join());
 * ```
 */
export function htmlCodePoints(text: string, into: Set<number>): Set<number> {
  addAll(text, into);
  addAll(decodeHTML(text), into);
  addAll(jsonEscapes(text), into);
  return into;
}

/**
 * Adds the characters of CSS to `into`: as written and with CSS escapes (`\200b`) decoded.
 *
 * @param css a stylesheet
 * @param into the set to add to
 * @returns `into`
 * @example
 * ```ts
 * import { cssCodePoints } from "./site_chars.ts";
 * const got = cssCodePoints('.x::after{content:"\\200b"}', new Set());
 * if (!got.has(0x200b)) throw new Error([...got].join());
 * ```
 */
export function cssCodePoints(css: string, into: Set<number>): Set<number> {
  addAll(css, into);
  for (const m of css.matchAll(/\\([0-9a-fA-F]{1,6})/g)) {
    const c = parseInt(m[1], 16);
    if (c <= 0x10ffff) into.add(c);
  }
  return into;
}

async function htmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) out.push(...await htmlFiles(path));
    else if (e.isFile && e.name.endsWith(".html")) out.push(path);
  }
  return out;
}

/**
 * Every character the built site can draw (a superset of those set in KaTeX's fonts).
 *
 * @param opts `book`: the rendered book, verification added; `pagesDir`: the static export, when
 *   there is one (every `.html` file under it is read); `cssFiles`: the stylesheets the pages load
 * @returns the code points
 * @example
 * ```ts
 * import type { Book } from "../book/mod.ts";
 * import { siteCodePoints } from "./site_chars.ts";
 * const book = { equations: [], chapters: [{ parts: [{ kind: "html", html: "<p>∇</p>" }] }] };
 * const got = await siteCodePoints({ book: book as unknown as Book, cssFiles: [] });
 * if (!got.has(0x2207) || !got.has(0x7e) || got.has(0x7f)) throw new Error([...got].join());
 * ```
 */
export async function siteCodePoints(
  opts: { book: Book; pagesDir?: string; cssFiles: readonly string[] },
): Promise<Set<number>> {
  const out = new Set<number>(PRINTABLE_ASCII);
  htmlCodePoints(JSON.stringify(opts.book), out);
  for (const chapter of opts.book.chapters) {
    for (const part of chapter.parts) {
      if (part.kind === "html") htmlCodePoints(addBadges(part.html, chapter.verification), out);
    }
  }
  if (opts.pagesDir !== undefined) {
    for (const file of await htmlFiles(opts.pagesDir)) {
      htmlCodePoints(await Deno.readTextFile(file), out);
    }
  }
  for (const file of opts.cssFiles) cssCodePoints(await Deno.readTextFile(file), out);
  return out;
}
