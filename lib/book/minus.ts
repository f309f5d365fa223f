/**
 * Numbers as typeset: a hyphen-minus that starts a number or an exponent becomes the minus sign
 * U+2212, which is as wide as a plus and never a place to break a line ("1.0e-12" stays whole).
 *
 * @param text text with numbers in it
 * @returns the same text with minus signs
 * @example
 * ```ts
 * import { withMinusSigns } from "./minus.ts";
 * const out = withMinusSigns("-1.435 and 1.0e-12 in x-2 (-0.5), well-known");
 * if (out !== "\u22121.435 and 1.0e\u221212 in x-2 (\u22120.5), well-known") throw new Error(out);
 * ```
 */
export function withMinusSigns(text: string): string {
  // a minus at the start, after space or an opening bracket or "=", or in an exponent (1e-5)
  return text.replace(/(^|[\s([{=,;:]|\d[eE])-(?=\.?\d)/g, "$1\u2212");
}
