import assert from "node:assert/strict";
import { forwardKernelLogPdf, forwardMarginalLogPdf } from "./forward.ts";
import { posteriorLogPdf, posteriorMean, posteriorVariance } from "./posterior.ts";
import { cosineSchedule, linearSchedule } from "./schedule.ts";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

/** Mean and variance of the density prop. to exp(logf) on [a, b] (Simpson, n even). */
function quadratureMoments(logf: (x: number) => number, a: number, b: number, n: number) {
  const h = (b - a) / n;
  let z = 0, m1 = 0, m2 = 0;
  for (let i = 0; i <= n; i++) {
    const x = a + i * h, w = (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(logf(x));
    z += w;
    m1 += w * x;
    m2 += w * x * x;
  }
  const mean = m1 / z;
  return { mean, variance: m2 / z - mean * mean };
}

Deno.test("eq:bayes-reverse: Bayes by quadrature gives tilde mu_t and tilde beta_t (t = 2, 10, T)", () => {
  const s = linearSchedule(50), x0 = 0.8, xt = -0.4;
  for (const t of [2, 10, 50]) {
    const logf = (x: number) =>
      forwardKernelLogPdf(s, xt, x, t) + (t === 1 ? 0 : forwardMarginalLogPdf(s, x, x0, t - 1));
    const sd = Math.sqrt(posteriorVariance(s, t)), mu = posteriorMean(s, xt, x0, t);
    // +-12 sd with 4000 Simpson intervals: quadrature error far below 1e-9 (relative)
    const q = quadratureMoments(logf, mu - 12 * sd, mu + 12 * sd, 4000);
    close(q.mean, mu, 1e-9 * (1 + Math.abs(mu)), `mean t = ${t}`);
    close(q.variance, posteriorVariance(s, t), 1e-9 * posteriorVariance(s, t), `variance t = ${t}`);
  }
});

Deno.test("posteriorLogPdf = log q(x_t | x_{t-1}) + log q(x_{t-1} | x_0) - log q(x_t | x_0) exactly (1e-10)", () => {
  const s = cosineSchedule(30);
  for (const t of [2, 15, 30]) {
    for (
      const [xPrev, xt, x0] of [[0.1, 0.5, -1], [2, -1, 0.3], [[0.5, 1], [-1, 0.2], [
        1,
        1,
      ]]] as const
    ) {
      const bayes = forwardKernelLogPdf(s, xt, xPrev, t) +
        forwardMarginalLogPdf(s, xPrev, x0, t - 1) -
        forwardMarginalLogPdf(s, xt, x0, t);
      close(posteriorLogPdf(s, xPrev, xt, x0, t), bayes, 1e-10, `t = ${t}`);
    }
  }
});

Deno.test("t = 1: the posterior is a point mass at x_0 (mean x_0 exactly, variance 0, no density)", () => {
  const s = linearSchedule(10);
  assert.equal(posteriorMean(s, 3.3, 0.7, 1), 0.7);
  assert.deepEqual([...posteriorMean(s, [3.3, 1], [0.7, -2], 1)], [0.7, -2]);
  assert.equal(posteriorVariance(s, 1), 0);
  assert.throws(() => posteriorLogPdf(s, 0.7, 3.3, 0.7, 1), /point mass at x_0/);
});

Deno.test("posteriorMean by hand for T = 2, beta = 0.5 each; arrays element-wise", () => {
  const s = linearSchedule(2, 0.5, 0.5); // alphaBar = 0.5, 0.25
  const c = (Math.sqrt(0.5) * 0.5) / 0.75; // both coefficients coincide here
  const m = posteriorMean(s, [1, 0], [0, 1], 2);
  close(m[0], c, 1e-15);
  close(m[1], c, 1e-15);
  close(posteriorVariance(s, 2), (0.5 / 0.75) * 0.5, 1e-15);
});

Deno.test("bad inputs throw", () => {
  const s = linearSchedule(10);
  assert.throws(() => posteriorMean(s, 1, 1, 0), RangeError);
  assert.throws(() => posteriorVariance(s, 11), RangeError);
  assert.throws(() => posteriorMean(s, [1, 2], [1], 3), /x_0 must have length 2/);
  assert.throws(() => posteriorMean(s, NaN, 1, 3), /x_t must be finite: current value is NaN/);
  assert.throws(() => posteriorLogPdf(s, Infinity, 1, 1, 3), RangeError);
});
