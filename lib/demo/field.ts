/**
 * The grid on which TrainAndSample draws score fields (arrows), learned and exact.
 *
 * @module
 */
import { VIEW } from "./draw.ts";

/** Grid points per side. */
export const FIELD_SIDE = 15;

/**
 * Cell centres of a side x side grid over [-VIEW, VIEW]^2, row by row from the top (y = +VIEW).
 *
 * @param side Points per side.
 * @returns Flat [side^2, 2] points.
 * @example
 * ```ts
 * import { fieldGrid } from "./field.ts";
 * import { VIEW } from "./draw.ts";
 * const g = fieldGrid(2); // centres at +-VIEW / 2
 * if (g[0] !== -VIEW / 2 || g[1] !== VIEW / 2 || g.length !== 8) throw new Error(g.join());
 * ```
 */
export function fieldGrid(side = FIELD_SIDE): Float64Array {
  const out = new Float64Array(2 * side * side); // [side^2, 2]
  const cell = (2 * VIEW) / side;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      out[2 * (r * side + c)] = -VIEW + (c + 0.5) * cell;
      out[2 * (r * side + c) + 1] = VIEW - (r + 0.5) * cell;
    }
  }
  return out;
}
