import assert from "node:assert/strict";
import {
  continuousDiffusionLoss,
  denoisingError1D,
  logLinearSnrSchedule,
  mixtureDenoiserAtSnr,
  snrDiffusionLoss,
  vpSnrEndpoints,
  vpSnrSchedule,
} from "./continuous_elbo.ts";
import { createMixture, tweedieMean } from "./mixture.ts";
import { linearVpSde } from "./sde.ts";
import { scheduleFromBetas } from "./schedule.ts";

const data = createMixture({
  weights: [0.3, 0.5, 0.2],
  means: [-2, 0.5, 2.5],
  variances: [0.05, 0.2, 0.02],
});

Deno.test("vpSnrSchedule's derivative matches central differences", () => {
  const s = vpSnrSchedule(linearVpSde()), h = 1e-6;
  for (const tau of [0.05, 0.3, 0.9]) {
    const fd = (s.snr(tau + h) - s.snr(tau - h)) / (2 * h);
    assert.ok(Math.abs(fd - s.dSnr(tau)) < 1e-5 * Math.abs(fd), `${fd} vs ${s.dSnr(tau)}`);
  }
});

Deno.test("mixtureDenoiserAtSnr is Tweedie's mean of the discrete chain at the same SNR", () => {
  const sch = scheduleFromBetas([0.3, 0.4]), t = 2, a = sch.alphaBars[t];
  const z = 0.7;
  assert.ok(
    Math.abs(mixtureDenoiserAtSnr(data, a / (1 - a), [z])[0] - tweedieMean(data, sch, t, z)[0]) <
      1e-12,
  );
});

Deno.test("the diffusion loss is the same for two schedules with the same SNR endpoints", () => {
  const sde = linearVpSde(), tauMin = 0.02, [lo, hi] = vpSnrEndpoints(sde, tauMin);
  const x0 = 0.4,
    err = (v: number) =>
      denoisingError1D(x0, v, (z, snr) => mixtureDenoiserAtSnr(data, snr, [z])[0], 101);
  const vp = continuousDiffusionLoss(vpSnrSchedule(sde), err, tauMin, 1001);
  const ll = continuousDiffusionLoss(logLinearSnrSchedule(hi, lo), err, 0, 801);
  const direct = snrDiffusionLoss(err, lo, hi, 801);
  assert.ok(Math.abs(vp - direct) < 2e-3 * direct, `${vp} vs ${direct}`);
  assert.ok(Math.abs(ll - direct) < 1e-6 * direct, `${ll} vs ${direct}`);
});

Deno.test("bad inputs are refused with the value", () => {
  assert.throws(
    () => logLinearSnrSchedule(1, 2),
    /snrMax must exceed snrMin = 2: current value is 1/,
  );
  assert.throws(() => mixtureDenoiserAtSnr(data, 0, [0]), /snr/);
});
