/**
 * The numbers ReverseTrajectories shows: how far each final sample moved between two runs from
 * the same starting noise (0 for a deterministic sampler).
 *
 * @module
 */

/**
 * Mean Euclidean distance between paired 2-D points (flat [n, 2] each).
 *
 * @param a First set.
 * @param b Second set, same length.
 * @returns The mean of ||a_i - b_i||.
 * @example
 * ```ts
 * import { meanPairDistance } from "./pair_distance.ts";
 * if (meanPairDistance([0, 0, 1, 1], [3, 4, 1, 1]) !== 2.5) throw new Error("(5 + 0) / 2");
 * ```
 */
export function meanPairDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length % 2 !== 0 || a.length === 0) {
    throw new RangeError(
      `Cannot compare point sets as they must be non-empty, paired and 2-D: current lengths are ${a.length} and ${b.length}`,
    );
  }
  let total = 0;
  for (let i = 0; i < a.length; i += 2) total += Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]);
  return total / (a.length / 2);
}

/**
 * Formats a distance for the readout: "0" exactly when the runs agree, else three significant
 * digits.
 *
 * @example
 * ```ts
 * import { formatDistance } from "./pair_distance.ts";
 * if (formatDistance(0) !== "0" || formatDistance(0.123456) !== "0.123") throw new Error("format");
 * ```
 */
export function formatDistance(d: number): string {
  if (!Number.isFinite(d)) return "–";
  return d === 0 ? "0" : d.toPrecision(3);
}
