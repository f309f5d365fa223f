/**
 * Small float64 helpers shared by the exact math: input checks that name what failed, element-wise
 * maps over "a number or an array", and a stable log-sum-exp.
 *
 * @module
 */

/** A number (one coordinate) or an array of coordinates. */
export type Value = number | ArrayLike<number>;

/** What an element-wise function returns for an input of type `X`: a number for a number, else a Float64Array. */
export type Like<X> = X extends number ? number : Float64Array;

/** The type a second argument must have next to a first of type `X`: a number, or any array. */
export type Partner<X> = X extends number ? number : ArrayLike<number>;

/**
 * Throws a RangeError unless `x` is a finite number.
 *
 * @param x The value to check.
 * @param action What the caller was doing, e.g. "compute the posterior mean".
 * @param name The value's name in the book's notation, e.g. "x_t".
 * @example
 * ```ts
 * import { assertFinite } from "./vector.ts";
 * let message = "";
 * try { assertFinite(NaN, "add noise", "x_0"); } catch (e) { message = (e as Error).message; }
 * if (message !== "Cannot add noise as x_0 must be finite: current value is NaN") throw new Error(message);
 * ```
 */
export function assertFinite(x: number, action: string, name: string): void {
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new RangeError(`Cannot ${action} as ${name} must be finite: current value is ${x}`);
  }
}

/**
 * Throws a RangeError unless `v` is a finite number > 0 (or >= 0 with `allowZero`).
 *
 * @example
 * ```ts
 * import { assertPositive } from "./vector.ts";
 * let threw = false;
 * try { assertPositive(-1, "evaluate a density", "the variance"); } catch { threw = true; }
 * if (!threw) throw new Error("a negative variance must be rejected");
 * ```
 */
export function assertPositive(v: number, action: string, name: string, allowZero = false): void {
  const ok = typeof v === "number" && Number.isFinite(v) && (allowZero ? v >= 0 : v > 0);
  if (!ok) {
    const bound = allowZero ? ">= 0" : "> 0";
    throw new RangeError(
      `Cannot ${action} as ${name} must be finite and ${bound}: current value is ${v}`,
    );
  }
}

/**
 * Copies an array into a new Float64Array, checking every entry is finite.
 *
 * @example
 * ```ts
 * import { toVector } from "./vector.ts";
 * const v = toVector([1, 2], "sum", "x");
 * if (!(v instanceof Float64Array) || v[1] !== 2) throw new Error("copied");
 * ```
 */
export function toVector(x: ArrayLike<number>, action: string, name: string): Float64Array {
  if (x === null || typeof x !== "object" || typeof x.length !== "number") {
    throw new TypeError(`Cannot ${action} as ${name} must be an array: current value is ${x}`);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(
        `Cannot ${action} as ${name}[${i}] must be finite: current value is ${v}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/**
 * Checks that all inputs are numbers, or all are arrays of one length; returns that length
 * (-1 for numbers).
 */
function commonLength(action: string, names: string[], values: Value[]): number {
  const isNumber = typeof values[0] === "number";
  const n = isNumber ? -1 : (values[0] as ArrayLike<number>).length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isNumber) assertFinite(v as number, action, names[i]);
    else {
      if (typeof v === "number") {
        throw new TypeError(
          `Cannot ${action} as ${names[i]} must be an array like ${
            names[0]
          }: current value is ${v}`,
        );
      }
      if (v.length !== n) {
        throw new RangeError(
          `Cannot ${action} as ${names[i]} must have length ${n} like ${
            names[0]
          }: current value is ${v.length}`,
        );
      }
      for (let j = 0; j < n; j++) {
        if (!Number.isFinite(v[j])) {
          throw new RangeError(
            `Cannot ${action} as ${names[i]}[${j}] must be finite: current value is ${v[j]}`,
          );
        }
      }
    }
  }
  return n;
}

/**
 * Applies `f` element-wise to one value (number or array), after checking it is finite.
 *
 * @example
 * ```ts
 * import { map1 } from "./vector.ts";
 * const y = map1("double", "x", [1, 2], (x) => 2 * x);
 * if (y[1] !== 4) throw new Error("element-wise");
 * ```
 */
export function map1<X extends Value>(
  action: string,
  name: string,
  a: X,
  f: (a: number) => number,
): Like<X> {
  const n = commonLength(action, [name], [a]);
  if (n < 0) return f(a as number) as Like<X>;
  const out = new Float64Array(n);
  const aa = a as ArrayLike<number>;
  for (let i = 0; i < n; i++) out[i] = f(aa[i]);
  return out as Like<X>;
}

/**
 * Applies `f` element-wise to two values of the same shape (numbers, or arrays of one length).
 *
 * @example
 * ```ts
 * import { map2 } from "./vector.ts";
 * if (map2("add", ["x", "y"], 1, 2, (x, y) => x + y) !== 3) throw new Error("numbers");
 * ```
 */
export function map2<X extends Value>(
  action: string,
  names: [string, string],
  a: X,
  b: Partner<X>,
  f: (a: number, b: number) => number,
): Like<X> {
  const n = commonLength(action, names, [a, b as Value]);
  if (n < 0) return f(a as number, b as number) as Like<X>;
  const out = new Float64Array(n);
  const aa = a as ArrayLike<number>, bb = b as ArrayLike<number>;
  for (let i = 0; i < n; i++) out[i] = f(aa[i], bb[i]);
  return out as Like<X>;
}

/**
 * Sums `f(a_i, b_i, c_i)` over three values of the same shape (numbers, or arrays of one length).
 *
 * @example
 * ```ts
 * import { sum3 } from "./vector.ts";
 * if (sum3("sum", ["a", "b", "c"], [1, 2], [3, 4], [5, 6], (a, b, c) => a * b * c) !== 63) {
 *   throw new Error("1*3*5 + 2*4*6 = 63");
 * }
 * ```
 */
export function sum3(
  action: string,
  names: [string, string, string],
  a: Value,
  b: Value,
  c: Value,
  f: (a: number, b: number, c: number) => number,
): number {
  const n = commonLength(action, names, [a, b, c]);
  if (n < 0) return f(a as number, b as number, c as number);
  const aa = a as ArrayLike<number>, bb = b as ArrayLike<number>, cc = c as ArrayLike<number>;
  let s = 0;
  for (let i = 0; i < n; i++) s += f(aa[i], bb[i], cc[i]);
  return s;
}

/**
 * Number of coordinates of a value: 1 for a number, else its length.
 *
 * @example
 * ```ts
 * import { dimOf } from "./vector.ts";
 * if (dimOf(3) !== 1 || dimOf([1, 2]) !== 2) throw new Error("dimension");
 * ```
 */
export function dimOf(x: Value): number {
  return typeof x === "number" ? 1 : x.length;
}

/**
 * Dot product of two arrays of one length.
 *
 * @example
 * ```ts
 * import { dot } from "./vector.ts";
 * if (dot([1, 2], [3, 4]) !== 11) throw new Error("1*3 + 2*4 = 11");
 * ```
 */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return sum3("take a dot product", ["a", "b", "b"], a, b, b, (x, y) => x * y);
}

/**
 * a x + b y for arrays of one length (a new Float64Array).
 *
 * @example
 * ```ts
 * import { axpby } from "./vector.ts";
 * const z = axpby(2, [1, 1], -1, [0, 3]);
 * if (z[0] !== 2 || z[1] !== -1) throw new Error("2 (1,1) - (0,3) = (2,-1)");
 * ```
 */
export function axpby(
  a: number,
  x: ArrayLike<number>,
  b: number,
  y: ArrayLike<number>,
): Float64Array {
  assertFinite(a, "combine arrays", "a");
  assertFinite(b, "combine arrays", "b");
  return map2("combine arrays", ["x", "y"], x, y, (u, v) => a * u + b * v);
}

/**
 * log(sum_i exp(v_i)), stable for large or very negative entries; entries may be -Infinity
 * (a zero weight), and the result is -Infinity when all are.
 *
 * @example
 * ```ts
 * import { logSumExp } from "./vector.ts";
 * const v = logSumExp([1000, 1000]);
 * if (Math.abs(v - (1000 + Math.log(2))) > 1e-12) throw new Error("no overflow");
 * ```
 */
export function logSumExp(values: ArrayLike<number>): number {
  if (values.length === 0) {
    throw new RangeError(
      "Cannot take log-sum-exp as the list must not be empty: current value is []",
    );
  }
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v) || v === Infinity) {
      throw new RangeError(
        `Cannot take log-sum-exp as entry ${i} must be finite or -Infinity: current value is ${v}`,
      );
    }
    if (v > max) max = v;
  }
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.exp(values[i] - max);
  return max + Math.log(s);
}
