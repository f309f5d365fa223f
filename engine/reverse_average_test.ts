import assert from "node:assert/strict";
import { createMixture, mixtureLogPdf, reverseKernel } from "./mixture.ts";
import { uniformGrid } from "./quadrature.ts";
import { averagedPosteriorDensity, reverseIdentityResidual } from "./reverse_average.ts";
import { scheduleWithSteps } from "./schedule_steps.ts";

const data = createMixture({
  weights: [0.3, 0.5, 0.2],
  means: [-2, 0.5, 2.5],
  variances: [0.05, 0.2, 0.02],
});

Deno.test("eq:reverse-as-expectation: the x_0-average matches the closed-form kernel", () => {
  let worst = 0, worstRelative = 0;
  for (const name of ["linear", "cosine"] as const) {
    for (const T of [5, 20, 1000]) {
      const s = scheduleWithSteps(name, T);
      for (const t of [2, Math.ceil(T / 3), T]) {
        for (const xt of [-2.2, 0.9, 3]) {
          const k = reverseKernel(data, s, t, xt);
          const sd = Math.sqrt(k.variances.reduce((a, v) => Math.max(a, v), 0));
          const grid = uniformGrid(-4 - 6 * sd, 4 + 6 * sd, 301);
          const r = reverseIdentityResidual(data, s, t, xt, grid);
          worstRelative = Math.max(worstRelative, r.relative);
          // absolute round-off is ~1e-13 unless the kernel is a narrow spike (T = 1000, t = 2)
          if (T < 1000 || t > 2) worst = Math.max(worst, r.absolute);
        }
      }
    }
  }
  assert.ok(worst < 1e-12, `max |difference| ${worst}`);
  assert.ok(worstRelative < 1e-9, `max relative difference ${worstRelative}`);
});

Deno.test("the averaged density is a density: it integrates to 1 and matches at single points", () => {
  const s = scheduleWithSteps("cosine", 10), t = 4, xt = 0.9;
  const k = reverseKernel(data, s, t, xt);
  const grid = uniformGrid(-6, 6, 1201), h = grid[1] - grid[0];
  const density = averagedPosteriorDensity(data, s, t, xt, grid);
  const mass = h * (density.reduce((a, b) => a + b, 0) - 0.5 * (density[0] + density[1200]));
  assert.ok(Math.abs(mass - 1) < 1e-10, `mass ${mass}`);
  const [d] = averagedPosteriorDensity(data, s, t, xt, [0.3]);
  assert.ok(Math.abs(d - Math.exp(mixtureLogPdf(k, 0.3))) < 1e-13);
});

Deno.test("t = 1 and 2-D data are refused with their values", () => {
  const s = scheduleWithSteps("linear", 10);
  assert.throws(() => averagedPosteriorDensity(data, s, 1, 0, [0]), /current value is t = 1/);
  assert.throws(() => averagedPosteriorDensity(data, s, 11, 0, [0]), /current value is 11/);
  const flat = createMixture({ weights: [1], means: [[0, 0]], variances: 1 });
  assert.throws(() => averagedPosteriorDensity(flat, s, 2, 0, [0]), /current value is dim 2/);
});
