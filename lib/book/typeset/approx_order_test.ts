import assert from "node:assert/strict";
import {
  compareDensities,
  gridFor,
  type LogValue,
  observedOrder,
  parseApproxClaim,
} from "./approx_order.ts";

const logN = (m: number, v: number) => (x: number): LogValue => ({
  log: -((x - m) ** 2) / (2 * v) - 0.5 * Math.log(2 * Math.PI * v),
  err: 0,
});

Deno.test("parseApproxClaim: reads each measure once, refuses anything else", () => {
  const c = parseApproxClaim(" \\Sigma ", "mean 2, variance 2, kl 2, logpdf 1");
  assert.ok(!(c instanceof Error));
  assert.deepEqual(c, { small: "\\Sigma", orders: { mean: 2, variance: 2, kl: 2, logpdf: 1 } });
  for (const bad of ["mean 2, mean 3", "entropy 1", "mean", ""]) {
    assert.ok(parseApproxClaim("s", bad) instanceof Error, bad);
  }
  assert.ok(parseApproxClaim(" ", "mean 2") instanceof Error);
});

Deno.test("compareDensities: the closed forms of two Gaussians", () => {
  const [m1, v1, m2, v2] = [0.3, 0.5, -0.2, 0.8];
  const c = compareDensities(logN(m1, v1), logN(m2, v2), { lo: -9, hi: 9, n: 721 });
  const kl = 0.5 * (v1 / v2 + (m1 - m2) ** 2 / v2 - 1 + Math.log(v2 / v1));
  assert.ok(Math.abs(c.error.mean - 0.5) < 1e-12);
  assert.ok(Math.abs(c.error.variance - 0.3) < 1e-12);
  assert.ok(Math.abs(c.error.kl - kl) < 1e-12);
  // log a − log b is a quadratic in x: its mean square under a, by Gaussian moments
  const la = logN(m1, v1), lb = logN(m2, v2);
  const g = (x: number) => la(x).log - lb(x).log;
  const [c0, c1, c2] = [
    g(m1),
    (g(m1 + 1) - g(m1 - 1)) / 2,
    (g(m1 + 1) + g(m1 - 1) - 2 * g(m1)) / 2,
  ];
  const ms = (c0 + c2 * v1) ** 2 + c1 * c1 * v1 + 2 * c2 * c2 * v1 * v1;
  assert.ok(Math.abs(c.error.logpdf - Math.sqrt(ms)) < 1e-9);
  for (const b of Object.values(c.bound)) assert.ok(b < 1e-11);
});

Deno.test("compareDensities: the densities' own errors widen the bounds", () => {
  const noisy = (x: number) => ({ ...logN(0, 1)(x), err: 1e-4 });
  const c = compareDensities(noisy, logN(0, 1), { lo: -12, hi: 12, n: 97 });
  assert.ok(c.error.mean < 1e-12 && c.bound.mean > 1e-5, JSON.stringify(c.bound));
  assert.throws(() => compareDensities(noisy, noisy, { lo: 0, hi: 1, n: 4 }), /odd n >= 5/);
});

Deno.test("gridFor: resolves the narrower side, refuses what it cannot", () => {
  const g = gridFor({ a: { mean: 0, sd: 1 }, b: { mean: 0, sd: 0.01 } });
  assert.ok(!(g instanceof Error) && (g.hi - g.lo) / (g.n - 1) <= 0.0025);
  assert.ok(gridFor({ a: { mean: 0, sd: 1 }, b: { mean: 0, sd: 1e-9 } }) instanceof Error);
});

Deno.test("observedOrder: second order passes, a lower-order slip fails", () => {
  const scales = [0.04, 0.02, 0.01, 0.005];
  const none = [0, 0, 0, 0];
  // the perturbed step's mean error for a Gaussian r of variance R: s² g / (s + R)
  const R = 0.3, mean = scales.map((s) => (s * s * 1.4) / (R * (s + R)));
  const v = observedOrder(mean, none, 2);
  assert.ok(v.ok && Math.abs(v.observed - 2) < v.tolerance, JSON.stringify(v));
  assert.equal(observedOrder(mean, none, 1).ok, false);
  // a dropped factor: an O(s) error on top
  assert.equal(observedOrder(mean.map((e, k) => e + 0.05 * scales[k]), none, 2).ok, false);
  // every error at round-off: exact; some: no power of s
  assert.equal(
    observedOrder([1e-16, 1e-16, 1e-16, 1e-16], [1e-15, 1e-15, 1e-15, 1e-15], 2).exact,
    true,
  );
  assert.equal(observedOrder([1e-3, 1e-4, 1e-16, 1e-5], [1e-15, 1e-15, 1e-15, 1e-15], 2).ok, false);
  assert.throws(() => observedOrder([1, 2, 3], [0, 0, 0], 2), /s, s\/2, s\/4, s\/8/);
});
