/**
 * WCAG 2 contrast between two sRGB colours, and the nearest colour that reaches a given ratio:
 * the code colours (lib/book/highlight.ts) are checked and, where needed, adjusted against the
 * page's code background in each theme, so highlighted code reads at 4.5:1 or better.
 *
 * @module
 */

/** `#rgb` or `#rrggbb` (an alpha part is ignored) to 0–255 channels. */
function channels(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{3,8})$/i.exec(hex.trim());
  if (!m || ![3, 4, 6, 8].includes(m[1].length)) {
    throw new RangeError(
      `Cannot read a colour as it is not #rgb or #rrggbb: current value is ${hex}`,
    );
  }
  const h = m[1].length <= 4 ? [...m[1].slice(0, 3)].map((c) => c + c).join("") : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/**
 * The WCAG contrast ratio of two colours, 1 to 21.
 *
 * @param a a colour, `#rrggbb`
 * @param b another
 * @returns the ratio
 * @example
 * ```ts
 * import { contrastRatio } from "./contrast.ts";
 * if (Math.abs(contrastRatio("#000", "#fff") - 21) > 1e-9) throw new Error("black on white");
 * ```
 */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [luminance(channels(a)), luminance(channels(b))].sort((x, y) => y - x);
  return (la + 0.05) / (lb + 0.05);
}

/**
 * `colour` itself when it reaches `ratio` against `background`, else the least mix of it with
 * black (on a light background) or white (on a dark one) that does, as `#rrggbb`.
 *
 * @param colour the text colour
 * @param background the background
 * @param ratio the contrast to reach (4.5 for text)
 * @returns a colour with at least that contrast
 * @example
 * ```ts
 * import { contrastRatio, withContrast } from "./contrast.ts";
 * const c = withContrast("#e36209", "#f3f1ec", 4.5);
 * if (contrastRatio(c, "#f3f1ec") < 4.5 || withContrast("#000000", "#ffffff", 4.5) !== "#000000") {
 *   throw new Error(c);
 * }
 * ```
 */
export function withContrast(colour: string, background: string, ratio: number): string {
  const fg = channels(colour);
  const bg = channels(background);
  const toward = luminance(bg) > 0.18 ? 0 : 255;
  const hex = (c: readonly number[]) =>
    "#" + c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  for (let step = 0; step <= 100; step++) {
    const t = step / 100;
    const mixed = fg.map((v) => v + (toward - v) * t);
    const candidate = hex(mixed);
    if (contrastRatio(candidate, hex(bg)) >= ratio) return step === 0 ? colour : candidate;
  }
  return hex([toward, toward, toward]);
}
