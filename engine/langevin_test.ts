import assert from "node:assert/strict";
import {
  annealedLangevin,
  langevinChain,
  langevinGaussianVariance,
  langevinStep,
} from "./langevin.ts";
import { klOnGrid, langevinStationary1D } from "./langevin_bias.ts";
import { mixtureLogPdf, mixtureScore } from "./mixture.ts";
import { threeBumps } from "./mixture_1d.ts";
import { createRng } from "./rng.ts";

const gaussScore = (s2: number) => (x: Float64Array) => x.map((v) => -v / s2);

Deno.test("a long Langevin run on N(0, s2) has the variance s2 / (1 - delta / (4 s2)), not s2", () => {
  const s2 = 0.5, delta = 0.4, n = 4000, rng = createRng(11);
  const x = Float64Array.from({ length: n }, () => rng.normal());
  langevinChain({ score: gaussScore(s2), x, dim: 1, delta, steps: 60, rng });
  let v = 0;
  for (const u of x) v += u * u;
  v /= n;
  const want = langevinGaussianVariance(s2, delta); // 0.625
  const se = want * Math.sqrt(2 / n);
  assert.ok(Math.abs(v - want) < 4 * se, `${v} vs ${want} (se ${se})`);
  assert.ok(Math.abs(v - s2) > 4 * se, "the bias is visible at this step size");
});

Deno.test("langevinStep with noiseScale 0 is gradient ascent on log p", () => {
  const x = langevinStep(gaussScore(1), Float64Array.of(2, -2), 0.2, [5, 5], 0);
  assert.deepEqual(Array.from(x), [1.8, -1.8]);
});

Deno.test("the grid solver's stationary variance matches the Gaussian formula", () => {
  for (const [s2, delta] of [[1, 0.1], [0.5, 1.2], [2, 3]]) {
    const sd = Math.sqrt(langevinGaussianVariance(s2, delta));
    const r = langevinStationary1D((x) => -x / s2, delta, -12 * sd, 12 * sd, 401);
    assert.ok(Math.abs(r.variance - langevinGaussianVariance(s2, delta)) < 1e-9, `${s2} ${delta}`);
    assert.ok(Math.abs(r.mean) < 1e-10);
  }
});

Deno.test("on the three-bump mixture the bias (KL) shrinks with the step size", () => {
  const score = (x: number) => mixtureScore(threeBumps, x)[0];
  const kl = [0.04, 0.01].map((delta) => {
    const r = langevinStationary1D(score, delta, -4, 4.5, 500);
    return klOnGrid(r.grid, r.density, (x) => mixtureLogPdf(threeBumps, x));
  });
  assert.ok(kl[0] > 0.05 && kl[1] < 0.01 && kl[1] > 0, `${kl}`);
});

Deno.test("bad inputs are refused with the value", () => {
  assert.throws(() => langevinGaussianVariance(1, 4), /delta < 4 s2 = 4: current value is 4/);
  assert.throws(() => langevinStep(gaussScore(1), Float64Array.of(0), 0, [0]), /delta/);
  assert.throws(
    () =>
      langevinChain({
        score: gaussScore(1e-3),
        x: Float64Array.of(1),
        dim: 1,
        delta: 1,
        steps: 400,
        rng: createRng(1),
      }),
    /left the finite numbers .* lower the step size/,
  );
  assert.throws(() => langevinStationary1D((x) => -x, 0.1, 1, 0, 10), /hi > lo/);
  assert.throws(
    () =>
      annealedLangevin({
        score: () => [0],
        sigmas: [],
        epsilon: 0.1,
        stepsPerLevel: 1,
        x: Float64Array.of(0),
        dim: 1,
        rng: createRng(1),
      }),
    /at least one noise level/,
  );
});

Deno.test("with noise scaled by c the Gaussian chain's variance is c^2 times the formula's", () => {
  // x' = a x + c sqrt(delta) z: variance c^2 delta / (1 - a^2)
  const r = langevinStationary1D((x) => -x, 0.2, -8, 8, 321, 0.5);
  assert.ok(Math.abs(r.variance - 0.25 * langevinGaussianVariance(1, 0.2)) < 1e-9, `${r.variance}`);
});
