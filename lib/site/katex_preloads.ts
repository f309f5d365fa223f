/**
 * Which KaTeX fonts a chapter preloads: every font that the math in its opening (its first
 * {@linkcode OPENING_CHUNKS} chunks: `lib/book/sections.ts`) is set in.
 *
 * KaTeX's fonts are `font-display: block` (a formula is never drawn in a fallback font), and a
 * font is requested only when layout first meets a glyph set in it. On a phone the first frame
 * lays out the opening chunks (later ones are `content-visibility: auto` and skipped), so the
 * fonts of the opening's calligraphic letters, blackboard bold and large delimiters used to be
 * discovered by that first layout and fetched after it, at the highest priority, on the critical
 * path of the first paint. Preloading them fetches them beside the stylesheet instead. Fonts met
 * only further down are left to layout (a preload unused for seconds makes the browser warn).
 *
 * The map from KaTeX's classes to its font files is {@linkcode KATEX_CLASS_FONTS};
 * `katex_preloads_test.ts` checks it against KaTeX's own stylesheet, and a browser test
 * against the fonts a browser really loads.
 *
 * @module
 */
import { sitePath } from "./config.ts";

/**
 * How many chunks (`<div class="chunk">`: `lib/book/sections.ts`) count as a chapter's opening:
 * the introduction, what the first frame lays out on a phone below the title, the question and
 * the contents (`tests/browser/katex_preloads_test.ts` checks it at 412×823 and 1280×800).
 */
export const OPENING_CHUNKS = 1;

/**
 * KaTeX's classes that select a font other than KaTeX_Main-Regular (the font of every formula),
 * as KaTeX's stylesheet sets them: each entry is the classes an element (or, for
 * `delim-size1`/`delim-size4`, its parent `delimsizing mult`) carries, and the font file they
 * select.
 */
export const KATEX_CLASS_FONTS: readonly { classes: readonly string[]; font: string }[] = [
  { classes: ["mathnormal"], font: "KaTeX_Math-Italic" },
  { classes: ["boldsymbol"], font: "KaTeX_Math-BoldItalic" },
  { classes: ["mathit"], font: "KaTeX_Main-Italic" },
  { classes: ["mathbf"], font: "KaTeX_Main-Bold" },
  { classes: ["textbf"], font: "KaTeX_Main-Bold" },
  { classes: ["textit"], font: "KaTeX_Main-Italic" },
  { classes: ["amsrm"], font: "KaTeX_AMS-Regular" },
  { classes: ["mathbb"], font: "KaTeX_AMS-Regular" },
  { classes: ["textbb"], font: "KaTeX_AMS-Regular" },
  { classes: ["mathcal"], font: "KaTeX_Caligraphic-Regular" },
  { classes: ["mathfrak"], font: "KaTeX_Fraktur-Regular" },
  { classes: ["textfrak"], font: "KaTeX_Fraktur-Regular" },
  { classes: ["mathboldfrak"], font: "KaTeX_Fraktur-Bold" },
  { classes: ["textboldfrak"], font: "KaTeX_Fraktur-Bold" },
  { classes: ["mathscr"], font: "KaTeX_Script-Regular" },
  { classes: ["textscr"], font: "KaTeX_Script-Regular" },
  { classes: ["mathsf"], font: "KaTeX_SansSerif-Regular" },
  { classes: ["textsf"], font: "KaTeX_SansSerif-Regular" },
  { classes: ["mathboldsf"], font: "KaTeX_SansSerif-Bold" },
  { classes: ["textboldsf"], font: "KaTeX_SansSerif-Bold" },
  { classes: ["mathitsf"], font: "KaTeX_SansSerif-Italic" },
  { classes: ["mathsfit"], font: "KaTeX_SansSerif-Italic" },
  { classes: ["textitsf"], font: "KaTeX_SansSerif-Italic" },
  { classes: ["mathtt"], font: "KaTeX_Typewriter-Regular" },
  { classes: ["texttt"], font: "KaTeX_Typewriter-Regular" },
  { classes: ["delimsizing", "size1"], font: "KaTeX_Size1-Regular" },
  { classes: ["delimsizing", "size2"], font: "KaTeX_Size2-Regular" },
  { classes: ["delimsizing", "size3"], font: "KaTeX_Size3-Regular" },
  { classes: ["delimsizing", "size4"], font: "KaTeX_Size4-Regular" },
  { classes: ["delim-size1"], font: "KaTeX_Size1-Regular" },
  { classes: ["delim-size4"], font: "KaTeX_Size4-Regular" },
  { classes: ["op-symbol", "small-op"], font: "KaTeX_Size1-Regular" },
  { classes: ["op-symbol", "large-op"], font: "KaTeX_Size2-Regular" },
];

/**
 * The KaTeX font files (names without extension) that the math in `html` is set in, in the
 * order of {@linkcode KATEX_CLASS_FONTS} after KaTeX_Main-Regular; none when `html` holds no
 * KaTeX.
 *
 * @param html Rendered HTML.
 * @returns Font file names, each once.
 * @example
 * ```ts
 * import { katexFontsUsed } from "./katex_preloads.ts";
 * const html = '<span class="katex"><span class="mord mathcal">L</span>' +
 *   '<span class="delimsizing size1">(</span></span>';
 * const fonts = katexFontsUsed(html).join();
 * if (fonts !== "KaTeX_Main-Regular,KaTeX_Caligraphic-Regular,KaTeX_Size1-Regular") {
 *   throw new Error(fonts);
 * }
 * if (katexFontsUsed('<p class="size1">no math</p>').length !== 0) throw new Error("no KaTeX");
 * ```
 */
export function katexFontsUsed(html: string): string[] {
  if (!html.includes('class="katex"')) return [];
  const classLists = new Set<string>();
  for (const m of html.matchAll(/class="([^"]*)"/g)) classLists.add(m[1]);
  const tokenSets = [...classLists].map((list) => new Set(list.split(/\s+/)));
  const fonts = new Set(["KaTeX_Main-Regular"]);
  for (const { classes, font } of KATEX_CLASS_FONTS) {
    if (tokenSets.some((tokens) => classes.every((c) => tokens.has(c)))) fonts.add(font);
  }
  return [...fonts];
}

/**
 * The opening of a chapter's HTML: everything before its `(chunks + 1)`-th `<div class="chunk">`
 * (the text before the first heading is a chunk too: see `lib/book/sections.ts`).
 *
 * @param html The chapter's rendered HTML.
 * @param chunks How many chunks count as the opening.
 * @returns The opening (all of `html` when it has no more chunks than that).
 * @example
 * ```ts
 * import { openingHtml } from "./katex_preloads.ts";
 * const chunk = (s: string) => `<div class="chunk">${s}</div>`;
 * const html = `<section class="part">${chunk("intro")}</section>` +
 *   `<section class="part">${chunk("a") + chunk("b")}</section>`;
 * if (openingHtml(html, 2) !== `<section class="part">${chunk("intro")}</section>` +
 *   `<section class="part">${chunk("a")}`) throw new Error(openingHtml(html, 2));
 * if (openingHtml(html, 3) !== html) throw new Error();
 * ```
 */
export function openingHtml(html: string, chunks: number = OPENING_CHUNKS): string {
  const marker = '<div class="chunk"';
  let at = -1;
  for (let seen = 0; seen <= chunks; seen++) {
    at = html.indexOf(marker, at + 1);
    if (at < 0) return html;
  }
  return html.slice(0, at);
}

/**
 * The preload URLs for the KaTeX fonts that the opening of `html` uses
 * ({@linkcode openingHtml}, {@linkcode katexFontsUsed}).
 *
 * @param html The page's rendered math and prose.
 * @returns Font URLs with the site's base path (empty when the opening holds no KaTeX).
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
  return katexFontsUsed(openingHtml(html)).map((font) =>
    sitePath(`/vendor/katex/fonts/${font}.woff2`)
  );
}
