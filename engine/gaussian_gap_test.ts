import assert from "node:assert/strict";
import { gaussianGap } from "./gaussian_gap.ts";
import { gaussianLogPdf } from "./gaussian.ts";
import { createMixture, mixtureLogPdf, mixtureSample } from "./mixture.ts";
import { createRng } from "./rng.ts";

Deno.test("a single Gaussian has no gap, at variances from 1e-4 to 10", () => {
  for (const v of [1e-4, 0.3, 10]) {
    const g = gaussianGap(createMixture({ weights: [1], means: [1.5], variances: [v] }));
    assert.ok(g.totalVariation < 1e-12 && Math.abs(g.kl) < 1e-12, `v = ${v}: ${JSON.stringify(g)}`);
    assert.equal(g.mean, 1.5);
  }
});

Deno.test("two far-apart narrow bumps: KL has a closed form, TV is close to 1", () => {
  // p = (N(-a, s^2) + N(a, s^2)) / 2 with a >> s; the fit is N(0, a^2 + s^2).
  // KL = -H(p) + E_p[-log g] = -(log 2 + log(2 pi e s^2) / 2) + log(2 pi (a^2 + s^2)) / 2 + 1/2
  const a = 5, s2 = 0.01;
  const g = gaussianGap(createMixture({ weights: [1, 1], means: [-a, a], variances: s2 }));
  const expected = 0.5 * Math.log((a * a + s2) / s2) - Math.log(2);
  assert.ok(Math.abs(g.kl - expected) < 1e-10, `${g.kl} vs ${expected}`);
  assert.ok(g.totalVariation > 0.9 && g.totalVariation < 1, `${g.totalVariation}`);
  assert.ok(Math.abs(g.variance - (a * a + s2)) < 1e-12);
});

Deno.test("TV and KL agree with Monte Carlo estimates under p (independent route)", () => {
  const m = createMixture({
    weights: [0.3, 0.5, 0.2],
    means: [-2, 0.5, 2.5],
    variances: [0.05, 0.2, 0.02],
  });
  const gap = gaussianGap(m);
  const n = 200_000, rng = createRng(7);
  const { x } = mixtureSample(m, n, rng);
  // TV = E_p[max(0, 1 - g/p)], KL = E_p[log p - log g]
  let tv = 0, tv2 = 0, kl = 0, kl2 = 0;
  for (let i = 0; i < n; i++) {
    const logP = mixtureLogPdf(m, x[i]), logG = gaussianLogPdf(x[i], gap.mean, gap.variance);
    const a = Math.max(0, 1 - Math.exp(logG - logP)), b = logP - logG;
    tv += a;
    tv2 += a * a;
    kl += b;
    kl2 += b * b;
  }
  const se = (s: number, s2: number) => Math.sqrt((s2 / n - (s / n) ** 2) / n);
  assert.ok(
    Math.abs(gap.totalVariation - tv / n) < 4 * se(tv, tv2),
    `TV ${gap.totalVariation} vs ${tv / n}`,
  );
  assert.ok(Math.abs(gap.kl - kl / n) < 4 * se(kl, kl2), `KL ${gap.kl} vs ${kl / n}`);
  // Pinsker: TV <= sqrt(KL / 2)
  assert.ok(gap.totalVariation <= Math.sqrt(gap.kl / 2));
});

Deno.test("the gap is unchanged by shifting and scaling the mixture", () => {
  const base = createMixture({ weights: [1, 2], means: [-1, 1], variances: [0.2, 0.4] });
  const moved = createMixture({
    weights: [1, 2],
    means: [3 - 0.01, 3 + 0.01],
    variances: [0.2e-4, 0.4e-4],
  });
  const a = gaussianGap(base), b = gaussianGap(moved);
  assert.ok(Math.abs(a.kl - b.kl) < 1e-10, `${a.kl} vs ${b.kl}`);
  assert.ok(Math.abs(a.totalVariation - b.totalVariation) < 1e-6);
});

Deno.test("a mixture of dimension 2 is refused with its dimension", () => {
  const m = createMixture({ weights: [1], means: [[0, 0]], variances: 1 });
  assert.throws(() => gaussianGap(m), /current value is dim 2/);
});
