import assert from "node:assert/strict";
import { conditionMixture, replacementInpaint, replacementStep } from "./inpaint.ts";
import { createMixture, mixtureLogPdf, optimalEps } from "./mixture.ts";
import { createRng } from "./rng.ts";
import { linearSchedule } from "./schedule.ts";

const twoBlobs = createMixture({
  weights: [1, 2],
  means: [[-1, -1, 0.5], [1, 1, -0.5]],
  variances: [0.1, 0.3],
});

Deno.test("conditionMixture is the joint density restricted to x_A = a, renormalised", () => {
  const obs = { indices: [0], values: [0.4] };
  const c = conditionMixture(twoBlobs, obs);
  assert.equal(c.dim, 2);
  // log q(x_B | a) - log q(x_B' | a) = log q(a, x_B) - log q(a, x_B') for any two x_B
  const pairs = [[[0.3, -0.2], [1.1, 0.7]], [[-2, 0], [0.5, 0.5]]];
  for (const [u, w] of pairs) {
    const conditional = mixtureLogPdf(c, u) - mixtureLogPdf(c, w);
    const joint = mixtureLogPdf(twoBlobs, [0.4, ...u]) - mixtureLogPdf(twoBlobs, [0.4, ...w]);
    assert.ok(Math.abs(conditional - joint) < 1e-12, `${conditional} vs ${joint}`);
  }
});

Deno.test("conditionMixture rejects bad observations and a fully observed point", () => {
  assert.throws(() => conditionMixture(twoBlobs, { indices: [0, 0], values: [1, 1] }), /distinct/);
  assert.throws(() => conditionMixture(twoBlobs, { indices: [3], values: [1] }), /\[0, 2\]/);
  assert.throws(() => conditionMixture(twoBlobs, { indices: [0], values: [1, 2] }), /one value/);
  assert.throws(
    () => conditionMixture(twoBlobs, { indices: [0, 1, 2], values: [1, 1, 1] }),
    /unobserved/,
  );
});

Deno.test("replacementStep: observed coordinates follow q(x_{t-1} | x_0 = a), the rest the model", () => {
  const s = linearSchedule(10), obs = { indices: [1], values: [2] };
  const model = (x: Float64Array) => x.map((xi) => 0.5 * xi); // any reverse mean
  const rng = createRng(7), n = 4000, t = 5;
  let sum = 0, sumSq = 0, free = 0;
  for (let j = 0; j < n; j++) {
    const x = replacementStep(s, [0.8, -3], t, model, obs, rng);
    sum += x[1];
    sumSq += x[1] ** 2;
    free += x[0];
  }
  const mean = sum / n, variance = sumSq / n - mean ** 2;
  const aBar = s.alphaBars[t - 1], se = Math.sqrt((1 - aBar) / n);
  assert.ok(Math.abs(mean - Math.sqrt(aBar) * 2) < 5 * se, `${mean}`); // ignores x_t = -3
  assert.ok(Math.abs(variance - (1 - aBar)) < 0.1 * (1 - aBar), `${variance}`);
  const seFree = Math.sqrt(s.betas[t] / n);
  assert.ok(Math.abs(free / n - 0.4) < 5 * seFree, "the model's mean 0.5 * 0.8 on the free one");
});

Deno.test("replacement with the ideal model mostly fills in the right blob; exact conditioning always", () => {
  const m = createMixture({ weights: [1, 1], means: [[-1, -1], [1, 1]], variances: 0.1 });
  const s = linearSchedule(50, 2e-3, 0.4), obs = { indices: [0], values: [1] };
  // the best Gaussian reverse step: its mean from the exact E[eps | x_t] (eq:eps-mean)
  const mean = (x: Float64Array, t: number) => {
    const eps = optimalEps(m, s, t, x), c = s.betas[t] / Math.sqrt(1 - s.alphaBars[t]);
    return x.map((xi, i) => (xi - c * eps[i]) / Math.sqrt(s.alphas[t]));
  };
  const rng = createRng(5), n = 150;
  let right = 0;
  for (let j = 0; j < n; j++) {
    const x0 = replacementInpaint(s, 2, mean, obs, rng);
    assert.equal(x0[0], 1, "the observed coordinate is pinned exactly");
    if (x0[1] > 0) right++;
  }
  assert.ok(right / n > 0.8, `share in the observed point's blob: ${right / n}`);
  assert.ok(conditionMixture(m, obs).weights[1] > 1 - 1e-6, "exact: all weight on that blob");
});
