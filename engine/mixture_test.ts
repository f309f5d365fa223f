import assert from "node:assert/strict";
import { exactGaussianReverse } from "./elbo.ts";
import { forwardKernelLogPdf, forwardMarginalLogPdf } from "./forward.ts";
import { gaussianLogPdf } from "./gaussian.ts";
import {
  classConditionalScore,
  classMixture,
  createMixture,
  gaussianFit,
  guidedScore,
  marginalAt,
  marginalScore,
  mixtureCovariance,
  mixtureLogLikelihood,
  mixtureLogPdf,
  mixtureMean,
  mixtureResponsibilities,
  mixtureSample,
  mixtureScore,
  mixtureVariance,
  multiplyByGaussian,
  noisyClassifier,
  noisyClassifierGradient,
  optimalEps,
  reverseKernel,
  tweedieMean,
  x0Posterior,
} from "./mixture.ts";
import { tweedie, x0FromScore } from "./parameterisation.ts";
import { posteriorLogPdf } from "./posterior.ts";
import { createRng } from "./rng.ts";
import { linearSchedule } from "./schedule.ts";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

const s = linearSchedule(100);
// a 1-D, 3-component, 2-class toy (unequal weights and variances)
const m1 = createMixture({
  weights: [0.5, 0.2, 0.3],
  means: [-2, 0.5, 2.5],
  variances: [0.1, 0.3, 0.05],
  labels: [0, 1, 0],
});
// a 2-D ring-ish toy
const m2 = createMixture({
  weights: [1, 2, 1],
  means: [[1, 0], [-0.5, 0.8], [-0.5, -0.8]],
  variances: [0.05, 0.1, 0.02],
  labels: [0, 1, 2],
});

/** Simpson weights on an even grid [a, b] with n intervals; returns points and weights (including h/3). */
function simpson(a: number, b: number, n: number): { x: Float64Array; w: Float64Array } {
  const h = (b - a) / n, x = new Float64Array(n + 1), w = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    x[i] = a + i * h;
    w[i] = ((i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * h) / 3;
  }
  return { x, w };
}
// [-8, 8] with 16000 intervals: the narrowest component (sd ~0.22) gets ~200 points per sd, so
// Simpson's error on these smooth integrands is far below the 1e-9 tolerances used below.
const GRID = simpson(-8, 8, 16_000);

/** Normalised density values exp(logf) / Z on GRID, and Z. */
function normalised(logf: (x: number) => number) {
  const f = GRID.x.map(logf), max = Math.max(...f);
  const e = f.map((v) => Math.exp(v - max));
  const z = e.reduce((acc, v, i) => acc + v * GRID.w[i], 0);
  return { p: e.map((v) => v / z), logZ: Math.log(z) + max };
}

Deno.test("createMixture: normalises weights, copies inputs, rejects degenerate specs with the value", () => {
  const means = [[0, 1]];
  const m = createMixture({ weights: [2], means, variances: 1 });
  means[0][0] = 9;
  assert.equal(m.means[0][0], 0, "inputs are copied");
  assert.equal(m.weights[0], 1);
  assert.throws(
    () => createMixture({ weights: [0, 0], means: [0, 1], variances: 1 }),
    /total weight must be > 0: current value is 0/,
  );
  assert.throws(
    () => createMixture({ weights: [1, -1], means: [0, 1], variances: 1 }),
    /weight 1 must be finite and >= 0: current value is -1/,
  );
  assert.throws(
    () => createMixture({ weights: [1], means: [0], variances: [-0.5] }),
    /variance 0 must be finite and > 0: current value is -0.5/,
  );
  assert.throws(() => createMixture({ weights: [1], means: [0], variances: 0 }), RangeError);
  assert.throws(
    () => createMixture({ weights: [1], means: [NaN], variances: 1 }),
    /must be finite: current value is NaN/,
  );
  assert.throws(
    () => createMixture({ weights: [1, 1], means: [[0, 0], [0]], variances: 1 }),
    /mean 1 must have length 2/,
  );
  assert.throws(
    () => createMixture({ weights: [1, 1], means: [0], variances: 1 }),
    /one mean per weight/,
  );
  assert.throws(
    () => createMixture({ weights: [1], means: [0], variances: 1, labels: [0.5] }),
    /label 0 must be an integer/,
  );
  assert.throws(() => createMixture({ weights: [], means: [], variances: 1 }), RangeError);
});

Deno.test("one component reduces to a Gaussian: log-density, score, marginal, reverse kernel, posterior", () => {
  const g = createMixture({ weights: [1], means: [0.6], variances: [0.4] });
  close(mixtureLogPdf(g, 1.1), gaussianLogPdf(1.1, 0.6, 0.4), 1e-14);
  close(mixtureScore(g, 1.1)[0], -(1.1 - 0.6) / 0.4, 1e-14);
  for (const t of [1, 37, 100]) {
    const q = marginalAt(g, s, t), ab = s.alphaBars[t];
    close(q.means[0][0], Math.sqrt(ab) * 0.6, 1e-15);
    close(q.variances[0], ab * 0.4 + 1 - ab, 1e-15);
    const exact = exactGaussianReverse(s, { mean: 0.6, variance: 0.4 }); // independent Gaussian algebra
    const k = reverseKernel(g, s, t, -0.3);
    close(k.means[0][0], exact.a[t] * -0.3 + exact.b[t], 1e-12, `reverse mean t = ${t}`);
    close(k.variances[0], exact.variance[t], 1e-12, `reverse variance t = ${t}`);
  }
});

Deno.test("log-density integrates to 1 in 1-D (Simpson) and at t = 50", () => {
  for (const m of [m1, marginalAt(m1, s, 50)]) {
    const z = GRID.x.reduce((acc, x, i) => acc + Math.exp(mixtureLogPdf(m, x)) * GRID.w[i], 0);
    close(z, 1, 1e-9);
  }
});

Deno.test("mixtureScore and marginalScore match central finite differences of the log-density", () => {
  const h = 1e-5; // central differences: O(h^2) truncation ~1e-9 and rounding ~1e-16/h ~1e-11
  for (const t of [0, 1, 10, 100]) {
    const q = marginalAt(m1, s, t);
    for (const x of [-2.2, 0, 0.4, 3]) {
      const fd = (mixtureLogPdf(q, x + h) - mixtureLogPdf(q, x - h)) / (2 * h);
      close(marginalScore(m1, s, t, x)[0], fd, 1e-6 * (1 + Math.abs(fd)), `1-D t = ${t} x = ${x}`);
    }
    const q2 = marginalAt(m2, s, t), x2 = [0.3, -0.2];
    const g = marginalScore(m2, s, t, x2);
    for (let i = 0; i < 2; i++) {
      const up = [...x2], down = [...x2];
      up[i] += h;
      down[i] -= h;
      const fd = (mixtureLogPdf(q2, up) - mixtureLogPdf(q2, down)) / (2 * h);
      close(g[i], fd, 1e-6 * (1 + Math.abs(fd)), `2-D t = ${t} coordinate ${i}`);
    }
  }
});

Deno.test("eq:mixture-reverse-kernel: reverseKernel equals Bayes q(x_t|x_{t-1}) q(x_{t-1}) / q(x_t) by quadrature", () => {
  for (const t of [1, 2, 30, 100]) {
    for (const xt of [-1.5, 0.2, 2]) {
      const prev = marginalAt(m1, s, t - 1);
      const bayes = normalised((x) => forwardKernelLogPdf(s, xt, x, t) + mixtureLogPdf(prev, x));
      // the normaliser is q(x_t) itself
      close(bayes.logZ, mixtureLogPdf(marginalAt(m1, s, t), xt), 1e-9, `q(x_t) t = ${t}`);
      const k = reverseKernel(m1, s, t, xt);
      let maxErr = 0;
      GRID.x.forEach((
        x,
        i,
      ) => (maxErr = Math.max(maxErr, Math.abs(Math.exp(mixtureLogPdf(k, x)) - bayes.p[i]))));
      assert.ok(maxErr < 1e-8, `t = ${t} x_t = ${xt}: max density error ${maxErr}`);
    }
  }
});

Deno.test("eq:reverse-as-expectation: q(x_{t-1}|x_t) = E_{q(x_0|x_t)} q(x_{t-1}|x_t,x_0) (double quadrature)", () => {
  const t = 20, xt = 0.7;
  const post = x0Posterior(m1, s, t, xt), k = reverseKernel(m1, s, t, xt);
  const inner = simpson(-4, 4, 4000); // x_0 grid; posterior sds >= 0.2
  for (const xPrev of [-1, 0.3, 1.2]) {
    let e = 0;
    inner.x.forEach((x0, i) => {
      e += inner.w[i] * Math.exp(mixtureLogPdf(post, x0) + posteriorLogPdf(s, xPrev, xt, x0, t));
    });
    close(e, Math.exp(mixtureLogPdf(k, xPrev)), 1e-8, `x_{t-1} = ${xPrev}`);
  }
});

Deno.test("x0Posterior equals Bayes q(x_t|x_0) q(x_0) / q(x_t) by quadrature; t = 1 equals reverseKernel", () => {
  for (const t of [1, 10, 100]) {
    const xt = 0.9, post = x0Posterior(m1, s, t, xt);
    const bayes = normalised((x) => forwardMarginalLogPdf(s, xt, x, t) + mixtureLogPdf(m1, x));
    let maxErr = 0;
    GRID.x.forEach((
      x,
      i,
    ) => (maxErr = Math.max(maxErr, Math.abs(Math.exp(mixtureLogPdf(post, x)) - bayes.p[i]))));
    assert.ok(maxErr < 1e-8, `t = ${t}: ${maxErr}`);
  }
  const a = x0Posterior(m1, s, 1, 0.3), b = reverseKernel(m1, s, 1, 0.3);
  for (let k = 0; k < 3; k++) {
    close(a.means[k][0], b.means[k][0], 1e-12);
    close(a.variances[k], b.variances[k], 1e-15);
    close(a.weights[k], b.weights[k], 1e-12);
  }
});

Deno.test("eq:tweedie-diffusion: tweedieMean = mean of x0Posterior by quadrature = x0FromScore(marginalScore)", () => {
  for (const t of [1, 5, 50, 100]) {
    for (const xt of [-1, 0.1, 1.7]) {
      const bayes = normalised((x) => forwardMarginalLogPdf(s, xt, x, t) + mixtureLogPdf(m1, x));
      const quad = bayes.p.reduce((acc, p, i) => acc + p * GRID.x[i] * GRID.w[i], 0);
      const tw = tweedieMean(m1, s, t, xt)[0];
      close(tw, quad, 1e-8, `quadrature t = ${t}`);
      close(
        tw,
        x0FromScore(s, xt, marginalScore(m1, s, t, xt)[0], t),
        1e-9 * (1 + Math.abs(tw)),
        `score t = ${t}`,
      );
    }
  }
  const x = [0.2, 0.4], t = 30, tw2 = tweedieMean(m2, s, t, x), g = marginalScore(m2, s, t, x);
  const viaScore = x0FromScore(s, x, g, t);
  close(tw2[0], viaScore[0], 1e-10);
  close(tw2[1], viaScore[1], 1e-10);
});

Deno.test("optimalEps = -sqrt(1 - alphaBar_t) score, and = E[eps | x_t] by quadrature", () => {
  const t = 40, xt = 0.5, sigma = Math.sqrt(1 - s.alphaBars[t]);
  const e = optimalEps(m1, s, t, xt)[0];
  close(e, -sigma * marginalScore(m1, s, t, xt)[0], 1e-12);
  const bayes = normalised((x) => forwardMarginalLogPdf(s, xt, x, t) + mixtureLogPdf(m1, x));
  const quad = bayes.p.reduce(
    (acc, p, i) => acc + p * ((xt - Math.sqrt(s.alphaBars[t]) * GRID.x[i]) / sigma) * GRID.w[i],
    0,
  );
  close(e, quad, 1e-8);
});

Deno.test("eq:noisy-classifier: sums to 1 and equals the integral of p(y|x_0) q(x_0|x_t) (quadrature)", () => {
  for (const t of [0, 1, 25, 100]) {
    const p = noisyClassifier(m1, s, t, 0.4);
    assert.equal(p.length, 2);
    close(p[0] + p[1], 1, 1e-15);
    if (t === 0) continue;
    const bayes = normalised((x) => forwardMarginalLogPdf(s, 0.4, x, t) + mixtureLogPdf(m1, x));
    const quad = bayes.p.reduce(
      (acc, q, i) => acc + q * noisyClassifier(m1, s, 0, GRID.x[i])[1] * GRID.w[i],
      0,
    );
    close(p[1], quad, 1e-8, `t = ${t}`);
  }
  const p2 = noisyClassifier(m2, s, 10, [0.5, 0.5]);
  close(p2.reduce((a, b) => a + b, 0), 1, 1e-15);
});

Deno.test("eq:classifier-guidance: sum_y p(y|x_t) grad log q(x_t|y) = grad log q(x_t); classifier gradient by FD", () => {
  for (const t of [0, 1, 30, 100]) {
    const x = [0.1, -0.3], p = noisyClassifier(m2, s, t, x), g = marginalScore(m2, s, t, x);
    const avg = [0, 0];
    for (let y = 0; y < 3; y++) {
      const c = classConditionalScore(m2, s, t, x, y);
      avg[0] += p[y] * c[0];
      avg[1] += p[y] * c[1];
    }
    close(avg[0], g[0], 1e-12 * (1 + Math.abs(g[0])), `t = ${t}`);
    close(avg[1], g[1], 1e-12 * (1 + Math.abs(g[1])), `t = ${t}`);
    const h = 1e-5, grad = noisyClassifierGradient(m2, s, t, x, 1);
    const up = Math.log(noisyClassifier(m2, s, t, [x[0] + h, x[1]])[1]);
    const down = Math.log(noisyClassifier(m2, s, t, [x[0] - h, x[1]])[1]);
    close(grad[0], (up - down) / (2 * h), 1e-6 * (1 + Math.abs(grad[0])), `FD t = ${t}`);
  }
  // labels [0, 1, 0]: class 0 is the two outer components
  assert.equal(classMixture(m1, 0).weights.length, 2);
  close(classMixture(m1, 0).weights[0], 0.625, 1e-15);
});

Deno.test("mixtureSample: component frequencies, mean and covariance within 4 standard errors", () => {
  const n = 60_000, r = mixtureSample(m2, n, createRng(8));
  assert.equal(r.x.length, 2 * n);
  const counts = [0, 0, 0];
  r.component.forEach((k, j) => {
    counts[k]++;
    assert.equal(r.label![j], m2.labels![k]);
  });
  counts.forEach((c, k) => {
    const w = m2.weights[k];
    close(c / n, w, 4 * Math.sqrt((w * (1 - w)) / n), `weight ${k}`);
  });
  const mean = mixtureMean(m2), cov = mixtureCovariance(m2);
  for (let i = 0; i < 2; i++) {
    let sm = 0;
    for (let j = 0; j < n; j++) sm += r.x[2 * j + i];
    close(sm / n, mean[i], 4 * Math.sqrt(cov[3 * i] / n), `mean ${i}`);
  }
  const one = mixtureSample(m1, 5, createRng(1));
  assert.equal(one.x.length, 5);
  const unlabelled = createMixture({ weights: [1], means: [0], variances: 1 });
  assert.equal(mixtureSample(unlabelled, 2, createRng(1)).label, undefined);
  assert.throws(
    () => mixtureSample(m1, -1, createRng(1)),
    /n must be an integer >= 0: current value is -1/,
  );
});

Deno.test("moments, gaussianFit and mean log-likelihood by hand", () => {
  // E x = 0.5(-2) + 0.2(0.5) + 0.3(2.5) = -0.15; E x^2 = 0.5(4.1) + 0.2(0.55) + 0.3(6.3) = 4.05
  close(mixtureMean(m1)[0], -0.15, 1e-15);
  close(mixtureVariance(m1)[0], 4.05 - 0.0225, 1e-14);
  const g = gaussianFit(m2), cov = mixtureCovariance(m2);
  close(g.variances[0], (cov[0] + cov[3]) / 2, 1e-15);
  close(cov[1], cov[2], 0, "symmetric");
  close(
    mixtureLogLikelihood(m2, [0, 0, 1, 0]),
    (mixtureLogPdf(m2, [0, 0]) + mixtureLogPdf(m2, [1, 0])) / 2,
    1e-14,
  );
  assert.throws(
    () => mixtureLogLikelihood(m2, [0, 0, 1]),
    /positive multiple of 2: current value is 3/,
  );
  const r = mixtureResponsibilities(m1, 0.2);
  close(r[0] + r[1] + r[2], 1, 1e-15);
});

Deno.test("numerically stable far from the data: finite log-density, responsibilities and score", () => {
  const far = 200; // every component's log-density is about -1e5: plain exp would underflow to 0
  assert.ok(Number.isFinite(mixtureLogPdf(m1, far)));
  const r = mixtureResponsibilities(m1, far);
  assert.ok(r.every(Number.isFinite));
  close(
    r[1],
    1,
    1e-12,
    "the widest component (v = 0.3) dominates far out: -199.5^2/0.6 beats -197.5^2/0.1",
  );
  assert.ok(mixtureScore(m1, far).every(Number.isFinite));
});

Deno.test("edges and bad inputs throw", () => {
  assert.equal(marginalAt(m1, s, 0), m1);
  assert.throws(() => marginalAt(m1, s, 101), RangeError);
  assert.throws(() => reverseKernel(m1, s, 0, 0.1), RangeError);
  assert.throws(() => x0Posterior(m1, s, 0, 0.1), RangeError);
  assert.throws(() => mixtureLogPdf(m2, 0.5), /must have length 2: current value is 0.5/);
  assert.throws(() => mixtureScore(m2, [1]), /must have length 2/);
  assert.throws(() => tweedieMean(m1, s, 3, NaN), /x_t must be finite: current value is NaN/);
  const unlabelled = createMixture({ weights: [1], means: [0], variances: 1 });
  assert.throws(
    () => noisyClassifier(unlabelled, s, 3, 0),
    /must have labels: current value is undefined/,
  );
  assert.throws(
    () => classConditionalScore(m1, s, 3, 0, 2),
    /y must be an integer in \[0, 1\]: current value is 2/,
  );
  const gap = createMixture({ weights: [1, 0], means: [0, 1], variances: 1, labels: [0, 1] });
  assert.throws(() => classMixture(gap, 1), /no component with positive weight/);
});

Deno.test("eq:cfg-score: gamma q(x|y) + (1 - gamma) q(x) scores = score + gamma grad log p(y|x); FD of the tilted density", () => {
  const t = 20, x = [0.2, 0.1];
  for (const gamma of [0, 1, 3]) {
    const g = guidedScore(m2, s, t, x, 2, gamma);
    const base = marginalScore(m2, s, t, x), cls = noisyClassifierGradient(m2, s, t, x, 2);
    for (let i = 0; i < 2; i++) {
      close(g[i], base[i] + gamma * cls[i], 1e-12 * (1 + Math.abs(g[i])), `gamma ${gamma}`);
    }
    // the guided score is the gradient of log q(x_t) + gamma log p(y | x_t) (finite differences)
    const h = 1e-5,
      f = (z: number[]) =>
        mixtureLogPdf(marginalAt(m2, s, t), z) + gamma * Math.log(noisyClassifier(m2, s, t, z)[2]);
    const fd = (f([x[0], x[1] + h]) - f([x[0], x[1] - h])) / (2 * h);
    close(g[1], fd, 1e-6 * (1 + Math.abs(fd)), `FD gamma ${gamma}`);
  }
});

Deno.test("eq:multiply-distributions: multiplyByGaussian equals p(x) N(x; c, r) normalised by quadrature", () => {
  const p = multiplyByGaussian(m1, 0.8, 0.5);
  const ref = normalised((x) => mixtureLogPdf(m1, x) + gaussianLogPdf(x, 0.8, 0.5));
  let maxErr = 0;
  GRID.x.forEach((
    x,
    i,
  ) => (maxErr = Math.max(maxErr, Math.abs(Math.exp(mixtureLogPdf(p, x)) - ref.p[i]))));
  assert.ok(maxErr < 1e-8, `max density error ${maxErr}`);
  assert.deepEqual([...p.labels!], [0, 1, 0]);
  assert.throws(
    () => multiplyByGaussian(m1, 0, 0),
    /factor's variance must be finite and > 0: current value is 0/,
  );
});

Deno.test("eq:tweedie: E[mu | z] = z + v grad log p(z) for a mixture prior on mu (quadrature)", () => {
  const v = 0.7,
    z = 0.9,
    p = createMixture({
      weights: m1.weights,
      means: m1.means,
      variances: m1.variances.map((w) => w + v),
    });
  const post = normalised((mu) => gaussianLogPdf(z, mu, v) + mixtureLogPdf(m1, mu));
  const quad = post.p.reduce((acc, q, i) => acc + q * GRID.x[i] * GRID.w[i], 0);
  close(tweedie(z, v, mixtureScore(p, z)[0]), quad, 1e-8);
  assert.throws(() => tweedie(1, -1, 0), /variance must be finite and > 0: current value is -1/);
});
