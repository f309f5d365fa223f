import assert from "node:assert/strict";
import { createMixture, mixtureSample } from "./mixture.ts";
import { createRng } from "./rng.ts";
import { linearSchedule } from "./schedule.ts";
import {
  eulerMaruyamaForward,
  linearVpSde,
  predictorCorrectorSample,
  probabilityFlowDrift,
  probabilityFlowSolve,
  reverseSdeDrift,
  reverseSdeSample,
  vpAlphaBar,
  vpDrift,
  vpMixtureMarginal,
  vpMixtureScore,
  vpScheduleFromSde,
} from "./sde.ts";

const sde = linearVpSde();

Deno.test("the exact discretisation has alphaBar_t = alphaBar(t/T); the Euler one converges at first order", () => {
  const exact = vpScheduleFromSde(sde, 40, "exact");
  for (let t = 0; t <= 40; t++) {
    assert.ok(Math.abs(exact.alphaBars[t] - vpAlphaBar(sde, t / 40)) < 1e-14);
  }
  const err = (T: number) => {
    const s = vpScheduleFromSde(sde, T, "euler");
    let w = 0;
    for (let t = 1; t <= T; t++) {
      w = Math.max(w, Math.abs(Math.sqrt(s.alphaBars[t]) - Math.sqrt(vpAlphaBar(sde, t / T))));
    }
    return w;
  };
  const ratio = err(200) / err(400);
  assert.ok(ratio > 1.8 && ratio < 2.2, `first order: ratio ${ratio}`);
});

Deno.test("the book's linear schedule is the SDE's Euler discretisation at tau = (t-1)/(T-1)", () => {
  const T = 100, s = linearSchedule(T, 0.1 / T, 20 / T);
  for (let t = 1; t <= T; t++) {
    const tau = (t - 1) / (T - 1);
    assert.ok(Math.abs(s.betas[t] - (0.1 + tau * 19.9) / T) < 1e-15);
  }
});

Deno.test("Euler-Maruyama moves mixture data to the marginal vpMixtureMarginal predicts (mean, second moment)", () => {
  const m = createMixture({ weights: [0.3, 0.7], means: [-2, 1.5], variances: [0.1, 0.3] });
  const n = 20000, rng = createRng(21), x = mixtureSample(m, n, rng).x;
  eulerMaruyamaForward(sde, x, 1, 0.2, 400, rng);
  const q = vpMixtureMarginal(m, sde, 0.2);
  let mean = 0, sq = 0, wantMean = 0, wantSq = 0;
  for (const v of x) {
    mean += v / n;
    sq += (v * v) / n;
  }
  for (let k = 0; k < 2; k++) {
    wantMean += q.weights[k] * q.means[k][0];
    wantSq += q.weights[k] * (q.variances[k] + q.means[k][0] ** 2);
  }
  // Euler-Maruyama's weak error with 400 steps is ~1e-3; the MC standard error ~0.013
  assert.ok(Math.abs(mean - wantMean) < 0.05, `${mean} vs ${wantMean}`);
  assert.ok(Math.abs(sq - wantSq) < 0.08, `${sq} vs ${wantSq}`);
});

Deno.test("drifts: reverse = f - beta s, flow = f - beta s / 2", () => {
  const x = [0.4, -1], s = [2, 0.5], f = vpDrift(sde, 0.3, x);
  const r = reverseSdeDrift(sde, 0.3, x, s), p = probabilityFlowDrift(sde, 0.3, x, s);
  const b = 0.1 + 0.3 * 19.9;
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(r[i] - (f[i] - b * s[i])) < 1e-14);
    assert.ok(Math.abs(p[i] - (f[i] - 0.5 * b * s[i])) < 1e-14);
  }
});

Deno.test("the probability-flow ODE is reversible: forward then back returns the point", () => {
  const m = createMixture({ weights: [1, 1], means: [[-1, 0], [1, 1]], variances: [0.1, 0.2] });
  const score = vpMixtureScore(m, sde), x = Float64Array.of(0.3, 0.4, -1.2, 0.1);
  const y = probabilityFlowSolve({
    sde,
    score,
    x: x.slice(),
    dim: 2,
    steps: 300,
    tauStart: 0.05,
    tauEnd: 1,
  });
  const back = probabilityFlowSolve({
    sde,
    score,
    x: y,
    dim: 2,
    steps: 300,
    tauStart: 1,
    tauEnd: 0.05,
  });
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(back[i] - x[i]) < 1e-6, `${back[i]} vs ${x[i]}`);
});

Deno.test("reverse SDE and predictor-corrector with the exact score recover a 1-D mixture's mean", () => {
  const m = createMixture({ weights: [0.3, 0.7], means: [-2, 1.5], variances: [0.1, 0.3] });
  const want = 0.3 * -2 + 0.7 * 1.5;
  for (const run of [reverseSdeSample, predictorCorrectorSample]) {
    const rng = createRng(31), x = Float64Array.from({ length: 800 }, () => rng.normal());
    run({ sde, score: vpMixtureScore(m, sde), x, dim: 1, steps: 100 }, rng);
    const mean = x.reduce((a, b) => a + b) / x.length;
    // sd of the data 1.6: standard error 0.057 with 800 points; 4 se
    assert.ok(Math.abs(mean - want) < 0.23, `${run.name}: ${mean} vs ${want}`);
  }
});

Deno.test("bad inputs are refused with the value", () => {
  assert.throws(() => linearVpSde(2, 1), /betaMax must be >= betaMin = 2: current value is 1/);
  assert.throws(() => vpAlphaBar(sde, 1.5), /tau must be in \[0, 1\]: current value is 1.5/);
  assert.throws(() => vpScheduleFromSde(sde, 0), /positive integer/);
  assert.throws(
    () =>
      probabilityFlowSolve({
        sde,
        score: () => [0],
        x: Float64Array.of(0, 0, 0),
        dim: 2,
        steps: 1,
      }),
    /flat \[n, dim\]/,
  );
  assert.throws(
    () =>
      reverseSdeSample(
        { sde, score: () => [1e308], x: Float64Array.of(0), dim: 1, steps: 1 },
        createRng(1),
      ),
    /left the finite numbers/,
  );
});
