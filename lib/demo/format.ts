/**
 * How the demos write numbers for readers: MMD^2 with its threshold, durations, losses, and any
 * signed number with a true minus sign (U+2212); "–" where there is no value yet.
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
  return value === undefined || !Number.isFinite(value) ? "–" : minus(value.toFixed(digits));
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
  return value !== undefined && Number.isFinite(value) ? minus(value.toPrecision(3)) : "–";
}
