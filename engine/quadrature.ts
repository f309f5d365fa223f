/**
 * One-dimensional quadrature for densities given by their logarithm: the trapezoid rule on a
 * uniform grid. For smooth integrands that decay fast (Gaussians and mixtures of them) the
 * trapezoid rule converges geometrically in the number of points per standard deviation, so a
 * grid with ~16 points per standard deviation that covers +-12 standard deviations is accurate
 * to float64 round-off. The equation checks use it as the "brute-force integral" route.
 *
 * @module
 */

/** Moments of an unnormalised density: its mass, mean and variance. */
export interface DensityMoments {
  /** integral of exp(logDensity) (0 when it underflows; see `logMass`). */
  mass: number;
  /** log of the integral, exact even when `mass` underflows. */
  logMass: number;
  /** Mean of the normalised density. */
  mean: number;
  /** Variance of the normalised density. */
  variance: number;
}

function assertGrid(lo: number, hi: number, n: number, action: string): void {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) {
    throw new RangeError(
      `Cannot ${action} as [lo, hi] must be a finite interval: current value is [${lo}, ${hi}]`,
    );
  }
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`Cannot ${action} as n must be an integer >= 2: current value is ${n}`);
  }
}

/**
 * The uniform grid lo, lo + h, ..., hi with n points.
 *
 * @param lo First point.
 * @param hi Last point.
 * @param n Number of points (at least 2).
 * @returns The grid.
 * @example
 * ```ts
 * import { uniformGrid } from "./quadrature.ts";
 * const g = uniformGrid(0, 1, 5);
 * if (g[2] !== 0.5 || g.length !== 5) throw new Error("0, 0.25, 0.5, 0.75, 1");
 * ```
 */
export function uniformGrid(lo: number, hi: number, n: number): Float64Array {
  assertGrid(lo, hi, n, "build a grid");
  const h = (hi - lo) / (n - 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + i * h;
  return out;
}

/**
 * Trapezoid rule for the integral of f over [lo, hi] with n points.
 *
 * @param f Integrand.
 * @param lo Lower limit.
 * @param hi Upper limit.
 * @param n Number of grid points (at least 2).
 * @returns The approximate integral.
 * @example
 * ```ts
 * import { trapezoid } from "./quadrature.ts";
 * // \int_{-12}^{12} e^{-x^2/2} dx = \sqrt{2\pi} to round-off
 * const v = trapezoid((x) => Math.exp(-x * x / 2), -12, 12, 401);
 * if (Math.abs(v - Math.sqrt(2 * Math.PI)) > 1e-13) throw new Error("Gaussian integral");
 * ```
 */
export function trapezoid(f: (x: number) => number, lo: number, hi: number, n: number): number {
  assertGrid(lo, hi, n, "integrate");
  const h = (hi - lo) / (n - 1);
  let s = 0.5 * (f(lo) + f(hi));
  for (let i = 1; i < n - 1; i++) s += f(lo + i * h);
  return s * h;
}

/**
 * Mass, mean and variance of exp(logDensity) over [lo, hi] by the trapezoid rule, computed
 * relative to the largest log-density on the grid so that very peaked densities do not overflow.
 *
 * @param logDensity Log of an unnormalised density.
 * @param lo Lower limit.
 * @param hi Upper limit.
 * @param n Number of grid points (at least 2).
 * @returns The moments.
 * @example
 * ```ts
 * import { densityMoments } from "./quadrature.ts";
 * const m = densityMoments((x) => -((x - 1) ** 2) / (2 * 0.25), -5, 7, 2001);
 * if (Math.abs(m.mean - 1) > 1e-12 || Math.abs(m.variance - 0.25) > 1e-12) throw new Error("N(1, 0.25)");
 * ```
 */
export function densityMoments(
  logDensity: (x: number) => number,
  lo: number,
  hi: number,
  n: number,
): DensityMoments {
  const xs = uniformGrid(lo, hi, n); // [n]
  const logs = xs.map(logDensity); // [n]
  let top = -Infinity;
  for (const l of logs) top = Math.max(top, l);
  if (!Number.isFinite(top)) {
    throw new RangeError(
      `Cannot integrate a density as its log is not finite on the grid: current maximum is ${top}`,
    );
  }
  let s0 = 0, s1 = 0;
  for (let i = 0; i < n; i++) {
    const w = (i === 0 || i === n - 1 ? 0.5 : 1) * Math.exp(logs[i] - top);
    s0 += w;
    s1 += w * xs[i];
  }
  const mean = s1 / s0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const w = (i === 0 || i === n - 1 ? 0.5 : 1) * Math.exp(logs[i] - top);
    s2 += w * (xs[i] - mean) ** 2;
  }
  const h = xs[1] - xs[0];
  const logMass = Math.log(s0 * h) + top;
  return { mass: Math.exp(logMass), logMass, mean, variance: s2 / s0 };
}
