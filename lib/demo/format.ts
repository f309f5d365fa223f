/**
 * How the demos write numbers for readers: MMD^2 with its threshold, durations, losses, and any
 * signed number with a true minus sign (U+2212), in fixed, significant-digit, scientific or short
 * (tick) form; "–" where there is no value yet. Islands write every number they show through
 * these, aria-labels included.
 *
 * @module
 */
import { MMD2_THRESHOLD } from "./config.ts";

/**
 * MMD^2 to four decimals (small values in scientific notation), e.g. `0.0012`.
 *
 * @example
 * ```ts
 * import { formatMmd2 } from "./format.ts";
 * if (formatMmd2(0.00123) !== "0.0012") throw new Error(formatMmd2(0.00123));
 * if (formatMmd2(0.00004) !== "4.0e\u22125") throw new Error(formatMmd2(0.00004));
 * ```
 */
export function formatMmd2(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (Math.abs(value) < 1e-4 && value !== 0) return minus(value.toExponential(1));
  return minus(value.toFixed(4));
}

/** Replaces ASCII hyphen-minus signs with U+2212. */
const minus = (text: string) => text.replace(/-/g, "\u2212");

/** `write(value)` with true minus signs; "–" for no value (undefined, NaN, ±Infinity). */
const shown = (value: number | undefined, write: (value: number) => string) =>
  value === undefined || !Number.isFinite(value) ? "–" : minus(write(value));

/**
 * A number with `digits` decimals and a true minus sign; "–" for no value (undefined, NaN).
 *
 * @example
 * ```ts
 * import { formatSigned } from "./format.ts";
 * if (formatSigned(-1.5, 2) !== "\u22121.50" || formatSigned(NaN) !== "–") throw new Error();
 * ```
 */
export function formatSigned(value: number | undefined, digits = 3): string {
  return shown(value, (v) => v.toFixed(digits));
}

/**
 * A number to `digits` significant digits (as `toPrecision` writes it) with true minus signs, in
 * the sign and in an exponent; "–" for no value.
 *
 * @example
 * ```ts
 * import { formatPrecision } from "./format.ts";
 * if (formatPrecision(-0.012345, 3) !== "\u22120.0123") throw new Error(formatPrecision(-0.012345, 3));
 * if (formatPrecision(1.5e-9, 2) !== "1.5e\u22129") throw new Error(formatPrecision(1.5e-9, 2));
 * ```
 */
export function formatPrecision(value: number | undefined, digits: number): string {
  return shown(value, (v) => v.toPrecision(digits));
}

/**
 * A number in scientific notation with `digits` decimals, e.g. `4.61e−1`, true minus signs;
 * "–" for no value.
 *
 * @example
 * ```ts
 * import { formatExponential } from "./format.ts";
 * if (formatExponential(0.461, 2) !== "4.61e\u22121") throw new Error(formatExponential(0.461, 2));
 * ```
 */
export function formatExponential(value: number | undefined, digits: number): string {
  return shown(value, (v) => v.toExponential(digits));
}

const SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/**
 * A number as a power of ten, `m·10ⁿ` with `digits` decimals in m and superscript digits, as the
 * demos' notes and chart legends print thresholds; "–" for no value.
 *
 * @example
 * ```ts
 * import { formatPowerOfTen } from "./format.ts";
 * if (formatPowerOfTen(2e-3) !== "2·10⁻³") throw new Error(formatPowerOfTen(2e-3));
 * if (formatPowerOfTen(-12500, 2) !== "\u22121.25·10⁴") throw new Error(formatPowerOfTen(-12500, 2));
 * ```
 */
export function formatPowerOfTen(value: number, digits = 0): string {
  return shown(value, (v) => {
    const [mantissa, exponent] = v.toExponential(digits).split("e");
    const n = Number(exponent);
    const power = [...String(Math.abs(n))].map((d) => SUPERSCRIPT_DIGITS[Number(d)]).join("");
    return `${mantissa}·10${n < 0 ? "⁻" : ""}${power}`;
  });
}

/**
 * A short label for an axis tick or a list of values: at most `digits` significant digits with
 * trailing zeros dropped, a true minus sign, and "0" within 1e-12 of zero (no "−0", no "1e-13").
 *
 * @example
 * ```ts
 * import { formatShort } from "./format.ts";
 * const ticks = [-2, 0.5, 2.5, 1e-13, 0.30000000000000004].map((v) => formatShort(v));
 * if (ticks.join(" ") !== "\u22122 0.5 2.5 0 0.3") throw new Error(ticks.join(" "));
 * ```
 */
export function formatShort(value: number, digits = 4): string {
  return shown(value, (v) => (Math.abs(v) < 1e-12 ? "0" : String(Number(v.toPrecision(digits)))));
}

/**
 * Whether an MMD^2 value counts as good samples (below docs/quality.md's threshold 2e-3).
 *
 * @example
 * ```ts
 * import { isGoodMmd2 } from "./format.ts";
 * if (!isGoodMmd2(0.0019) || isGoodMmd2(0.002)) throw new Error("threshold is strict 2e-3");
 * ```
 */
export function isGoodMmd2(value: number): boolean {
  return value < MMD2_THRESHOLD;
}

/**
 * Seconds with one decimal below a minute, `m:ss` above.
 *
 * @example
 * ```ts
 * import { formatElapsed } from "./format.ts";
 * if (formatElapsed(12_340) !== "12.3 s" || formatElapsed(75_000) !== "1:15") throw new Error();
 * ```
 */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.floor(s);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/**
 * A loss with three significant digits; "–" before there is one.
 *
 * @example
 * ```ts
 * import { formatLoss } from "./format.ts";
 * if (formatLoss(0.123456) !== "0.123" || formatLoss(NaN) !== "–") throw new Error();
 * ```
 */
export function formatLoss(value: number | undefined): string {
  return formatPrecision(value, 3);
}
