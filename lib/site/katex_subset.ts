/**
 * KaTeX's fonts cut to the characters the site can draw. Each of KaTeX's 20 woff2 fonts covers far
 * more than the book uses (KaTeX_AMS-Regular holds 257 characters); on a phone link the fonts a
 * chapter's first screen needs are what its largest paint waits for, as the fonts are
 * `font-display: block`. HarfBuzz's subsetter (npm `subset-font`) keeps exactly the glyphs of the
 * characters asked for, with the font's metrics, hinting and tables otherwise unchanged, so a kept
 * glyph draws as before. HarfBuzz also keeps each kept character's mirror image for right-to-left
 * text (≥ comes with ≤, `>` with `<`), and {@link subsetKatexFonts} keeps the characters FreeType
 * hints a font's Greek by (`autohint_chars.ts`), so that a kept glyph is drawn pixel for pixel as
 * before. A character left out would draw a formula in a fallback font, so
 * {@link subsetKatexFonts} reads every font it writes back and fails unless it maps every
 * character asked for that the original font maps, and nothing the original does not.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { join } from "node:path";
import subsetFont from "subset-font";
import wawoff2 from "wawoff2";
import { Blob, Face } from "harfbuzzjs";
import { SHIPPED_FONT } from "./katex_fonts.ts";
import { withAutohintReferences } from "./autohint_chars.ts";

/**
 * The Unicode code points a font's cmap maps to a glyph.
 *
 * @param font a woff2 or sfnt (TrueType/OpenType) font file
 * @returns the code points
 * @example
 * ```ts
 * import { createRequire } from "node:module";
 * import { fontCodePoints } from "./katex_subset.ts";
 * const file = createRequire(import.meta.url).resolve("katex/dist/fonts/KaTeX_Size1-Regular.woff2");
 * const cps = await fontCodePoints(await Deno.readFile(file));
 * if (!cps.has(0x2211) || cps.has(0x61)) throw new Error("Size1 holds the big ∑, not the letter a");
 * ```
 */
export async function fontCodePoints(font: Uint8Array): Promise<Set<number>> {
  const sfnt: Uint8Array = isWoff2(font) ? await wawoff2.decompress(font) : font;
  return new Set(new Face(new Blob(sfnt), 0).collectUnicodes());
}

const isWoff2 = (font: Uint8Array) =>
  font[0] === 0x77 && font[1] === 0x4f && font[2] === 0x46 && font[3] === 0x32; // "wOF2"

/**
 * A woff2 font cut to the glyphs of the given characters and their mirror images (the font's other
 * characters are gone).
 *
 * @param font the woff2 font file
 * @param codePoints the characters to keep; those the font lacks are ignored
 * @returns the subset, as woff2
 * @example
 * ```ts
 * import { createRequire } from "node:module";
 * import { fontCodePoints, subsetWoff2 } from "./katex_subset.ts";
 * const file = createRequire(import.meta.url).resolve("katex/dist/fonts/KaTeX_Main-Regular.woff2");
 * const font = await Deno.readFile(file);
 * const cut = await subsetWoff2(font, new Set([..."a+b"].map((c) => c.codePointAt(0)!)));
 * const kept = [...await fontCodePoints(cut)].map((c) => String.fromCodePoint(c)).sort();
 * if (kept.join("") !== "+ab" || cut.length >= font.length) throw new Error(kept.join(""));
 * ```
 */
export async function subsetWoff2(
  font: Uint8Array,
  codePoints: ReadonlySet<number>,
): Promise<Uint8Array> {
  const text = String.fromCodePoint(...[...codePoints].filter(isScalarValue));
  const out: Uint8Array = await subsetFont(Buffer.from(font), text, { targetFormat: "woff2" });
  return new Uint8Array(out);
}

/** A code point that a string can hold alone (not a lone surrogate). */
const isScalarValue = (c: number) => c >= 0 && c <= 0x10ffff && (c < 0xd800 || c > 0xdfff);

/** One font as shipped: its name and its size before and after subsetting, in bytes. */
export interface FontSubset {
  name: string;
  before: number;
  after: number;
  /** How many characters the subset maps (of `available` in the original font). */
  kept: number;
  available: number;
}

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Subsets every woff2 font of `fromDir` (KaTeX's `dist/fonts`) to `codePoints` (with FreeType's
 * reference characters for the scripts kept, `autohint_chars.ts`) and writes each subset into
 * every folder of `toDirs` under the same name, after reading it back: its cmap must hold every
 * character of `codePoints` that the original font maps, and no character the original does not.
 *
 * @param opts `fromDir`: the original fonts; `toDirs`: where the site serves them from;
 *   `codePoints`: every character the site can draw in a KaTeX font
 * @returns each font's sizes, by name
 * @throws Error "Cannot ship ... as ...: current value is ..." when a subset lacks a character asked
 *   for or maps one the original does not (a HarfBuzz or KaTeX upgrade changed something), or
 *   `fromDir` holds no woff2
 * @example
 * ```ts
 * import { createRequire } from "node:module";
 * import { dirname } from "node:path";
 * import { subsetKatexFonts } from "./katex_subset.ts";
 * const from = dirname(createRequire(import.meta.url).resolve("katex/dist/fonts/KaTeX_Main-Regular.woff2"));
 * const to = await Deno.makeTempDir();
 * const fonts = await subsetKatexFonts({ fromDir: from, toDirs: [to], codePoints: new Set([0x78]) });
 * const main = fonts.find((f) => f.name === "KaTeX_Main-Regular.woff2")!;
 * if (fonts.length !== 20 || main.kept !== 1 || main.after >= main.before) throw new Error();
 * await Deno.remove(to, { recursive: true });
 * ```
 */
export async function subsetKatexFonts(
  opts: { fromDir: string; toDirs: readonly string[]; codePoints: ReadonlySet<number> },
): Promise<FontSubset[]> {
  const names = [...Deno.readDirSync(opts.fromDir)].map((e) => e.name)
    .filter((n) => SHIPPED_FONT.test(n)).sort();
  if (names.length === 0) {
    throw new Error(
      `Cannot subset KaTeX's fonts as ${opts.fromDir} holds no woff2 font: current ` +
        `value is ${JSON.stringify([...Deno.readDirSync(opts.fromDir)].map((e) => e.name))}`,
    );
  }
  const out: FontSubset[] = [];
  for (const name of names) {
    const font = await Deno.readFile(join(opts.fromDir, name));
    const had = await fontCodePoints(font);
    // what this font draws, and the characters FreeType hints those glyphs by
    const asked = withAutohintReferences(new Set([...had].filter((c) => opts.codePoints.has(c))));
    const cut = await subsetWoff2(font, asked);
    const has = await fontCodePoints(cut);
    const lost = [...had].filter((c) => asked.has(c) && !has.has(c));
    const invented = [...has].filter((c) => !had.has(c));
    if (lost.length > 0 || invented.length > 0) {
      throw new Error(
        `Cannot ship the subset of ${name} as it lacks characters asked for or maps characters ` +
          `the original does not: current value is missing ${lost.map(hex).join(" ") || "none"}, ` +
          `not in the original ${invented.map(hex).join(" ") || "none"}`,
      );
    }
    for (const dir of opts.toDirs) {
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeFile(join(dir, name), cut);
    }
    out.push({ name, before: font.length, after: cut.length, kept: has.size, available: had.size });
  }
  return out;
}
