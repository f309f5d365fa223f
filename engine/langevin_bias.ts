/**
 * The bias of unadjusted Langevin dynamics at a finite step size, computed rather than asserted: in
 * 1-D the chain's transition kernel N(x'; x + (delta/2) s(x), delta) is discretised on a grid and its
 * stationary density found by solving pi = pi P directly (dense Gaussian elimination), so the answer
 * does not depend on how slowly the chain crosses between modes.
 *
 * @module
 */
import { assertPositive } from "./vector.ts";

/** The chain's stationary density on a grid, and how far it is from the target. */
export interface LangevinStationary1D {
  /** Grid points (uniform). */
  grid: Float64Array;
  /** Stationary density of the chain at the grid points (integrates to 1 by the trapezoid rule). */
  density: Float64Array;
  /** Mean of the stationary density. */
  mean: number;
  /** Variance of the stationary density. */
  variance: number;
}

/** Solves A x = b in place by Gaussian elimination with partial pivoting (A is n x n, row-major). */
function solveDense(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    }
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const tmp = a[col * n + c];
        a[col * n + c] = a[pivot * n + c];
        a[pivot * n + c] = tmp;
      }
      const tb = b[col];
      b[col] = b[pivot];
      b[pivot] = tb;
    }
    const d = a[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / d;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] -= f * a[col * n + c];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < n; c++) s -= a[r * n + c] * x[c];
    x[r] = s / a[r * n + r];
  }
  return x;
}

/**
 * The stationary density of the unadjusted Langevin chain `eq:langevin-step` for a 1-D score, on
 * the uniform grid [lo, hi] with n points: the kernel's rows are normalised on the grid (so mass is
 * conserved) and pi = pi P is solved with the normalisation sum pi = 1 in place of one equation.
 * Choose the grid so that it holds the target with margin and has several points per sqrt(delta).
 * Cost: n^3 / 3 flops (n = 600: about 0.1 s).
 *
 * @param score The target's score, a function of x.
 * @param delta Step size > 0.
 * @param lo Left end of the grid.
 * @param hi Right end of the grid.
 * @param n Number of grid points (>= 3).
 * @param noiseScale Multiplies the injected noise (1), as in `langevinStep`: the kernel's variance
 *   is noiseScale^2 delta.
 * @returns The grid, the stationary density and its mean and variance.
 * @example
 * ```ts
 * import { langevinStationary1D } from "./langevin_bias.ts";
 * import { langevinGaussianVariance } from "./langevin.ts";
 * // N(0, 1) target, delta = 0.5: the chain's variance is 1 / (1 - 0.125) exactly
 * const r = langevinStationary1D((x) => -x, 0.5, -9, 9, 361);
 * if (Math.abs(r.variance - langevinGaussianVariance(1, 0.5)) > 1e-9) throw new Error(`${r.variance}`);
 * ```
 */
export function langevinStationary1D(
  score: (x: number) => number,
  delta: number,
  lo: number,
  hi: number,
  n: number,
  noiseScale = 1,
): LangevinStationary1D {
  const action = "find the Langevin stationary density";
  assertPositive(delta, action, "delta");
  assertPositive(noiseScale, action, "noiseScale");
  const kernelVariance = noiseScale * noiseScale * delta;
  if (!Number.isInteger(n) || n < 3 || !(hi > lo)) {
    throw new RangeError(
      `Cannot ${action} as the grid needs hi > lo and an integer n >= 3: current value is [${lo}, ${hi}], n = ${n}`,
    );
  }
  const h = (hi - lo) / (n - 1);
  const grid = Float64Array.from({ length: n }, (_, i) => lo + i * h);
  // a = P^T - I, with P[i][j] = K(x_j | x_i) normalised over j (row-stochastic).
  const a = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mean = grid[i] + 0.5 * delta * score(grid[i]); // x + (\delta/2) s(x)
    let total = 0;
    for (let j = 0; j < n; j++) {
      row[j] = Math.exp(-((grid[j] - mean) ** 2) / (2 * kernelVariance));
      total += row[j];
    }
    if (!(total > 0)) {
      throw new RangeError(
        `Cannot ${action} as the chain jumps off the grid from x = ${
          grid[i]
        }: current value is delta = ${delta}; widen the grid or lower delta`,
      );
    }
    for (let j = 0; j < n; j++) a[j * n + i] = row[j] / total;
  }
  for (let i = 0; i < n; i++) a[i * n + i] -= 1;
  for (let j = 0; j < n; j++) a[(n - 1) * n + j] = 1; // normalisation replaces the last equation
  const b = new Float64Array(n);
  b[n - 1] = 1;
  const pi = solveDense(a, b, n); // stationary probabilities on the grid
  const density = pi.map((p) => Math.max(p, 0) / h);
  let mean = 0, second = 0;
  for (let i = 0; i < n; i++) {
    mean += pi[i] * grid[i];
    second += pi[i] * grid[i] * grid[i];
  }
  return { grid, density, mean, variance: second - mean * mean };
}

/**
 * KL(p || q) = integral p log(p / q) over a uniform grid, p given by its values and q by its
 * log-density (cells where p = 0 contribute 0).
 *
 * @param grid Uniform grid.
 * @param p Density values at the grid points.
 * @param logQ log q at a point.
 * @returns The divergence in nats.
 * @example
 * ```ts
 * import { klOnGrid } from "./langevin_bias.ts";
 * import { gaussianLogPdf } from "./gaussian.ts";
 * import { uniformGrid } from "./quadrature.ts";
 * const g = uniformGrid(-12, 12, 801);
 * const p = g.map((x) => Math.exp(gaussianLogPdf(x, 0, 2)));
 * // KL(N(0, 2) || N(0, 1)) = (2 - 1 - log 2) / 2
 * const kl = klOnGrid(g, p, (x) => gaussianLogPdf(x, 0, 1));
 * if (Math.abs(kl - (1 - Math.log(2)) / 2) > 1e-10) throw new Error(`${kl}`);
 * ```
 */
export function klOnGrid(
  grid: ArrayLike<number>,
  p: ArrayLike<number>,
  logQ: (x: number) => number,
): number {
  const n = grid.length, h = (grid[n - 1] - grid[0]) / (n - 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (p[i] <= 0) continue;
    const w = i === 0 || i === n - 1 ? 0.5 : 1;
    total += w * p[i] * (Math.log(p[i]) - logQ(grid[i]));
  }
  return total * h;
}
