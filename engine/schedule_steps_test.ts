import assert from "node:assert/strict";
import { linearSchedule } from "./schedule.ts";
import { MAX_BETA, scheduleWithSteps } from "./schedule_steps.ts";

Deno.test("linear at T = 100 is the book's toy schedule", () => {
  const a = scheduleWithSteps("linear", 100), b = linearSchedule(100);
  for (let t = 1; t <= 100; t++) assert.ok(Math.abs(a.betas[t] - b.betas[t]) < 1e-15, `t = ${t}`);
});

Deno.test("betas scale like 1 / T and are clipped at MAX_BETA", () => {
  const few = scheduleWithSteps("linear", 10), many = scheduleWithSteps("linear", 1000);
  assert.ok(Math.abs(few.betas[1] - 0.01) < 1e-15);
  assert.equal(few.betas[10], MAX_BETA); // 2 clipped
  assert.ok(many.betas[1000] < 0.021 && many.betas[1] > 0);
  // the total noise is comparable: alphaBar_T is tiny either way
  assert.ok(few.alphaBars[10] < 1e-3 && many.alphaBars[1000] < 1e-3);
});

Deno.test("cosine at any T ends near zero; bad input is rejected with the value", () => {
  for (const T of [2, 5, 1000]) assert.ok(scheduleWithSteps("cosine", T).alphaBars[T] < 1e-3);
  assert.throws(() => scheduleWithSteps("linear", 1), /current value is 1/);
  assert.throws(() => scheduleWithSteps("cosine", 2.5), /current value is 2.5/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => scheduleWithSteps("quadratic" as any, 10), /current value is quadratic/);
});
