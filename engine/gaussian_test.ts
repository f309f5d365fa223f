import assert from "node:assert/strict";
import {
  diagGaussianLogPdf,
  gaussianEntropy,
  gaussianLogPdf,
  klDiagGaussians,
} from "./gaussian.ts";
import { createRng } from "./rng.ts";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

Deno.test("gaussianLogPdf by hand and integrating to 1 (Simpson, step 1e-3: error ~1e-12)", () => {
  close(gaussianLogPdf(3, 1, 4), -0.5 * Math.log(8 * Math.PI) - 0.5, 1e-15, "log N(3; 1, 4)");
  const h = 1e-3, a = -20, n = 40_000; // [-20, 20] covers +-10.5 sd for variance 3.6
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    s += w * Math.exp(gaussianLogPdf(a + i * h, 0.7, 3.6));
  }
  close((s * h) / 3, 1, 1e-10, "integral");
});

Deno.test("diagGaussianLogPdf = sum of 1-D log-densities; a number variance is isotropic", () => {
  const x = [0.3, -1.2, 2], m = [0, 1, 1], v = [0.5, 2, 3];
  const sum = x.reduce((s, xi, i) => s + gaussianLogPdf(xi, m[i], v[i]), 0);
  close(diagGaussianLogPdf(x, m, v), sum, 1e-13);
  close(diagGaussianLogPdf(x, m, 2), diagGaussianLogPdf(x, m, [2, 2, 2]), 1e-14);
});

Deno.test("klDiagGaussians: by hand, 0 for equal, >= 0, and equal to its Monte Carlo mean within 4 SE", () => {
  close(klDiagGaussians(0, 1, 0, 1), 0, 0);
  // KL(N(0,1) || N(1,2)) = 0.5 (log 2 + 1/2 + 1/2 - 1) = log(2)/2
  close(klDiagGaussians(0, 1, 1, 2), Math.log(2) / 2, 1e-15);
  close(klDiagGaussians([1, 2], 1, [1, 2], [1, 1]), 0, 0);
  const mu1 = [0.5, -1], v1 = [0.3, 2], mu2 = [0, 0], v2 = [1, 1.5];
  const kl = klDiagGaussians(mu1, v1, mu2, v2);
  assert.ok(kl > 0);
  const rng = createRng(5), n = 100_000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = mu1.map((m, j) => m + Math.sqrt(v1[j]) * rng.normal());
    const d = diagGaussianLogPdf(x, mu1, v1) - diagGaussianLogPdf(x, mu2, v2);
    s += d;
    s2 += d * d;
  }
  const mean = s / n, se = Math.sqrt((s2 / n - mean * mean) / (n - 1));
  close(mean, kl, 4 * se, "4 standard errors of the MC mean of log q - log p");
});

Deno.test("gaussianEntropy: by hand, additive over coordinates, equal to MC of -log p within 4 SE", () => {
  close(gaussianEntropy(1), 0.5 * Math.log(2 * Math.PI * Math.E), 1e-15);
  close(gaussianEntropy(2, 3), 3 * gaussianEntropy(2), 1e-14);
  close(gaussianEntropy([1, 4]), gaussianEntropy(1) + gaussianEntropy(4), 1e-15);
  const rng = createRng(9), n = 100_000, v = 0.7;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const d = -gaussianLogPdf(Math.sqrt(v) * rng.normal(), 0, v);
    s += d;
    s2 += d * d;
  }
  const mean = s / n, se = Math.sqrt((s2 / n - mean * mean) / (n - 1));
  close(mean, gaussianEntropy(v), 4 * se, "4 SE");
});

Deno.test("degenerate inputs throw with the current value", () => {
  assert.throws(
    () => gaussianLogPdf(0, 0, -1),
    /variance must be finite and > 0: current value is -1/,
  );
  assert.throws(() => gaussianLogPdf(0, 0, 0), RangeError);
  assert.throws(() => gaussianLogPdf(NaN, 0, 1), /x must be finite: current value is NaN/);
  assert.throws(() => diagGaussianLogPdf([1, 2], [0], 1), /mean must have length 2/);
  assert.throws(() => diagGaussianLogPdf([1, 2], [0, 0], [1]), /variance must have length 2/);
  assert.throws(() => diagGaussianLogPdf([1], [0], [NaN]), RangeError);
  assert.throws(() => klDiagGaussians([0], 1, [0], 0), /var2\[0\] must be finite and > 0/);
  assert.throws(() => klDiagGaussians([0, 1], 1, [0], 1), /arrays of one length/);
  assert.throws(() => klDiagGaussians(0, 1, [0], 1), RangeError);
  assert.throws(() => gaussianEntropy(-2), /current value is -2/);
  assert.throws(() => gaussianEntropy(1, 0), /dim must be a positive integer/);
});
