import assert from "node:assert/strict";
import { gaussianGap } from "./gaussian_gap.ts";
import { reverseKernel } from "./mixture.ts";
import { threeBumps } from "./mixture_1d.ts";
import { scheduleWithSteps } from "./schedule_steps.ts";

Deno.test("threeBumps: the reverse step is far from Gaussian with few steps, close with many", () => {
  assert.deepEqual(Array.from(threeBumps.weights), [0.3, 0.5, 0.2]);
  // the same point of the process (t / T = 0.2, x_t = -1) with ever smaller steps
  const tv = [10, 100, 1000].map((T) =>
    gaussianGap(reverseKernel(threeBumps, scheduleWithSteps("linear", T), T / 5, -1)).totalVariation
  );
  assert.ok(tv[0] > 0.1 && tv[1] < tv[0] / 10 && tv[2] < tv[1] / 3, `TV ${tv.join(", ")}`);
});
