import assert from "node:assert/strict";
import {
  binomialForwardStep,
  binomialKernel,
  binomialMarginal,
  binomialMarginalLogProb,
  binomialPosterior,
} from "./binomial.ts";
import { createRng } from "./rng.ts";
import { scheduleFromBetas, sohlDicksteinSchedule } from "./schedule.ts";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

Deno.test("eq:binomial-kernel by hand: keep with 1 - beta, else a fair coin", () => {
  close(binomialKernel(1, 0.3), 0.85, 1e-15);
  close(binomialKernel(0, 0.3), 0.15, 1e-15);
  assert.equal(binomialKernel(1, 0), 1);
  assert.equal(binomialKernel(0, 1), 0.5);
});

Deno.test("eq:binomial-marginal equals composing the kernel step by step (p_t = p_{t-1}(1 - beta_t) + beta_t/2)", () => {
  const s = sohlDicksteinSchedule(40);
  for (const x0 of [0, 1]) {
    let p = x0; // p(x_0 = 1 | x_0)
    assert.equal(binomialMarginal(s, x0, 0), x0, "t = 0 is the data");
    for (let t = 1; t <= 40; t++) {
      p = p * binomialKernel(1, s.betas[t]) + (1 - p) * binomialKernel(0, s.betas[t]);
      close(binomialMarginal(s, x0, t), p, 1e-14, `t = ${t}`);
    }
  }
  close(binomialMarginal(s, 1, 40), 0.5, 0.02, "nearly a fair coin at t = T");
});

Deno.test("binomialForwardStep: the frequency of ones after T steps matches the marginal (4 SE)", () => {
  const s = scheduleFromBetas([0.1, 0.3, 0.2]), rng = createRng(12), n = 20_000;
  let bits: Uint8Array = new Uint8Array(n).fill(1);
  for (let t = 1; t <= 3; t++) bits = binomialForwardStep(bits, s.betas[t], rng);
  const freq = bits.reduce((a, b) => a + b, 0) / n, p = binomialMarginal(s, 1, 3);
  close(freq, p, 4 * Math.sqrt((p * (1 - p)) / n), "4 SE");
});

Deno.test("binomialPosterior: Bayes by joint enumeration, t = 1 edge, and Monte Carlo conditioning (4 SE)", () => {
  const s = scheduleFromBetas([0.2, 0.4, 0.5]);
  for (const t of [1, 2, 3]) {
    for (const x0 of [0, 1]) {
      for (const xt of [0, 1]) {
        // q(x_{t-1} = 1, x_t | x_0) / q(x_t | x_0), with the denominator from the marginal formula
        const prev1 = binomialMarginal(s, x0, t - 1), pt1 = binomialMarginal(s, x0, t);
        const like = xt ? binomialKernel(1, s.betas[t]) : 1 - binomialKernel(1, s.betas[t]);
        const ref = (like * prev1) / (xt ? pt1 : 1 - pt1);
        close(binomialPosterior(s, xt, x0, t), ref, 1e-14, `t ${t} x0 ${x0} xt ${xt}`);
      }
    }
  }
  assert.equal(binomialPosterior(s, 0, 1, 1), 1, "t = 1: x_{t-1} is x_0");
  // simulate x_0 = 1 -> x_1 -> x_2, keep paths with x_2 = 0, count x_1 = 1
  const rng = createRng(4), n = 100_000;
  let kept = 0, ones = 0;
  for (let j = 0; j < n; j++) {
    const x1 = binomialForwardStep([1], s.betas[1], rng)[0];
    const x2 = binomialForwardStep([x1], s.betas[2], rng)[0];
    if (x2 === 0) {
      kept++;
      ones += x1;
    }
  }
  const p = binomialPosterior(s, 0, 1, 2);
  close(ones / kept, p, 4 * Math.sqrt((p * (1 - p)) / kept), "4 SE");
});

Deno.test("binomialMarginalLogProb sums the bits' log-probabilities", () => {
  const s = scheduleFromBetas([0.5]);
  close(binomialMarginalLogProb(s, [1, 0], [1, 1], 1), Math.log(0.75) + Math.log(0.25), 1e-15);
});

Deno.test("bad bits, betas and times throw with the current value", () => {
  const s = scheduleFromBetas([0.5, 0.5]);
  assert.throws(() => binomialKernel(2, 0.1), /y' must be 0 or 1: current value is 2/);
  assert.throws(() => binomialKernel(1, 1.5), /beta must be in \[0, 1\]: current value is 1.5/);
  assert.throws(() => binomialKernel(1, NaN), RangeError);
  assert.throws(() => binomialForwardStep([0, 0.5], 0.1, createRng(0)), /bits\[1\] must be 0 or 1/);
  assert.throws(() => binomialMarginal(s, 1, 3), RangeError);
  assert.throws(() => binomialPosterior(s, 1, 1, 0), RangeError);
  assert.throws(() => binomialMarginalLogProb(s, [1], [1, 0], 1), /x_t must have length 2/);
});
