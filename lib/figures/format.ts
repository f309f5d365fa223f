/**
 * Numbers as figures and tables print them: a true minus sign (U+2212), a fixed number of
 * significant digits, and powers of ten with superscript digits for very small or large values.
 *
 * @module
 */

const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/**
 * Formats a number with `digits` significant digits; below 10⁻³ or from 10⁵ on as `m × 10ᵉ`.
 *
 * @param x the number (finite)
 * @param digits significant digits (default 3)
 * @returns the text, with U+2212 for minus
 * @throws {RangeError} when x is not finite
 * @example
 * ```ts
 * import { formatNumber } from "./format.ts";
 * if (formatNumber(-0.012345) !== "−0.0123") throw new Error(formatNumber(-0.012345));
 * if (formatNumber(4.0237e-5) !== "4.02 × 10⁻⁵") throw new Error(formatNumber(4.0237e-5));
 * if (formatNumber(220.4) !== "220") throw new Error(formatNumber(220.4));
 * ```
 */
export function formatNumber(x: number, digits = 3): string {
  if (!Number.isFinite(x)) {
    throw new RangeError(`Cannot format a number as it must be finite: current value is ${x}`);
  }
  if (x === 0) return "0";
  const a = Math.abs(x);
  let text: string;
  if (a < 1e-3 || a >= 1e5) {
    const [mantissa, exponent] = x.toExponential(digits - 1).split("e");
    const e = String(Number(exponent)).split("").map((c) => SUPERSCRIPT[c]).join("");
    text = `${mantissa} × 10${e}`;
  } else {
    text = String(Number(x.toPrecision(digits)));
    if (text.includes("e")) text = x.toFixed(0);
  }
  return text.replaceAll("-", "−");
}

/**
 * Formats a number with a fixed number of decimals (for columns that line up), U+2212 for minus.
 *
 * @param x the number
 * @param decimals digits after the point
 * @returns the text
 * @example
 * ```ts
 * import { formatFixed } from "./format.ts";
 * if (formatFixed(-1.5, 2) !== "−1.50") throw new Error(formatFixed(-1.5, 2));
 * if (formatFixed(-0.0001, 2) !== "0.00") throw new Error("no negative zero");
 * ```
 */
export function formatFixed(x: number, decimals: number): string {
  const text = x.toFixed(decimals);
  return (Number(text) === 0 ? text.replace("-", "") : text).replaceAll("-", "−");
}

/**
 * A tick label for a log axis: powers of ten from 10⁻³ down and 10⁴ up as `10ᵉ`, others plainly.
 *
 * @param x the tick value (> 0)
 * @returns the label
 * @example
 * ```ts
 * import { logTick } from "./format.ts";
 * if (logTick(1e-6) !== "10⁻⁶" || logTick(0.01) !== "0.01" || logTick(100) !== "100") throw new Error();
 * ```
 */
export function logTick(x: number): string {
  const e = Math.round(Math.log10(x));
  if (Math.abs(x - 10 ** e) < 1e-9 * x && (e < -2 || e > 3)) {
    return "10" + String(e).split("").map((c) => SUPERSCRIPT[c]).join("");
  }
  return formatNumber(x, 2);
}
