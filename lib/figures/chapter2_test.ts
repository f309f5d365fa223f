import assert from "node:assert/strict";
import {
  conditionMixture,
  cosineSchedule,
  linearSchedule,
  sdBoundEntropies,
  sohlDicksteinSchedule,
} from "../../engine/mod.ts";
import { bookMixture2D } from "../../engine/toy_mixture.ts";
import { inpaintingSamples, swissRollForward } from "./chapter2.ts";
import { formatFixed, formatNumber } from "./format.ts";
import { figures } from "./mod.ts";
import { captionOf, cellsOf } from "./testing.ts";

const spec = (name: string) => figures[name]; // drawn once per test process

Deno.test("markov-chains: the caption's ᾱ_T is the default schedule's", () => {
  const s = linearSchedule();
  assert.ok(captionOf(spec("markov-chains")).includes(`ᾱT = ${formatNumber(s.alphaBars[100])}`));
});

Deno.test("swiss-roll-forward: ᾱ_t per panel from the engine; the cloud keeps its size", () => {
  const caption = captionOf(spec("swiss-roll-forward")), s = linearSchedule();
  for (const r of swissRollForward()) {
    assert.ok(caption.includes(`t = ${r.t}: ᾱt = ${formatNumber(s.alphaBars[r.t])}`), caption);
    assert.ok(caption.includes(`‖xt‖²/d = ${formatNumber(r.meanSquare)}`), caption);
    // standardised data: E‖x_t‖²/d = ᾱ_t + (1 − ᾱ_t) = 1, up to sampling error of 400 points
    assert.ok(Math.abs(r.meanSquare - 1) < 0.15, `t = ${r.t}: ${r.meanSquare}`);
  }
});

Deno.test("entropy-terms: each row is sdBoundEntropies of its schedule", () => {
  const schedules = [linearSchedule(), cosineSchedule(), sohlDicksteinSchedule()];
  const rows = cellsOf(spec("entropy-terms"));
  schedules.forEach((s, i) => {
    const e = sdBoundEntropies(s, 1);
    assert.deepEqual(rows[i].slice(1), [
      formatNumber(s.betas[1]),
      formatNumber(s.alphaBars[s.T]),
      ...[e.hqT, e.hq1, e.hpT, e.total].map((x) => formatFixed(x, 3)),
    ]);
  });
});

Deno.test("inpainting: the exact share comes from conditionMixture; every sample keeps x = 1.3", () => {
  const exact = conditionMixture(bookMixture2D(), { indices: [0], values: [1.3] });
  const upper = exact.means.reduce((a, mu, k) => a + (mu[0] > 0 ? exact.weights[k] : 0), 0);
  const caption = captionOf(spec("inpainting"));
  assert.ok(caption.includes(`with ${formatFixed(upper, 2)} of its mass above 0`), caption);
  const { ys, replacementUpper } = inpaintingSamples();
  assert.ok(caption.includes(`with ${formatFixed(replacementUpper, 2)} above 0`), caption);
  assert.ok(ys.every(Number.isFinite));
  assert.ok(replacementUpper > 0.2 && replacementUpper < 0.9, "both modes are reached");
});
