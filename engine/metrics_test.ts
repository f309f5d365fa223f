import { mmd2, slicedWasserstein1 } from "./metrics.ts";
import { eightGaussians, twoMoons } from "./datasets.ts";
import { createRng } from "./rng.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function gaussian(n: number, seed: number, std = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: 2 * n }, () => std * rng.normal());
}

Deno.test("mmd2 by hand on three points", () => {
  // a = {0, 0.1 e1}, b = {0.2 e1}; h = 0.1, so k = exp(-d^2 / 0.02).
  const a = [0, 0, 0.1, 0], b = [0.2, 0, 0.2, 0.1];
  const k = (d2: number) => Math.exp(-d2 / 0.02);
  const kaa = k(0.01); // one pair each way, divided by m(m-1) = 2 -> k(0.01)
  const kbb = k(0.01);
  const kab = (k(0.04) + k(0.04 + 0.01) + k(0.01) + k(0.01 + 0.01)) / 4;
  const expected = kaa + kbb - 2 * kab;
  assert(Math.abs(mmd2(a, b) - expected) < 1e-14, `${mmd2(a, b)} vs ${expected}`);
});

Deno.test("mmd2 is symmetric and leaves the diagonal out", () => {
  const a = gaussian(50, 1), b = gaussian(70, 2, 1.5);
  assert(Math.abs(mmd2(a, b) - mmd2(b, a)) < 1e-14, "symmetric");
  // A set against itself: the within-set means skip i = j, the cross mean keeps it (k = 1), so
  // MMD_u = 2 Kaa - 2 (m (m - 1) Kaa + m) / m^2 = 2 (Kaa - 1) / m, with Kaa the off-diagonal mean.
  const m = 50;
  let kaa = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i === j) continue;
      const d2 = (a[2 * i] - a[2 * j]) ** 2 + (a[2 * i + 1] - a[2 * j + 1]) ** 2;
      kaa += Math.exp(-d2 / (2 * 0.1 ** 2));
    }
  }
  kaa /= m * (m - 1);
  const expected = (2 * (kaa - 1)) / m;
  assert(Math.abs(mmd2(a, a) - expected) < 1e-14, `${mmd2(a, a)} vs ${expected}`);
});

Deno.test("mmd2 data vs data ~ 0, vs N(0, I) in [0.015, 0.06] (docs/quality.md bands)", () => {
  const n = 2000;
  const data = twoMoons(n, createRng(10));
  const fresh = twoMoons(n, createRng(11));
  const same = mmd2(data, fresh);
  assert(Math.abs(same) < 5e-4, `data vs data ${same}`);
  const noise = mmd2(data, gaussian(n, 12));
  assert(noise > 0.015 && noise < 0.06, `data vs N(0, I) ${noise}`);
  const ring = mmd2(eightGaussians(n, createRng(13)), gaussian(n, 14));
  assert(ring > 0.015 && ring < 0.06, `ring vs N(0, I) ${ring}`);
});

Deno.test("mmd2 is unbiased: mean over same-distribution pairs ~ 0 within standard errors", () => {
  const repeats = 40, n = 200;
  const values: number[] = [];
  for (let r = 0; r < repeats; r++) {
    values.push(mmd2(gaussian(n, 100 + 2 * r, 0.3), gaussian(n, 101 + 2 * r, 0.3)));
  }
  const mean = values.reduce((s, v) => s + v, 0) / repeats;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (repeats - 1));
  const se = sd / Math.sqrt(repeats);
  assert(Math.abs(mean) < 4 * se, `mean ${mean}, se ${se}`);
  // A biased (V-statistic) estimator would sit near 2 (1 - E k) / n > 0; check we are below it.
  assert(mean < 0.5 * (2 / n) * 0.5, `mean ${mean} looks biased`);
});

Deno.test("slicedWasserstein1: zero for identical samples, |shift| * 2/pi for a shift", () => {
  const a = gaussian(500, 3);
  assert(slicedWasserstein1(a, a) === 0, "identical samples");
  const shift = 0.7;
  const b = a.map((v, i) => (i % 2 === 1 ? v + shift : v));
  // Every projection moves by shift * sin(angle); the mean over 4096 directions of |sin| ~ 2/pi.
  const w = slicedWasserstein1(a, b, 4096, 5);
  assert(Math.abs(w - (shift * 2) / Math.PI) < 0.01, `w = ${w}`);
  assert(Math.abs(slicedWasserstein1(a, b) - slicedWasserstein1(b, a)) < 1e-12, "symmetric");
});

Deno.test("slicedWasserstein1 handles unequal sizes (W1 of point masses)", () => {
  // a: one point at 0 (as two copies), b: three copies at (1, 0): every projection is a shift.
  const w = slicedWasserstein1([0, 0, 0, 0], [1, 0, 1, 0, 1, 0], 4096, 2);
  assert(Math.abs(w - 2 / Math.PI) < 0.02, `w = ${w}`);
});
