import assert from "node:assert/strict";
import {
  assertTimestep,
  cosineSchedule,
  linearSchedule,
  scheduleFromBetas,
  snr,
  sohlDicksteinSchedule,
} from "./schedule.ts";

// float64 arithmetic on a handful of operations: 1e-14 absolute is many ulps of slack.
const EXACT = 1e-14;
const close = (a: number, b: number, tol = EXACT, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

Deno.test("scheduleFromBetas: every array by hand for beta = (0.1, 0.2, 0.3)", () => {
  const s = scheduleFromBetas([0.1, 0.2, 0.3]);
  assert.equal(s.T, 3);
  assert.equal(s.kind, "custom");
  for (const a of [s.betas, s.alphas, s.alphaBars, s.betaTildes]) assert.equal(a.length, 4);
  assert.deepEqual([s.betas[0], s.alphas[0], s.alphaBars[0]], [0, 1, 1]); // t = 0 conventions
  close(s.alphas[2], 0.8);
  close(s.alphaBars[1], 0.9);
  close(s.alphaBars[2], 0.72);
  close(s.alphaBars[3], 0.504);
  close(s.betaTildes[1], 0, 0, "betaTilde_1 is exactly 0");
  close(s.betaTildes[2], (0.1 / 0.28) * 0.2);
  close(s.betaTildes[3], (0.28 / 0.496) * 0.3);
  close(s.posteriorCoefX0[2], (Math.sqrt(0.9) * 0.2) / 0.28);
  close(s.posteriorCoefXt[2], (Math.sqrt(0.8) * 0.1) / 0.28);
  close(s.posteriorCoefX0[1], 1, 1e-15, "t = 1: tilde mu = x_0");
  close(s.posteriorCoefXt[1], 0, 0);
});

Deno.test("betaTilde is the Bayes posterior variance: 1/betaTilde = 1/(1 - alphaBar_{t-1}) + alpha/beta", () => {
  const s = linearSchedule(50);
  for (let t = 2; t <= 50; t++) {
    const precision = 1 / (1 - s.alphaBars[t - 1]) + s.alphas[t] / s.betas[t];
    close(s.betaTildes[t] * precision, 1, 1e-12, `t = ${t}`);
    // mean coefficients from the same Bayes computation
    close(
      s.posteriorCoefX0[t],
      s.betaTildes[t] * Math.sqrt(s.alphaBars[t - 1]) / (1 - s.alphaBars[t - 1]),
      1e-12,
    );
    close(s.posteriorCoefXt[t], s.betaTildes[t] * Math.sqrt(s.alphas[t]) / s.betas[t], 1e-12);
  }
});

Deno.test("linearSchedule: endpoints, even spacing, T = 1", () => {
  const s = linearSchedule(3, 0.1, 0.3);
  close(s.betas[1], 0.1);
  close(s.betas[2], 0.2);
  close(s.betas[3], 0.3);
  assert.equal(s.kind, "linear");
  const d = linearSchedule(); // book default: T = 100, 1e-3..0.2
  assert.equal(d.T, 100);
  close(d.betas[1], 1e-3);
  close(d.betas[100], 0.2);
  const one = linearSchedule(1, 0.02, 0.5);
  assert.equal(one.T, 1);
  close(one.betas[1], 0.02);
});

Deno.test("cosineSchedule: alphaBar_t equals the closed form f(t)/f(0) until the clip at t = T", () => {
  const T = 100, s0 = 0.008, sched = cosineSchedule(T, s0);
  const f = (t: number) => Math.cos(((t / T + s0) / (1 + s0)) * (Math.PI / 2)) ** 2;
  for (let t = 1; t < T; t++) close(sched.alphaBars[t], f(t) / f(0), 1e-12, `t = ${t}`);
  close(sched.betas[T], 0.999, 1e-15, "last beta clipped at 0.999");
  assert.ok(sched.alphaBars[T] > 0 && sched.alphaBars[T] < 1e-4);
  for (let t = 2; t <= T; t++) assert.ok(sched.betas[t] >= sched.betas[t - 1], "betas increase");
});

Deno.test("sohlDicksteinSchedule: beta_1 = 1/T, beta_T = 1/2, override, T = 1", () => {
  const s = sohlDicksteinSchedule(40);
  close(s.betas[1], 1 / 40);
  close(s.betas[40], 0.5);
  close(1 / s.betas[2], 40 - 38 / 39, 1e-12, "reciprocals evenly spaced from T down to 2");
  close(sohlDicksteinSchedule(40, 1e-4).betas[1], 1e-4);
  close(sohlDicksteinSchedule(1).betas[1], 0.5);
});

Deno.test("assertTimestep: t = 1 and t = T pass; 0, T + 1, 1.5, NaN throw RangeError", () => {
  const s = linearSchedule(10);
  assertTimestep(s, 1);
  assertTimestep(s, 10);
  for (const bad of [0, 11, 1.5, NaN, -1]) {
    assert.throws(() => assertTimestep(s, bad), RangeError, `t = ${bad}`);
  }
  assert.throws(() => assertTimestep(s, 0), /integer in \[1, 10\]: current value is 0/);
});

Deno.test("schedules reject bad T and betas", () => {
  assert.throws(() => scheduleFromBetas([]), /at least 1: current value is 0/);
  assert.throws(
    () => scheduleFromBetas([0.1, 0]),
    /beta_2 must be in \(0, 1\]: current value is 0/,
  );
  assert.throws(() => scheduleFromBetas([1.5]), RangeError);
  assert.throws(() => scheduleFromBetas([NaN]), RangeError);
  assert.throws(() => linearSchedule(0), RangeError);
  assert.throws(() => cosineSchedule(2.5), RangeError);
  assert.throws(() => sohlDicksteinSchedule(-1), RangeError);
  // beta = 1 is allowed: alphaBar hits 0 and the arrays stay finite
  const s = scheduleFromBetas([0.5, 1]);
  assert.equal(s.alphaBars[2], 0);
  assert.ok([...s.betaTildes, ...s.posteriorCoefX0, ...s.posteriorCoefXt].every(Number.isFinite));
});

Deno.test("snr = alphaBar / (1 - alphaBar), decreasing in t, validated", () => {
  const s = scheduleFromBetas([0.5, 0.5]);
  close(snr(s, 1), 1);
  close(snr(s, 2), 0.25 / 0.75);
  assert.throws(() => snr(s, 3), RangeError);
});
