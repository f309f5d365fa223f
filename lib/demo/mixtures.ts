/**
 * The data and sizes shared by the Parameterisations and Guidance demos: a labelled 2-D mixture
 * whose every noisy quantity is exact (`engine/mixture.ts`), the schedule, and small networks that
 * train in seconds in a browser. Pure TypeScript (no tfjs): the islands import it to draw the data
 * and the exact curves before the worker has started.
 *
 * @module
 */
import { createMixture, type Mixture, mixtureSample } from "../../engine/mixture.ts";
import { createRng } from "../../engine/rng.ts";
import { linearSchedule, type Schedule } from "../../engine/schedule.ts";

/** Number of diffusion steps. */
export const LAB_T = 100;

/**
 * The Parameterisations data: six equal Gaussians (sd 0.45) on a ring of radius 1.7, at angles
 * 60 k degrees, so neighbours overlap a little.
 *
 * @returns The mixture (dim 2, 6 components; component k has label k mod 3, unused there).
 * @example
 * ```ts
 * import { ringMixture } from "./mixtures.ts";
 * const m = ringMixture();
 * if (Math.abs(m.means[3][0] + 1.7) > 1e-12) throw new Error("k = 3 sits at (-1.7, 0)");
 * ```
 */
export function ringMixture(): Mixture {
  const angles = Array.from({ length: 6 }, (_, k) => (Math.PI * k) / 3);
  return createMixture({
    weights: angles.map(() => 1),
    means: angles.map((a) => [RING_RADIUS * Math.cos(a), RING_RADIUS * Math.sin(a)]),
    variances: 0.2,
    labels: angles.map((_, k) => k % 3),
  });
}

/** Number of classes of {@link guidanceMixture}. */
export const GUIDANCE_CLASSES = 3;

/**
 * The Guidance data: one Gaussian per class (sd 0.55) at the corners of a triangle of radius 1.1
 * (angles 90, 210, 330 degrees), so each class overlaps both others and guidance has something
 * to trade.
 *
 * @returns The labelled mixture (dim 2, classes 0..2).
 * @example
 * ```ts
 * import { guidanceMixture } from "./mixtures.ts";
 * const m = guidanceMixture();
 * if (m.labels?.[2] !== 2 || Math.abs(m.means[0][1] - 1.1) > 1e-12) throw new Error();
 * ```
 */
export function guidanceMixture(): Mixture {
  const angles = [90, 210, 330].map((deg) => (Math.PI * deg) / 180);
  return createMixture({
    weights: [1, 1, 1],
    means: angles.map((a) => [1.1 * Math.cos(a), 1.1 * Math.sin(a)]),
    variances: 0.3,
    labels: [0, 1, 2],
  });
}

/** The schedule both demos train with: linear beta 1e-3 .. 0.2, T = 100 (the book's default). */
export function labSchedule(): Schedule {
  return linearSchedule(LAB_T);
}

/** The network: small enough for three models to train in seconds on WASM. */
export const LAB_NETWORK = Object.freeze({
  hidden: 64,
  layers: 3,
  fourierOctaves: 2,
  timeEmbedDim: 16,
});

/**
 * A seeded training pool: points and their labels.
 *
 * @param m The mixture (with labels).
 * @param n Number of points.
 * @param seed Seed.
 * @returns `x` flat [n, 2] float32 and `label` [n].
 * @example
 * ```ts
 * import { guidanceMixture, labPool } from "./mixtures.ts";
 * const p = labPool(guidanceMixture(), 10, 1);
 * if (p.x.length !== 20 || p.label.length !== 10) throw new Error("[10, 2] and [10]");
 * ```
 */
export function labPool(
  m: Mixture,
  n: number,
  seed: number,
): { x: Float32Array; label: Int32Array } {
  const s = mixtureSample(m, n, createRng(seed));
  return { x: Float32Array.from(s.x), label: s.label! };
}

/** Radius of the ring of {@link ringMixture}. */
export const RING_RADIUS = 1.7;

/**
 * How far points lie from the ring's centre line: the root mean square of |x| - radius. The data
 * has about the blobs' sd (0.45); samples that collapse onto the line have less.
 *
 * @param points Flat [n, 2] points.
 * @returns The RMS radial distance.
 * @example
 * ```ts
 * import { radialSpread } from "./mixtures.ts";
 * if (Math.abs(radialSpread([1.7, 0, 0, 2.2]) - Math.sqrt(0.125)) > 1e-12) throw new Error();
 * ```
 */
export function radialSpread(points: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i + 1 < points.length; i += 2) {
    sum += (Math.hypot(points[i], points[i + 1]) - RING_RADIUS) ** 2;
  }
  return Math.sqrt(sum / (points.length / 2));
}
