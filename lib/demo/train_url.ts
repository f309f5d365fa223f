/**
 * The Train demo's settings in the page's URL (drawn points included), so that a copied URL
 * reproduces a run.
 *
 * @module
 */
import { configFromQuery, configToQuery, type TrainConfig } from "./config.ts";
import { decodePoints, encodePoints, POINTS_QUERY } from "./drawn.ts";

/**
 * Reads the settings and drawn points from the page's URL over `defaults`.
 *
 * @param defaults The chapter's settings.
 * @returns The settings, the points and what was ignored (in words).
 */
export function readTrainUrl(
  defaults: TrainConfig,
): { config: TrainConfig; points: number[]; ignored: string[] } {
  const params = new URLSearchParams(location.search);
  const { config, ignored } = configFromQuery(params, defaults);
  let points: number[] = [];
  const pts = params.get(POINTS_QUERY);
  if (pts !== null) {
    try {
      points = decodePoints(pts);
    } catch (error) {
      ignored.push((error as Error).message);
    }
  }
  return { config, points, ignored };
}

/**
 * Writes the settings (and the drawn points, for drawn data) into the page's URL.
 *
 * @param config The settings.
 * @param points Flat [n, 2] drawn points.
 */
export function writeTrainUrl(config: TrainConfig, points: number[]): void {
  const params = configToQuery(config, new URLSearchParams(location.search));
  if (config.dataset === "drawn" && points.length > 0) {
    params.set(POINTS_QUERY, encodePoints(points));
  } else params.delete(POINTS_QUERY);
  history.replaceState(null, "", `${location.pathname}?${params}${location.hash}`);
}
