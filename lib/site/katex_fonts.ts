/**
 * KaTeX's fonts as the site ships them: woff2 only. KaTeX's CSS names each of its 20 fonts three
 * times (woff2, then woff and ttf as fallbacks); every browser the site supports reads woff2 (it
 * needs ES2020 modules and Web Workers, which arrived years after woff2), so the fallbacks were
 * never fetched, 40 files and 817 kB shipped for nothing. The CSS is rewritten to name woff2 alone,
 * so a crawl of the site finds no reference to a file that is not there.
 *
 * @module
 */

/** Font files the site ships, by extension. */
export const SHIPPED_FONT = /\.woff2$/;

/**
 * KaTeX's CSS with every `@font-face` source list cut to its woff2 entry.
 *
 * @param css `katex.min.css` (or the unminified one).
 * @returns The CSS; throws when a source list has no woff2 entry (a KaTeX upgrade changed it).
 *
 * @example
 * ```ts
 * import { woff2OnlyCss } from "./katex_fonts.ts";
 * const css = '@font-face{src:url(fonts/A.woff2) format("woff2"),url(fonts/A.woff) ' +
 *   'format("woff"),url(fonts/A.ttf) format("truetype")}';
 * if (woff2OnlyCss(css) !== '@font-face{src:url(fonts/A.woff2) format("woff2")}') throw new Error();
 * ```
 */
export function woff2OnlyCss(css: string): string {
  return css.replace(/src:([^;}]*)/g, (_, list: string) => {
    const woff2 = list.split(/,(?=\s*url\()/).find((s) => /format\(["']woff2["']\)/.test(s));
    if (woff2 === undefined) {
      throw new Error(
        `Cannot ship KaTeX's fonts as woff2 only as a source list has no woff2 entry: current ` +
          `value is ${list}`,
      );
    }
    return `src:${woff2.trim()}`;
  });
}
