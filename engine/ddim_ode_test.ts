import assert from "node:assert/strict";
import { ddimEulerStep, ddimNoiseLevel } from "./ddim_ode.ts";
import { ddimStep } from "./samplers.ts";
import { cosineSchedule, linearSchedule } from "./schedule.ts";
import { createRng } from "./rng.ts";

Deno.test("ddimEulerStep equals ddimStep with eta = 0 for every pair of steps", () => {
  const rng = createRng(51);
  for (const s of [linearSchedule(100), cosineSchedule(50)]) {
    for (const [t, tPrev] of [[1, 0], [s.T, 0], [s.T, s.T - 1], [20, 7]]) {
      const x = [rng.normal(), rng.normal()], e = [rng.normal(), rng.normal()];
      const a = ddimEulerStep(s, x, e, t, tPrev), b = ddimStep(s, x, e, t, tPrev, 0);
      for (let i = 0; i < 2; i++) {
        assert.ok(Math.abs(a[i] - b[i]) < 1e-12 * Math.max(1, Math.abs(b[i])));
      }
    }
  }
});

Deno.test("bad inputs are refused with the value", () => {
  assert.throws(() => ddimNoiseLevel(0), /alphaBar must be in \(0, 1\]: current value is 0/);
  assert.throws(
    () => ddimEulerStep(linearSchedule(10), [0], [0], 5, 5),
    /tPrev must be an integer in \[0, 4\]: current value is 5/,
  );
});
