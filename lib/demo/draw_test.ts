import assert from "node:assert/strict";
import { logRange, smooth, toPixel, VIEW } from "./draw.ts";

Deno.test("smooth is a bias-corrected EMA: first value kept, step response worked by hand", () => {
  const s = smooth([1, 3], 0.5);
  // m1 = 0.5, w1 = 0.5 -> 1; m2 = 0.25 + 1.5 = 1.75, w2 = 0.75 -> 7/3
  assert.ok(Math.abs(s[0] - 1) < 1e-6);
  assert.ok(Math.abs(s[1] - 7 / 3) < 1e-6);
  assert.equal(smooth([], 0.9).length, 0);
});

Deno.test("logRange brackets the positive finite values by half-decades", () => {
  assert.deepEqual(logRange([0.5, 0.2]), [-1, 0]); // 0.1 <= 0.2, 0.5 <= 1 but > 10^-0.5 = 0.316
  assert.deepEqual(logRange([0.3, 0.2]), [-1, -0.5]); // 0.3 < 0.316
  assert.deepEqual(logRange([1, 1]), [0, 0.5]); // never an empty range
  assert.deepEqual(logRange([NaN, -1, 0, Infinity, 0.03]), [-2, -1.5]);
  assert.deepEqual(logRange([]), [-1, 0]);
});

Deno.test("toPixel maps the view square onto the canvas with y up", () => {
  assert.deepEqual(toPixel(0, 0, 300), [150, 150]);
  assert.deepEqual(toPixel(-VIEW, -VIEW, 300), [0, 300]);
  const [x, y] = toPixel(VIEW / 2, VIEW / 2, 400);
  assert.ok(Math.abs(x - 300) < 1e-9 && Math.abs(y - 100) < 1e-9);
});
