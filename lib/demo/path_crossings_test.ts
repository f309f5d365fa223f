import assert from "node:assert/strict";
import { sameTimeCrossings } from "./path_crossings.ts";

Deno.test("sameTimeCrossings counts swaps within a step, not tracks that cross at different times", () => {
  // Two paths swap places within one step: their segments cross at (0.5, 0.5).
  assert.equal(sameTimeCrossings([[0, 0, 1, 0], [1, 1, 0, 1]], 2), 1);
  // Path 1 crosses the line path 0 travels, but after path 0 has passed x = 1: no crossing.
  assert.equal(sameTimeCrossings([[0, 0, 1, -1], [2, 0, 1, -0.5], [4, 0, 1, 2]], 2), 0);
  // The same tracks, timed so that both are near (1, 0) within step 2: one crossing.
  assert.equal(sameTimeCrossings([[-2, 0, 1, -1], [0, 0, 1, -0.5], [2, 0, 1, 2]], 2), 1);
  // Three paths swapping through the origin: every pair crosses; the first two only: one pair.
  const star = [[-1, 0, 0, -1, 1, 1], [1, 0, 0, 1, -1, -1]];
  assert.equal(sameTimeCrossings(star, 3), 3);
  assert.equal(sameTimeCrossings(star, 2), 1);
});

Deno.test("sameTimeCrossings refuses ragged frames and a count beyond the paths", () => {
  assert.throws(() => sameTimeCrossings([[0, 0], [0, 0, 1, 1]], 1), /one n/);
  assert.throws(() => sameTimeCrossings([[0, 0, 1, 1]], 3), /\[0, 2\]/);
});
