import assert from "node:assert/strict";
import { createMixture, mixtureScore } from "./mixture.ts";
import { createRng } from "./rng.ts";
import { linearSchedule } from "./schedule.ts";
import {
  conditionalScore,
  denoisingPosteriorVariance,
  dsmEpsWeight,
  scoreMatchingGap,
  scoreMatchingLosses,
  smoothMixture,
} from "./score_matching.ts";
import { scoreFromEps } from "./parameterisation.ts";

const data = createMixture({
  weights: [0.3, 0.5, 0.2],
  means: [-2, 0.5, 2.5],
  variances: [0.05, 0.2, 0.02],
});

Deno.test("the DSM - ESM gap estimated by Monte Carlo matches the quadrature constant, for any score model", () => {
  const sigma2 = 0.3, c = scoreMatchingGap(data, sigma2);
  for (
    const model of [
      (x: Float64Array) => x.map((v) => -v),
      (x: Float64Array) => mixtureScore(smoothMixture(data, sigma2), x),
    ]
  ) {
    const r = scoreMatchingLosses(data, sigma2, model, 20000, createRng(41));
    assert.ok(
      Math.abs(r.gap.mean - c) < 4 * r.gap.stdErr,
      `${r.gap.mean} vs ${c} (se ${r.gap.stdErr})`,
    );
  }
});

Deno.test("the gap is also dim / sigma2 minus the Fisher information of q_sigma (Monte Carlo)", () => {
  const sigma2 = 0.3, c = scoreMatchingGap(data, sigma2);
  const exact = (x: Float64Array) => mixtureScore(smoothMixture(data, sigma2), x);
  const r = scoreMatchingLosses(data, sigma2, () => [0], 20000, createRng(42));
  // with s = 0: ESM = E||grad log q_sigma||^2, DSM = E||z||^2 / sigma2 = 1 / sigma2
  assert.ok(Math.abs(r.denoising.mean - 1 / sigma2) < 4 * r.denoising.stdErr);
  assert.ok(Math.abs(1 / sigma2 - r.explicit.mean - c) < 4 * r.explicit.stdErr + 1e-12);
  void exact;
});

Deno.test("posterior variance of x given x~ for one Gaussian: v sigma2 / (v + sigma2)", () => {
  const m = createMixture({ weights: [1], means: [[1, -1]], variances: 0.5 });
  assert.ok(
    Math.abs(denoisingPosteriorVariance(m, 0.25, [3, 3]) - 2 * (0.5 * 0.25) / 0.75) < 1e-15,
  );
});

Deno.test("with x~ = x_t, DSM is eps-prediction weighted by 1 / (1 - alphaBar_t)", () => {
  const s = linearSchedule(100), rng = createRng(43);
  for (const t of [1, 50, 100]) {
    const x0 = [rng.normal(), rng.normal()], eps = [rng.normal(), rng.normal()];
    const epsHat = [rng.normal(), rng.normal()];
    const a = s.alphaBars[t];
    const xt = x0.map((v, i) => Math.sqrt(a) * v + Math.sqrt(1 - a) * eps[i]);
    const sTheta = scoreFromEps(s, xt, epsHat, t), target = conditionalScore(s, t, xt, x0);
    const lhs = (sTheta[0] - target[0]) ** 2 + (sTheta[1] - target[1]) ** 2;
    const rhs = dsmEpsWeight(s, t) * ((epsHat[0] - eps[0]) ** 2 + (epsHat[1] - eps[1]) ** 2);
    assert.ok(Math.abs(lhs - rhs) < 1e-10 * Math.max(1, rhs), `t = ${t}: ${lhs} vs ${rhs}`);
  }
});

Deno.test("bad inputs are refused with the value", () => {
  assert.throws(() => smoothMixture(data, 0), /sigma2/);
  assert.throws(
    () => scoreMatchingGap(createMixture({ weights: [1], means: [[0, 0]], variances: 1 }), 1),
    /1-D: current value is dim 2/,
  );
  assert.throws(
    () => scoreMatchingLosses(data, 1, () => [0], 1, createRng(1)),
    /n must be an integer >= 2/,
  );
});
