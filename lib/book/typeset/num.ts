/**
 * A number with a bound on its absolute error: what the typeset evaluator computes with, so that
 * the tolerance of each comparison is derived from the arithmetic that produced both sides (float64
 * rounding, quadrature error, Monte Carlo standard error) instead of chosen by hand.
 *
 * @module
 */

/** A value and a bound on its absolute error. */
export interface Num {
  v: number;
  e: number;
}

/** Rounding of one float64 operation, relative (2^-52 with a safety factor of 4). */
export const ULP = 4 * 2 ** -52;

/**
 * A number known to float64 rounding.
 *
 * @example
 * ```ts
 * import { exact } from "./num.ts";
 * if (exact(2).v !== 2 || exact(2).e <= 0) throw new Error("exact");
 * ```
 */
export function exact(v: number, relErr = ULP): Num {
  return { v, e: Math.abs(v) * relErr + Number.MIN_VALUE };
}

function round(v: number, e: number): Num {
  return { v, e: e + Math.abs(v) * ULP };
}

/** a + b */
export const add = (a: Num, b: Num): Num => round(a.v + b.v, a.e + b.e);
/** a - b */
export const sub = (a: Num, b: Num): Num => round(a.v - b.v, a.e + b.e);
/** a · b */
export const mul = (a: Num, b: Num): Num =>
  round(a.v * b.v, Math.abs(a.v) * b.e + Math.abs(b.v) * a.e + a.e * b.e);
/** a / b */
export function div(a: Num, b: Num): Num {
  const lo = Math.max(Math.abs(b.v) - b.e, Math.abs(b.v) * 0.5);
  return round(a.v / b.v, (Math.abs(a.v) * b.e / Math.abs(b.v) + a.e) / lo);
}
/** -a */
export const neg = (a: Num): Num => ({ v: -a.v, e: a.e });
/** a^p for a plain exponent p */
export function pow(a: Num, p: number): Num {
  const v = a.v ** p;
  const d = a.v === 0 ? 0 : Math.abs(p * v / a.v);
  return round(v, d * a.e);
}
/** √a */
export function sqrt(a: Num): Num {
  const v = Math.sqrt(a.v);
  return round(v, v > 0 ? a.e / (2 * v) : Math.sqrt(a.e));
}
/** e^a */
export function exp(a: Num): Num {
  const v = Math.exp(a.v);
  return round(v, v * (Math.exp(a.e) - 1));
}
/** natural log */
export function log(a: Num): Num {
  return round(Math.log(a.v), a.e / Math.max(Math.abs(a.v) - a.e, Math.abs(a.v) * 0.5));
}
/** |a| */
export const abs = (a: Num): Num => ({ v: Math.abs(a.v), e: a.e });
