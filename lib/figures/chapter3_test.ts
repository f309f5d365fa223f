import assert from "node:assert/strict";
import {
  exactElboGaussian,
  exactGaussianReverse,
  exactLogLikelihoodGaussianChain,
  linearSchedule,
  scheduleFromBetas,
  scheduleWithSteps,
} from "../../engine/mod.ts";
import { DATA, estimatorVariances } from "./chapter3.ts";
import { formatFixed } from "./format.ts";
import { figures } from "./mod.ts";
import { captionOf, cellsOf } from "./testing.ts";

const spec = (name: string) => figures[name]; // drawn once per test process

Deno.test("elbo-gap: log p and the ELBO at scales 1 and 2 are the engine's closed forms", () => {
  const caption = captionOf(spec("elbo-gap")), s = scheduleWithSteps("linear", 10);
  const exact = exactGaussianReverse(s, DATA);
  for (const scale of [1, 2]) {
    const reverse = { ...exact, variance: Float64Array.from(exact.variance, (v) => v * scale) };
    const logP = exactLogLikelihoodGaussianChain(s, DATA, reverse);
    const elbo = exactElboGaussian(s, DATA, reverse).elbo;
    assert.ok(caption.includes(`log p = ${formatFixed(logP, 3)}`), caption);
    assert.ok(caption.includes(`ELBO = ${formatFixed(elbo, 3)}`), caption);
    assert.ok(logP >= elbo - 1e-12);
  }
});

Deno.test("estimator-variance: the path form wins for the true reverse, loses for a poor model", () => {
  const rows = estimatorVariances();
  assert.deepEqual(rows.map((r) => [r.T, r.model]), [
    [100, "true reverse"],
    [100, "variances × 2"],
    [1000, "true reverse"],
    [1000, "variances × 2"],
  ]);
  for (const r of rows) {
    if (r.model === "true reverse") assert.ok(r.path < 0.01 * r.terms, JSON.stringify(r));
    else assert.ok(r.path > 10 * r.terms, JSON.stringify(r));
  }
  assert.ok(rows[3].path > 3 * rows[1].path, "a poor model's path variance grows with T");
});

Deno.test("elbo-terms-t2: every cell is exactElboGaussian / exactLogLikelihoodGaussianChain", () => {
  const s = scheduleFromBetas([0.2, 0.9]), exact = exactGaussianReverse(s, DATA);
  const doubled = { ...exact, variance: Float64Array.from(exact.variance, (v) => 2 * v) };
  const models = [exact, doubled, exactGaussianReverse(s, { mean: 0, variance: 1 })];
  const f = (x: number) => formatFixed(x, 3);
  const rows = cellsOf(spec("elbo-terms-t2"));
  models.forEach((reverse, i) => {
    const e = exactElboGaussian(s, DATA, reverse),
      logP = exactLogLikelihoodGaussianChain(s, DATA, reverse);
    assert.deepEqual(rows[i].slice(1), [
      f(e.prior),
      f(e.denoising[2]),
      f(e.reconstruction),
      f(e.elbo),
      f(logP),
      f(logP - e.elbo),
    ]);
  });
});

Deno.test("denoising-terms: the quoted sums and ELBOs are exactElboGaussian's", () => {
  const caption = captionOf(spec("denoising-terms")), s = linearSchedule();
  const exact = exactGaussianReverse(s, DATA);
  for (const scale of [1, 2]) {
    const reverse = { ...exact, variance: Float64Array.from(exact.variance, (v) => v * scale) };
    const e = exactElboGaussian(s, DATA, reverse);
    const sum = e.denoising.reduce((a, b) => a + b, 0);
    assert.ok(caption.includes(`denoising sum ${formatFixed(sum, 3)}`), caption);
    assert.ok(caption.includes(`ELBO ${formatFixed(e.elbo, 3)}`), caption);
  }
});
