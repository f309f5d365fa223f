/**
 * Sample-quality metrics in plain float64 TypeScript (../docs/quality.md): the unbiased squared maximum
 * mean discrepancy with a Gaussian kernel, and the sliced Wasserstein-1 distance.
 *
 * @module
 */
import { createRng } from "./rng.ts";

function pointCount(points: ArrayLike<number>, dim: number, what: string): number {
  const n = points.length / dim;
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(
      `Cannot compare samples as ${what} must hold at least 2 points of dimension ${dim}: ` +
        `current length is ${points.length}`,
    );
  }
  return n;
}

/** Sum of k(a_i, b_j) over all pairs, or over i != j when `a === b`. */
function kernelSum(
  a: ArrayLike<number>,
  na: number,
  b: ArrayLike<number>,
  nb: number,
  dim: number,
  c: number,
  same: boolean,
): number {
  let total = 0;
  if (dim === 2) {
    for (let i = 0; i < na; i++) {
      const ax = a[2 * i], ay = a[2 * i + 1];
      let row = 0;
      for (let j = same ? i + 1 : 0; j < nb; j++) {
        const dx = ax - b[2 * j], dy = ay - b[2 * j + 1];
        row += Math.exp(-c * (dx * dx + dy * dy)); // k(x, y) = exp(-||x - y||^2 / (2 h^2))
      }
      total += row;
    }
  } else {
    for (let i = 0; i < na; i++) {
      for (let j = same ? i + 1 : 0; j < nb; j++) {
        let d2 = 0;
        for (let k = 0; k < dim; k++) d2 += (a[i * dim + k] - b[j * dim + k]) ** 2;
        total += Math.exp(-c * d2);
      }
    }
  }
  return same ? 2 * total : total; // the i > j half equals the i < j half
}

/**
 * Unbiased MMD^2 with the Gaussian kernel k(x, y) = exp(-||x - y||^2 / (2 h^2)):
 * sum_{i != j} k(a_i, a_j) / (m(m-1)) + sum_{i != j} k(b_i, b_j) / (n(n-1)) - 2 mean k(a_i, b_j).
 * It can be slightly negative when the two samples come from the same distribution.
 *
 * @param a Flat [m, dim] points.
 * @param b Flat [n, dim] points.
 * @param h Kernel bandwidth (0.1 on standardised data).
 * @param dim Dimension of each point (2).
 * @returns The unbiased estimate of MMD^2.
 * @example
 * ```ts
 * import { mmd2 } from "./metrics.ts";
 * // Two points each, far apart sets: within-set kernels are exp(-1/2) (distance h), cross ~ 0.
 * const v = mmd2([0, 0, 0.1, 0], [10, 0, 10.1, 0], 0.1);
 * if (Math.abs(v - 2 * Math.exp(-0.5)) > 1e-12) throw new Error("2 exp(-1/2) expected");
 * ```
 */
export function mmd2(a: ArrayLike<number>, b: ArrayLike<number>, h = 0.1, dim = 2): number {
  if (!(h > 0)) {
    throw new RangeError(`Cannot compute MMD^2 as h must be positive: current value is ${h}`);
  }
  const m = pointCount(a, dim, "the first sample");
  const n = pointCount(b, dim, "the second sample");
  const c = 1 / (2 * h * h);
  const kaa = kernelSum(a, m, a, m, dim, c, true) / (m * (m - 1));
  const kbb = kernelSum(b, n, b, n, dim, c, true) / (n * (n - 1));
  const kab = kernelSum(a, m, b, n, dim, c, false) / (m * n);
  return kaa + kbb - 2 * kab; // \widehat{MMD}^2_u
}

/** Integral of |F_a - F_b| over the line, for sorted samples a and b (W1 in one dimension). */
function wasserstein1Sorted(a: Float64Array, b: Float64Array): number {
  const m = a.length, n = b.length;
  let i = 0, j = 0, prev = Math.min(a[0], b[0]), total = 0;
  while (i < m || j < n) {
    const next = j >= n || (i < m && a[i] <= b[j]) ? a[i] : b[j];
    total += Math.abs(i / m - j / n) * (next - prev); // |F_a - F_b| on [prev, next)
    prev = next;
    if (j >= n || (i < m && a[i] <= b[j])) i++;
    else j++;
  }
  return total;
}

/**
 * Sliced Wasserstein-1 distance for 2-D samples: the mean over `nDirections` fixed random unit
 * directions theta (angles from the seeded generator) of W1 between the projections <x, theta>.
 * The samples may have different sizes.
 *
 * @param a Flat [m, 2] points.
 * @param b Flat [n, 2] points.
 * @param nDirections Number of directions (256).
 * @param seed Seed of the directions (0), so repeated calls use the same ones.
 * @returns The sliced W1 estimate.
 * @example
 * ```ts
 * import { slicedWasserstein1 } from "./metrics.ts";
 * // Shifting a sample by (1, 0) moves each projection by cos(angle): mean |cos| = 2 / pi.
 * const a = [0, 0, 1, 1, 2, -1];
 * const b = a.map((v, i) => (i % 2 === 0 ? v + 1 : v));
 * const w = slicedWasserstein1(a, b, 20000, 1);
 * if (Math.abs(w - 2 / Math.PI) > 0.01) throw new Error("about 2 / pi expected");
 * ```
 */
export function slicedWasserstein1(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  nDirections = 256,
  seed = 0,
): number {
  const m = pointCount(a, 2, "the first sample");
  const n = pointCount(b, 2, "the second sample");
  const rng = createRng(seed);
  const pa = new Float64Array(m), pb = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < nDirections; k++) {
    const angle = 2 * Math.PI * rng.uniform();
    const cx = Math.cos(angle), cy = Math.sin(angle); // \theta on the unit circle
    for (let i = 0; i < m; i++) pa[i] = a[2 * i] * cx + a[2 * i + 1] * cy;
    for (let j = 0; j < n; j++) pb[j] = b[2 * j] * cx + b[2 * j + 1] * cy;
    pa.sort();
    pb.sort();
    total += wasserstein1Sorted(pa, pb);
  }
  return total / nDirections;
}
