import assert from "node:assert/strict";
import { elboTerms, exactElboGaussian, exactGaussianReverse, linearReverseMean } from "./elbo.ts";
import { elboTermsBatch } from "./elbo_batch.ts";
import { createRng } from "./rng.ts";
import { linearSchedule } from "./schedule.ts";

Deno.test("a batch of one point reproduces elboTerms draw for draw (t = 1 and t = T included)", () => {
  const s = linearSchedule(20);
  const reverse = exactGaussianReverse(s, { mean: 0.3, variance: 0.5 });
  const mu = linearReverseMean(reverse);
  const x0 = Float64Array.of(0.7, -1.2);
  const one = elboTerms(s, x0, mu, createRng(4));
  const batch = elboTermsBatch(s, x0, 2, (xt, t) => mu(xt, t), createRng(4));
  assert.equal(batch.prior, one.prior);
  assert.equal(batch.reconstruction, one.reconstruction);
  assert.deepEqual([...batch.denoising], [...one.denoising]);
  assert.ok(Math.abs(batch.elbo - one.elbo) < 1e-12);
  assert.ok(Math.abs(batch.elboPerPoint[0] - one.elbo) < 1e-12);
});

Deno.test("batch mean of ELBO over Gaussian data matches the closed form within 5 standard errors", () => {
  const s = linearSchedule(30);
  const data = { mean: 0.4, variance: 0.3 };
  const reverse = exactGaussianReverse(s, data);
  const mu = linearReverseMean(reverse);
  const rng = createRng(11);
  const N = 4000;
  const x0 = Float64Array.from(
    { length: N },
    () => data.mean + Math.sqrt(data.variance) * rng.normal(),
  );
  const r = elboTermsBatch(
    s,
    x0,
    1,
    (xt, t) => {
      const out = new Float64Array(xt.length);
      for (let i = 0; i < xt.length; i++) out[i] = mu(xt.subarray(i, i + 1), t)[0];
      return out;
    },
    rng,
    { variance: reverse.variance },
  );
  const exact = exactElboGaussian(s, data, reverse);
  const mean = r.elboPerPoint.reduce((a, b) => a + b, 0) / N;
  const sd = Math.sqrt(r.elboPerPoint.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1));
  assert.ok(Math.abs(mean - r.elbo) < 1e-9, "per-point ELBOs average to the batch ELBO");
  assert.ok(
    Math.abs(r.elbo - exact.elbo) < 5 * sd / Math.sqrt(N),
    `${r.elbo} vs ${exact.elbo} (se ${sd / Math.sqrt(N)})`,
  );
  assert.ok(r.prior > 0 && r.denoising[1] === 0 && r.denoising[0] === 0);
});

Deno.test("a mean of the wrong size is refused with the value", () => {
  assert.throws(
    () => elboTermsBatch(linearSchedule(5), [0, 0], 2, () => [0], createRng(1)),
    /must return 2 numbers: current value is 1/,
  );
});
