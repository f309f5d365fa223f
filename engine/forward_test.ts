import assert from "node:assert/strict";
import {
  forwardConditionalEntropy,
  forwardKernelLogPdf,
  forwardMarginalLogPdf,
  forwardSample,
  forwardStep,
} from "./forward.ts";
import { gaussianEntropy, gaussianLogPdf } from "./gaussian.ts";
import { createRng } from "./rng.ts";
import { linearSchedule, scheduleFromBetas } from "./schedule.ts";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

function meanVar(xs: number[]): { mean: number; variance: number; n: number } {
  const n = xs.length, mean = xs.reduce((a, b) => a + b, 0) / n;
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1), n };
}

/** 4 standard errors for a sample mean and a sample variance of a Gaussian (var of s^2 = 2 v^2 / (n - 1)). */
function assertGaussianMoments(xs: number[], mean: number, variance: number, what: string) {
  const m = meanVar(xs);
  close(m.mean, mean, 4 * Math.sqrt(variance / m.n), `${what} mean (4 SE)`);
  close(m.variance, variance, 4 * variance * Math.sqrt(2 / (m.n - 1)), `${what} variance (4 SE)`);
}

Deno.test("forwardStep has mean sqrt(alpha_t) x_{t-1} and variance beta_t (MC, 4 SE), at t = 1 and t = T", () => {
  const s = linearSchedule(10), rng = createRng(1), n = 40_000;
  for (const t of [1, 10]) {
    const xs = Array.from({ length: n }, () => forwardStep(s, 2, t, rng));
    assertGaussianMoments(xs, Math.sqrt(s.alphas[t]) * 2, s.betas[t], `t = ${t}`);
  }
});

Deno.test("eq:forward-marginal: T chained kernel steps match forwardSample's closed form (MC, 4 SE)", () => {
  const s = linearSchedule(20, 0.01, 0.3), rng = createRng(2), n = 40_000, x0 = 1.5;
  const chained = Array.from({ length: n }, () => {
    let x = x0;
    for (let t = 1; t <= 20; t++) x = forwardStep(s, x, t, rng);
    return x;
  });
  assertGaussianMoments(chained, Math.sqrt(s.alphaBars[20]) * x0, 1 - s.alphaBars[20], "chained");
  const direct = Array.from({ length: n }, () => forwardSample(s, x0, 20, rng).xt);
  assertGaussianMoments(direct, Math.sqrt(s.alphaBars[20]) * x0, 1 - s.alphaBars[20], "direct");
});

Deno.test("forwardSample with given eps is exact; arrays keep their shape and return eps", () => {
  const s = scheduleFromBetas([0.36, 0.5]); // alphaBar_2 = 0.32
  const r = forwardSample(s, [1, -2], 2, createRng(0), [0.5, 1]);
  assert.ok(r.xt instanceof Float64Array && r.eps instanceof Float64Array);
  close(r.xt[0], Math.sqrt(0.32) + Math.sqrt(0.68) * 0.5, 1e-15);
  close(r.xt[1], -2 * Math.sqrt(0.32) + Math.sqrt(0.68), 1e-15);
  assert.deepEqual([...r.eps], [0.5, 1]);
  const drawn = forwardSample(s, [0, 0, 0], 1, createRng(4));
  close(drawn.xt[2], 0.6 * drawn.eps[2], 1e-15, "x_t = sqrt(1 - alphaBar) eps when x_0 = 0");
});

Deno.test("log-densities equal gaussianLogPdf, summed over coordinates", () => {
  const s = linearSchedule(10);
  const k = forwardKernelLogPdf(s, [0.4, -1], [1, 0], 3);
  const kRef = gaussianLogPdf(0.4, Math.sqrt(s.alphas[3]), s.betas[3]) +
    gaussianLogPdf(-1, 0, s.betas[3]);
  close(k, kRef, 1e-12);
  const m = forwardMarginalLogPdf(s, 0.1, 2, 10);
  close(m, gaussianLogPdf(0.1, 2 * Math.sqrt(s.alphaBars[10]), 1 - s.alphaBars[10]), 1e-12);
  close(
    forwardMarginalLogPdf(s, 0.3, -1, 1),
    forwardKernelLogPdf(s, 0.3, -1, 1),
    1e-12,
    "t = 1: same (|value| ~ 800: 1e-12 is ~1e-15 relative)",
  );
});

Deno.test("forwardConditionalEntropy = entropy of N(., 1 - alphaBar_t) in dim dimensions", () => {
  const s = linearSchedule(10);
  close(forwardConditionalEntropy(s, 4, 3), gaussianEntropy(1 - s.alphaBars[4], 3), 1e-14);
});

Deno.test("bad t, NaN and shape mismatches throw", () => {
  const s = linearSchedule(10), rng = createRng(0);
  for (const t of [0, 11, 1.5]) {
    assert.throws(() => forwardStep(s, 1, t, rng), RangeError);
    assert.throws(() => forwardSample(s, 1, t, rng), RangeError);
    assert.throws(() => forwardKernelLogPdf(s, 1, 1, t), RangeError);
    assert.throws(() => forwardMarginalLogPdf(s, 1, 1, t), RangeError);
  }
  assert.throws(
    () => forwardStep(s, NaN, 1, rng),
    /x_\{t-1\} must be finite: current value is NaN/,
  );
  assert.throws(() => forwardSample(s, [1, 2], 1, rng, [1]), /eps must have length 2/);
  assert.throws(() => forwardMarginalLogPdf(s, [1, 2], [1], 2), RangeError);
});
