/**
 * The benchmark's results as rows, their medians, and the plain-text table `deno task bench` prints.
 *
 * @module
 */

/** One measured figure. */
export interface Row {
  /** Which part of the benchmark (e.g. "train deno/wasm"). */
  section: string;
  /** What was measured (e.g. "engine steps/s, B=256"). */
  name: string;
  /** The figure (a median), or a word when it could not be measured. */
  value: number | string;
  /** Its unit ("steps/s", "GFLOP/s", "x", "s", "B"). */
  unit: string;
  /** The goal in words (e.g. ">= 2"), when the issue sets one. */
  goal?: string;
  /** Whether the goal is met (absent when there is no goal or no value). */
  ok?: boolean;
  /** Anything a reader needs to read the figure (backend reason, run count). */
  note?: string;
}

/**
 * The median of some numbers (the mean of the two middle ones for an even count).
 *
 * @param values At least one number.
 * @returns The median.
 * @example
 * ```ts
 * import { median } from "./table.ts";
 * if (median([3, 1, 2]) !== 2 || median([4, 1, 3, 2]) !== 2.5) throw new Error("median");
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    throw new RangeError("Cannot take a median as there are no values: current length is 0");
  }
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * A number with about three significant digits, without exponent for everyday sizes.
 *
 * @param v The number.
 * @returns Its text ("1,234", "12.3", "0.0123", "2.00e-4", "n/a" for NaN).
 * @example
 * ```ts
 * import { formatNumber } from "./table.ts";
 * if (formatNumber(1234.5) !== "1,235") throw new Error(formatNumber(1234.5));
 * if (formatNumber(0.00021) !== "2.10e-4") throw new Error(formatNumber(0.00021));
 * ```
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "n/a" : String(v);
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a >= 1000) return Math.round(v).toLocaleString("en-US");
  if (a >= 0.01) return v.toPrecision(3).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  const [m, e] = v.toExponential(2).split("e");
  return `${m}e${Number(e)}`;
}

/**
 * The rows as an aligned plain-text table: section, measure, value + unit, goal, status, note.
 *
 * @param rows The rows, in print order.
 * @returns The table, one line per row under a header.
 * @example
 * ```ts
 * import { formatTable } from "./table.ts";
 * const text = formatTable([{ section: "s", name: "n", value: 2.5, unit: "x", goal: ">= 2", ok: true }]);
 * if (!text.split("\n")[2].includes("2.5 x") || !text.includes("ok")) throw new Error(text);
 * ```
 */
export function formatTable(rows: readonly Row[]): string {
  const header = ["section", "measure", "value", "goal", "status", "note"];
  const cells = rows.map((r) => [
    r.section,
    r.name,
    typeof r.value === "number" ? `${formatNumber(r.value)} ${r.unit}`.trim() : r.value,
    r.goal ?? "",
    r.ok === undefined ? "" : r.ok ? "ok" : "MISSED",
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join(" | ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...cells.map(line)].join(
    "\n",
  );
}

/**
 * Whether `value` meets a goal written as ">= x" or "<= x" (NaN or text: undefined).
 *
 * @param value The measured figure.
 * @param goal ">= 2", "<= 0.5", ...
 * @returns true, false, or undefined when it cannot be judged.
 * @example
 * ```ts
 * import { meets } from "./table.ts";
 * if (meets(3, ">= 2") !== true || meets(0.6, "<= 0.5") !== false) throw new Error("meets");
 * ```
 */
export function meets(value: number | string, goal: string): boolean | undefined {
  const m = goal.match(/^\s*(>=|<=)\s*(-?[\d.e+-]+)/);
  if (!m || typeof value !== "number" || !Number.isFinite(value)) return undefined;
  return m[1] === ">=" ? value >= Number(m[2]) : value <= Number(m[2]);
}
