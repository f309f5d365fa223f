import assert from "node:assert/strict";
import {
  exactLogLikelihoodGaussianChain,
  type LinearGaussianReverse,
  linearReverseMean,
} from "./elbo.ts";
import { forwardKernelLogPdf } from "./forward.ts";
import { gaussianLogPdf } from "./gaussian.ts";
import {
  logPathWeight,
  logPPath,
  logQPath,
  pathIntegralLogLikelihood,
  sampleForwardPath,
} from "./path.ts";
import { createRng } from "./rng.ts";
import { linearSchedule } from "./schedule.ts";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

Deno.test("logQPath and logPPath by hand for T = 2 (beta_t variances)", () => {
  const s = linearSchedule(2, 0.2, 0.4), path = [0.5, 0.1, -0.3];
  const q = forwardKernelLogPdf(s, 0.1, 0.5, 1) + forwardKernelLogPdf(s, -0.3, 0.1, 2);
  close(logQPath(s, path), q, 1e-14);
  const mean = (x: Float64Array) => x.map((v) => 0.5 * v);
  const p = gaussianLogPdf(-0.3, 0, 1) + gaussianLogPdf(0.1, -0.15, 0.4) +
    gaussianLogPdf(0.5, 0.05, 0.2);
  close(logPPath(s, path, mean), p, 1e-14);
  close(
    logPPath(s, path, mean, { variance: 0.3 }),
    gaussianLogPdf(-0.3, 0, 1) + gaussianLogPdf(0.1, -0.15, 0.3) + gaussianLogPdf(0.5, 0.05, 0.3),
    1e-14,
  );
  close(logPathWeight(s, path, mean), p - q, 1e-14);
});

Deno.test("eq:path-integral: the importance-weighted estimate matches the exact log p(x_0) (4 delta-method SE)", () => {
  const T = 5, s = linearSchedule(T, 0.05, 0.4);
  const rev: LinearGaussianReverse = {
    a: [0, 0.95, 0.9, 0.9, 0.85, 0.8],
    b: [0, 0.02, 0, -0.03, 0, 0.01],
    variance: [0, 0.06, 0.12, 0.2, 0.3, 0.4],
  };
  const x0 = 0.3, n = 40_000;
  const r = pathIntegralLogLikelihood(s, x0, linearReverseMean(rev), n, createRng(17), {
    variance: rev.variance,
  });
  const w = r.logWeights, max = Math.max(...w), ew = w.map((v) => Math.exp(v - max));
  const m = ew.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(ew.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  const se = sd / m / Math.sqrt(n); // delta method: SE of the log of a mean
  close(r.logP, Math.log(m) + max, 1e-12, "logP is the log-mean-exp of the weights");
  // the estimate is biased low by about se^2 / 2 (Jensen), negligible next to 4 se here
  const exact = exactLogLikelihoodGaussianChain(s, { mean: x0, variance: 0 }, rev);
  close(r.logP, exact, 4 * se, "4 SE");
});

Deno.test("detailed balance: with the forward kernels run backwards every path weight is log N(x_0; 0, 1)", () => {
  // p(x_{t-1} | x_t) = N(sqrt(alpha_t) x_t, beta_t) and N(0, 1) satisfy detailed balance, so
  // p(x_{0:T}) / q(x_{1:T} | x_0) = N(x_0; 0, 1) for every path: zero-variance importance weights
  const T = 4, s = linearSchedule(T, 0.1, 0.4), x0 = -0.5;
  const a = Float64Array.from({ length: T + 1 }, (_, t) => (t ? Math.sqrt(s.alphas[t]) : 0));
  const rev = { a, b: new Float64Array(T + 1), variance: s.betas };
  const r = pathIntegralLogLikelihood(s, x0, linearReverseMean(rev), 100, createRng(5));
  for (const w of r.logWeights) close(w, gaussianLogPdf(x0, 0, 1), 1e-12, "weight");
  close(r.logP, exactLogLikelihoodGaussianChain(s, { mean: x0, variance: 0 }, rev), 1e-12);
  close(r.logP, gaussianLogPdf(x0, 0, 1), 1e-12);
});

Deno.test("sampleForwardPath: x_T has the forward marginal's mean and variance (4 SE)", () => {
  const s = linearSchedule(10, 0.05, 0.3), rng = createRng(2), n = 20_000, x0 = 2;
  const xs = Array.from({ length: n }, () => sampleForwardPath(s, x0, rng)[10][0]);
  const mean = xs.reduce((a, b) => a + b, 0) / n, v = 1 - s.alphaBars[10];
  close(mean, Math.sqrt(s.alphaBars[10]) * x0, 4 * Math.sqrt(v / n), "mean");
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  close(variance, v, 4 * v * Math.sqrt(2 / (n - 1)), "variance");
});

Deno.test("bad paths throw", () => {
  const s = linearSchedule(2);
  assert.throws(() => logQPath(s, [0, 1]), /x_0..x_T \(3 states\): current value is 2/);
  assert.throws(
    () => logQPath(s, [[0, 1], [0], [1, 1]]),
    /x_1 must have length 2: current value is 1/,
  );
  assert.throws(() => logQPath(s, [0, NaN, 1]), /x_1\[0\] must be finite/);
  assert.throws(
    () => pathIntegralLogLikelihood(s, 0, (x) => x, 0, createRng(1)),
    /positive integer: current value is 0/,
  );
});
