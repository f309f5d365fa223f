/**
 * Which of KaTeX's two most used fonts a page's HTML needs: KaTeX_Main-Regular for any formula,
 * KaTeX_Math-Italic for italic letters (KaTeX's `mathnormal`). KaTeX's fonts are
 * `font-display: block` (a formula is never drawn in a fallback font), so the page shell preloads
 * these beside the stylesheet instead of waiting for layout to discover them; a font the page does
 * not use is not preloaded (the browser would warn that the preload went unused).
 *
 * @module
 */
import { sitePath } from "./config.ts";

/**
 * The preload URLs for the KaTeX fonts that `html` uses.
 *
 * @param html The page's rendered math and prose.
 * @returns Font URLs with the site's base path (empty when the HTML holds no KaTeX).
 * @example
 * ```ts
 * import { katexFontPreloads } from "./katex_preloads.ts";
 * const urls = katexFontPreloads('<span class="katex"><span class="mord mathnormal">x</span></span>');
 * if (urls.length !== 2 || !urls[1].endsWith("/vendor/katex/fonts/KaTeX_Math-Italic.woff2")) {
 *   throw new Error(urls.join());
 * }
 * if (katexFontPreloads("<p>no math</p>").length !== 0) throw new Error("no math, no font");
 * ```
 */
export function katexFontPreloads(html: string): string[] {
  if (!html.includes('class="katex"')) return [];
  const fonts = ["KaTeX_Main-Regular"];
  if (html.includes("mathnormal")) fonts.push("KaTeX_Math-Italic");
  return fonts.map((font) => sitePath(`/vendor/katex/fonts/${font}.woff2`));
}
