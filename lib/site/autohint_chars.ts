/**
 * The characters FreeType's autohinter measures a font by. Chromium on Linux (Lighthouse's phone
 * emulation included) draws text with FreeType's light hinting, which fits each glyph to zones
 * (x-height, cap height, descender) and stem widths that it measures, per script, on a few
 * reference characters of the font (FreeType's `src/autofit/afblue.dat`, `afranges.c`). A subset
 * without them measures other zones, and its Greek letters came out antialiased differently: β and
 * α differed in 56 pixels on the notation page. So a font keeps a script's reference characters
 * whenever it keeps any character of that script. KaTeX's fonts hold two such scripts: Latin,
 * whose reference characters are printable ASCII (kept in every subset), and Greek.
 *
 * @module
 */

/** Unicode blocks FreeType's autohinter counts as Greek (`afranges.c`, `af_grek_uniranges`). */
export const GREEK_RANGES: readonly (readonly [number, number])[] = Object.freeze(
  [
    [0x0370, 0x03ff],
    [0x1f00, 0x1fff],
  ] as const,
);

/** Greek's blue-zone and standard-width characters (`afblue.dat`, `afscript.h`). */
export const GREEK_REFERENCE = "ΓΒΕΖΘΟΩΔΞβθδζλξαειοπστωγημρφχψ";

const isGreek = (c: number) => GREEK_RANGES.some(([a, b]) => c >= a && c <= b);

/**
 * The characters to keep in a font's subset so that FreeType hints each kept glyph as in the
 * whole font: `codePoints`, and Greek's reference characters when one of them is Greek.
 *
 * @param codePoints the characters the subset must draw
 * @returns a new set
 * @example
 * ```ts
 * import { withAutohintReferences } from "./autohint_chars.ts";
 * const cps = (s: string) => new Set([...s].map((c) => c.codePointAt(0)!));
 * if (withAutohintReferences(cps("x+y")).size !== 3) throw new Error("no Greek, nothing added");
 * if (!withAutohintReferences(cps("θ")).has(0x3bf)) throw new Error("ο measures Greek stems");
 * ```
 */
export function withAutohintReferences(codePoints: ReadonlySet<number>): Set<number> {
  const out = new Set(codePoints);
  if ([...codePoints].some(isGreek)) {
    for (const c of GREEK_REFERENCE) out.add(c.codePointAt(0)!);
  }
  return out;
}
