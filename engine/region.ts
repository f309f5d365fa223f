/**
 * A painted region of the plane and the smooth r(x) that multiplies the model's distribution with
 * it (Sohl-Dickstein et al., 2015, sec. 2.5; `eq:perturbed-step`). The region is a union of discs
 * (brush dabs); d(x) is the distance from x to it (0 inside), and
 *
 *   r(x) = exp(-lambda d(x)^2 / 2),   grad log r(x) = -lambda d(x) (x - c) / ||x - c||,
 *
 * with c the centre of the nearest disc. r is 1 on the region and falls off smoothly outside it,
 * so each reverse step's mean moves towards the region by sigma_t^2 lambda d(mu).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** A union of discs: centres (flat [K, 2]) and one radius. */
export interface Region {
  /** Disc centres, flat [K, 2]. */
  centres: readonly number[];
  /** Radius of every disc (> 0). */
  radius: number;
}

function checkRegion(region: Region, action: string): number {
  if (!(region.radius > 0 && Number.isFinite(region.radius))) {
    throw new RangeError(
      `Cannot ${action} as the radius must be finite and > 0: current value is ${region.radius}`,
    );
  }
  if (region.centres.length === 0 || region.centres.length % 2 !== 0) {
    throw new RangeError(
      `Cannot ${action} as the region needs at least one disc (an even number of coordinates): ` +
        `current value is ${region.centres.length}`,
    );
  }
  return region.centres.length / 2;
}

/** The nearest disc centre to (x, y) and the distance to it, in float64. */
function nearest(region: Region, x: number, y: number): { k: number; dist: number } {
  let best = 0, bestSq = Infinity;
  for (let k = 0; k < region.centres.length / 2; k++) {
    const dx = x - region.centres[2 * k], dy = y - region.centres[2 * k + 1];
    const sq = dx * dx + dy * dy;
    if (sq < bestSq) [best, bestSq] = [k, sq];
  }
  return { k: best, dist: Math.sqrt(bestSq) };
}

/**
 * The distance d(x) from a point to the region (0 inside it), in float64.
 *
 * @param region The discs.
 * @param x First coordinate.
 * @param y Second coordinate.
 * @returns max(0, min_k ||x - c_k|| - radius).
 * @example
 * ```ts
 * import { regionDistance } from "./region.ts";
 * const region = { centres: [0, 0, 3, 0], radius: 1 };
 * if (regionDistance(region, 0.5, 0) !== 0) throw new Error("inside");
 * if (regionDistance(region, 0, 2) !== 1) throw new Error("one unit above the first disc");
 * ```
 */
export function regionDistance(region: Region, x: number, y: number): number {
  checkRegion(region, "measure the distance to a region");
  return Math.max(0, nearest(region, x, y).dist - region.radius); // d(x)
}

/**
 * log r(x) = -lambda d(x)^2 / 2, in float64.
 *
 * @param region The discs.
 * @param lambda Strength (>= 0).
 * @param x First coordinate.
 * @param y Second coordinate.
 * @returns log r at (x, y).
 * @example
 * ```ts
 * import { regionLogR } from "./region.ts";
 * if (regionLogR({ centres: [0, 0], radius: 1 }, 4, 3, 0) !== -8) throw new Error("-4 * 2^2 / 2");
 * ```
 */
export function regionLogR(region: Region, lambda: number, x: number, y: number): number {
  const d = regionDistance(region, x, y);
  return -0.5 * lambda * d * d; // \log r = -\lambda d^2 / 2
}

/**
 * grad log r(x) in float64 for flat points [n, 2].
 *
 * @param region The discs.
 * @param lambda Strength (>= 0).
 * @param points Flat [n, 2].
 * @returns Flat [n, 2]: -lambda d(x) (x - c) / ||x - c||, 0 inside the region.
 * @example
 * ```ts
 * import { regionLogRGrad } from "./region.ts";
 * const g = regionLogRGrad({ centres: [0, 0], radius: 1 }, 2, [3, 0]);
 * if (g[0] !== -4 || g[1] !== 0) throw new Error("-2 * 2 towards the centre");
 * ```
 */
export function regionLogRGrad(
  region: Region,
  lambda: number,
  points: ArrayLike<number>,
): Float64Array {
  checkRegion(region, "take the gradient of log r");
  const out = new Float64Array(points.length);
  for (let i = 0; 2 * i + 1 < points.length; i++) {
    const x = points[2 * i], y = points[2 * i + 1];
    const { k, dist } = nearest(region, x, y);
    const d = Math.max(0, dist - region.radius);
    if (d === 0) continue;
    const scale = (-lambda * d) / dist; // -\lambda d / ||x - c||
    out[2 * i] = scale * (x - region.centres[2 * k]);
    out[2 * i + 1] = scale * (y - region.centres[2 * k + 1]);
  }
  return out;
}

/**
 * grad log r as a tensor function, for `ddpmSample`'s `logRGrad` option.
 *
 * @param region The discs.
 * @param lambda Strength (>= 0).
 * @returns x [B, 2] -> grad log r(x) [B, 2].
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { regionLogRGradTensor } from "./region.ts";
 * await tf.setBackend("cpu");
 * const grad = regionLogRGradTensor({ centres: [0, 0, -5, 0], radius: 1 }, 2);
 * const g = tf.tidy(() => grad(tf.tensor2d([3, 0, 0, 0.5], [2, 2])).arraySync());
 * if (Math.abs(g[0][0] + 4) > 1e-6 || g[1][1] !== 0) throw new Error("pulled in; zero inside");
 * ```
 */
export function regionLogRGradTensor(
  region: Region,
  lambda: number,
): (x: tf.Tensor2D) => tf.Tensor2D {
  const K = checkRegion(region, "take the gradient of log r");
  if (!(lambda >= 0 && Number.isFinite(lambda))) {
    throw new RangeError(
      `Cannot take the gradient of log r as lambda must be finite and >= 0: current value is ${lambda}`,
    );
  }
  const centres = Float32Array.from(region.centres);
  return (x) =>
    tf.tidy(() => {
      const c = tf.tensor2d(centres, [K, 2]); // [K, 2]
      const diff = tf.sub(tf.expandDims(x, 1), tf.expandDims(c, 0)); // [B, K, 2] x - c_k
      const sq = tf.sum(tf.square(diff), 2); // [B, K] ||x - c_k||^2
      const k = tf.argMin(sq, 1); // [B] nearest disc
      const toNearest = tf.sub(x, tf.gather(c, k)); // [B, 2] x - c
      const dist = tf.sqrt(tf.min(sq, 1, true)); // [B, 1] ||x - c||
      const d = tf.relu(tf.sub(dist, region.radius)); // [B, 1] d(x)
      const scale = tf.div(tf.mul(d, -lambda), tf.maximum(dist, 1e-12)); // [B, 1] -\lambda d / ||x - c||
      return tf.mul(toNearest, scale) as tf.Tensor2D; // [B, 2] \nabla \log r
    });
}

/**
 * The share of points inside the region (d(x) = 0).
 *
 * @param region The discs.
 * @param points Flat [n, 2].
 * @returns A number in [0, 1] (0 for no points).
 * @example
 * ```ts
 * import { shareInside } from "./region.ts";
 * if (shareInside({ centres: [0, 0], radius: 1 }, [0, 0, 2, 2]) !== 0.5) throw new Error("half");
 * ```
 */
export function shareInside(region: Region, points: ArrayLike<number>): number {
  checkRegion(region, "count the points inside a region");
  const n = Math.floor(points.length / 2);
  if (n === 0) return 0;
  let inside = 0;
  for (let i = 0; i < n; i++) {
    if (nearest(region, points[2 * i], points[2 * i + 1]).dist <= region.radius) inside++;
  }
  return inside / n;
}
