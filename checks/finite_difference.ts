/**
 * The finite-difference gradient the equation checks use as their independent route to a score
 * (chapters 4 and 5): no engine code, so a wrong analytic gradient in the engine cannot agree
 * with it by construction.
 *
 * @module
 */

/**
 * d/dx_i of f at x by the fourth-order central stencil; error O(h^4 f^(5)) + O(eps |f| / h).
 *
 * @param f the function of a point
 * @param x the point
 * @param h the step
 * @returns the gradient, one entry a coordinate
 * @example
 * ```ts
 * import { gradientFd } from "./finite_difference.ts";
 * const g = gradientFd((x) => x[0] ** 3 + 2 * x[1], [2, 5]); // [12, 2]
 * if (Math.abs(g[0] - 12) > 1e-9 || Math.abs(g[1] - 2) > 1e-9) throw new Error(`${g}`);
 * ```
 */
export function gradientFd(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  h = 1e-3,
): Float64Array {
  const g = new Float64Array(x.length); // [dim]
  for (let i = 0; i < x.length; i++) {
    const at = (d: number) => {
      const y = Float64Array.from(x); // [dim]
      y[i] += d;
      return f(y);
    };
    g[i] = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
  }
  return g;
}
