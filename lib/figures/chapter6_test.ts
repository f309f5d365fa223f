import assert from "node:assert/strict";
import { langevinGaussianVariance, mixtureVariance, threeBumps } from "../../engine/mod.ts";
import { chapter6, flowConvergence, langevinBias, samplerComparison } from "./chapter6.ts";
import { formatFixed, formatNumber } from "./format.ts";
import { captionOf, cellsOf } from "./testing.ts";

const spec = (name: string) => chapter6.find((f) => f.name === name)!;

Deno.test("langevin-bias-numbers: the bias grows with delta; the narrow-bump column is eq:langevin-gaussian-bias", () => {
  const rows = cellsOf(spec("langevin-bias-numbers")), bias = langevinBias();
  for (let i = 1; i < bias.length; i++) {
    assert.ok(bias[i].kl > bias[i - 1].kl, "KL grows with delta");
  }
  bias.forEach((r, i) => {
    assert.equal(rows[i][0], String(r.delta));
    assert.equal(rows[i][1], formatNumber(r.kl));
    assert.equal(rows[i][4], formatFixed(langevinGaussianVariance(0.02, r.delta) / 0.02, 3));
  });
  assert.ok(
    bias[0].kl < 1e-3 && Math.abs(bias[0].variance - mixtureVariance(threeBumps)[0]) < 0.05,
  );
});

Deno.test("langevin-bias: the caption quotes the engine's KL at both step sizes", () => {
  const caption = captionOf(spec("langevin-bias"));
  const [, , small, , large] = langevinBias();
  assert.ok(caption.includes(`KL to the target is ${formatNumber(small.kl)} nats`), caption);
  assert.ok(caption.includes(`it is ${formatNumber(large.kl)}`), caption);
});

Deno.test("flow-convergence: DDIM converges at first order, the RK4 likelihood at about fourth", () => {
  const rows = flowConvergence();
  const ddimOrder = Math.log2(rows[3].ddimError / rows[4].ddimError);
  const likOrder = Math.log2(rows[1].likelihoodError / rows[2].likelihoodError);
  assert.ok(ddimOrder > 0.8 && ddimOrder < 1.2, `DDIM order ${ddimOrder}`);
  assert.ok(likOrder > 3, `RK4 order ${likOrder}`);
  assert.ok(captionOf(spec("flow-convergence")).includes(formatNumber(rows[4].ddimError)));
});

Deno.test("sampler-comparison: with the exact score every sampler lands near the data; rows match the engine", () => {
  const rows = samplerComparison(), cells = cellsOf(spec("sampler-comparison"));
  rows.forEach((r, i) => assert.equal(cells[i][2], formatNumber(r.mmd)));
  const floor = Math.abs(rows[4].mmd);
  for (const r of rows) assert.ok(r.mmd < 0.02, `${r.name}: ${r.mmd}`);
  assert.ok(rows[3].mmd < 5 * floor + 2e-3, `20 RK4 steps reach the noise floor: ${rows[3].mmd}`);
});
