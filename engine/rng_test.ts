import assert from "node:assert/strict";
import { createRng } from "./rng.ts";

/** Mean and standard error of f over n draws. */
function moment(n: number, draw: () => number): { mean: number; se: number } {
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = draw();
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  return { mean, se: Math.sqrt((s2 / n - mean * mean) / (n - 1)) };
}

Deno.test("createRng matches a Python re-implementation of SplitMix32 + xoshiro128** (seed 42, 0)", () => {
  // Reference values from an independent Python port of the same algorithm (exact, 53-bit floats).
  const a = createRng(42), b = createRng(0);
  assert.deepEqual([a.uniform(), a.uniform(), a.uniform()], [
    0.6606157208001621,
    0.1117019639532224,
    0.0791056456144914,
  ]);
  assert.deepEqual([b.uniform(), b.uniform(), b.uniform()], [
    0.8868539502021594,
    0.012474988946590604,
    0.032522145755498943,
  ]);
});

Deno.test("createRng is reproducible and different seeds give different streams", () => {
  const a = createRng(123), b = createRng(123), c = createRng(124);
  const xs = Array.from({ length: 50 }, () => a.normal());
  const ys = Array.from({ length: 50 }, () => b.normal());
  const zs = Array.from({ length: 50 }, () => c.normal());
  assert.deepEqual(xs, ys);
  assert.ok(xs.some((x, i) => x !== zs[i]), "seeds 123 and 124 must differ");
  assert.equal(a.seed, 123);
});

Deno.test("uniform: in [0, 1), mean 1/2 and E[u^2] = 1/3 within 4 standard errors", () => {
  const rng = createRng(7), n = 200_000;
  let min = 1, max = 0;
  const m1 = moment(n, () => {
    const u = rng.uniform();
    min = Math.min(min, u);
    max = Math.max(max, u);
    return u;
  });
  assert.ok(min >= 0 && max < 1);
  // tolerance: 4 standard errors of the sample mean, computed from the sample
  assert.ok(Math.abs(m1.mean - 0.5) < 4 * m1.se, `mean ${m1.mean}`);
  const m2 = moment(n, () => rng.uniform() ** 2);
  assert.ok(Math.abs(m2.mean - 1 / 3) < 4 * m2.se, `E u^2 ${m2.mean}`);
});

Deno.test("normal: mean 0, E z^2 = 1, E z^4 = 3, P(|z| < 1) = 0.6827 within 4 standard errors", () => {
  const rng = createRng(11), n = 200_000;
  const m1 = moment(n, () => rng.normal());
  assert.ok(Math.abs(m1.mean) < 4 * m1.se, `mean ${m1.mean}`);
  const m2 = moment(n, () => rng.normal() ** 2);
  assert.ok(Math.abs(m2.mean - 1) < 4 * m2.se, `E z^2 ${m2.mean}`);
  const m4 = moment(n, () => rng.normal() ** 4);
  assert.ok(Math.abs(m4.mean - 3) < 4 * m4.se, `E z^4 ${m4.mean}`);
  const p = 0.6826894921370859; // erf(1 / sqrt 2)
  const inside = moment(n, () => (Math.abs(rng.normal()) < 1 ? 1 : 0));
  assert.ok(Math.abs(inside.mean - p) < 4 * Math.sqrt(p * (1 - p) / n), `P ${inside.mean}`);
});

Deno.test("int(n): every value in [0, n) with frequency 1/n within 4 standard errors", () => {
  const rng = createRng(3), n = 60_000, k = 6;
  const counts = new Array(k).fill(0);
  for (let i = 0; i < n; i++) counts[rng.int(k)]++;
  const se = Math.sqrt((1 / k) * (1 - 1 / k) / n);
  for (const c of counts) assert.ok(Math.abs(c / n - 1 / k) < 4 * se, `frequency ${c / n}`);
  assert.equal(createRng(1).int(1), 0);
});

Deno.test("bad inputs throw RangeError with the current value", () => {
  assert.throws(() => createRng(NaN), /seed must be finite: current value is NaN/);
  assert.throws(() => createRng(Infinity), RangeError);
  const rng = createRng(0);
  assert.throws(() => rng.int(0), /positive integer: current value is 0/);
  assert.throws(() => rng.int(2.5), RangeError);
  assert.throws(() => rng.int(NaN), RangeError);
});
