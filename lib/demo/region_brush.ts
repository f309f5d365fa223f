/**
 * The region a reader paints in MultiplyDistributions, as UI state: brush dabs added along the
 * pointer's path (skipping ones that would barely differ), capped in number.
 *
 * @module
 */
import type { Region } from "../../engine/region.ts";

/** The brush radius in standardised data units. */
export const BRUSH_RADIUS = 0.35;
/** Most dabs a region keeps (each costs a little in every reverse step). */
export const MAX_DABS = 80;

/** The starting region: two dabs on the swiss roll's outer arm (about 8% of the data). */
export const DEFAULT_REGION: Readonly<Region> = Object.freeze({
  centres: Object.freeze([1.2, 0, 1.45, 0.75]) as readonly number[],
  radius: BRUSH_RADIUS,
});

/**
 * Adds a dab at (x, y) unless one lies within half a radius, or the region is full.
 *
 * @param region The current region.
 * @param x Data x.
 * @param y Data y.
 * @returns A new region (or the same one when nothing was added).
 * @example
 * ```ts
 * import { addDab } from "./region_brush.ts";
 * const one = addDab({ centres: [], radius: 0.4 }, 1, 1);
 * if (one.centres.length !== 2) throw new Error("first dab");
 * if (addDab(one, 1.05, 1) !== one) throw new Error("too close to the first: skipped");
 * ```
 */
export function addDab(region: Region, x: number, y: number): Region {
  if (region.centres.length / 2 >= MAX_DABS) return region;
  for (let k = 0; 2 * k + 1 < region.centres.length; k++) {
    const d = Math.hypot(x - region.centres[2 * k], y - region.centres[2 * k + 1]);
    if (d < region.radius / 2) return region;
  }
  return { centres: [...region.centres, x, y], radius: region.radius };
}

/**
 * A short text describing the region for screen readers and the readout.
 *
 * @example
 * ```ts
 * import { describeRegion } from "./region_brush.ts";
 * if (describeRegion({ centres: [0, 0], radius: 0.35 }) !== "1 dab of radius 0.35") throw new Error();
 * ```
 */
export function describeRegion(region: Region): string {
  const n = region.centres.length / 2;
  return `${n} ${n === 1 ? "dab" : "dabs"} of radius ${region.radius}`;
}
