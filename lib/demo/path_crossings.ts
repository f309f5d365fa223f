/**
 * The number FlowSamplers shows beside each sampler's paths: how often two paths swap places
 * within one step. Paths of an ODE never meet at the same time (the flow is one to one), so its
 * steps produce no such crossings once they are small; the reverse SDE's fresh noise makes
 * neighbouring paths cross at every step.
 *
 * @module
 */

/** Whether segments p1-p2 and q1-q2 cross at a point inside both (touching ends do not count). */
function segmentsCross(
  p1x: number,
  p1y: number,
  p2x: number,
  p2y: number,
  q1x: number,
  q1y: number,
  q2x: number,
  q2y: number,
): boolean {
  const side = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) =>
    (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d1 = side(q1x, q1y, q2x, q2y, p1x, p1y), d2 = side(q1x, q1y, q2x, q2y, p2x, p2y);
  const d3 = side(p1x, p1y, p2x, p2y, q1x, q1y), d4 = side(p1x, p1y, p2x, p2y, q2x, q2y);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

/**
 * Same-time crossings among the first `count` 2-D paths: for every step from frame l to l + 1,
 * the pairs of paths whose straight segments over that step cross.
 *
 * @param frames The states along the paths, each flat [n, 2] (all of the same n).
 * @param count How many paths to compare (the first `count`; at most n).
 * @returns The number of crossing (pair, step) combinations.
 * @example
 * ```ts
 * import { sameTimeCrossings } from "./path_crossings.ts";
 * // two paths swap places between the frames: one crossing; moving in parallel: none
 * const swap = sameTimeCrossings([[0, 0, 1, 0], [1, 1, 0, 1]], 2);
 * const parallel = sameTimeCrossings([[0, 0, 1, 0], [0, 1, 1, 1]], 2);
 * if (swap !== 1 || parallel !== 0) throw new Error(`${swap} ${parallel}`);
 * ```
 */
export function sameTimeCrossings(frames: readonly ArrayLike<number>[], count: number): number {
  const n = frames.length > 0 ? frames[0].length / 2 : 0;
  if (frames.some((f) => f.length !== 2 * n) || !Number.isInteger(n)) {
    throw new RangeError(
      `Cannot count crossings as every frame must be flat [n, 2] of one n: current lengths are ${
        frames.map((f) => f.length).join(", ")
      }`,
    );
  }
  if (!Number.isInteger(count) || count < 0 || count > n) {
    throw new RangeError(
      `Cannot count crossings as count must be an integer in [0, ${n}]: current value is ${count}`,
    );
  }
  let crossings = 0;
  for (let l = 0; l + 1 < frames.length; l++) {
    const a = frames[l], b = frames[l + 1];
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) {
        if (
          segmentsCross(
            a[2 * i],
            a[2 * i + 1],
            b[2 * i],
            b[2 * i + 1],
            a[2 * j],
            a[2 * j + 1],
            b[2 * j],
            b[2 * j + 1],
          )
        ) crossings++;
      }
    }
  }
  return crossings;
}
