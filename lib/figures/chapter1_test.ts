import assert from "node:assert/strict";
import {
  cosineSchedule,
  gaussianGap,
  linearSchedule,
  reverseKernel,
  scheduleWithSteps,
  snr,
  threeBumps,
} from "../../engine/mod.ts";
import { formatNumber } from "./format.ts";
import { figures } from "./mod.ts";
import { captionOf, cellsOf } from "./testing.ts";

const spec = (name: string) => figures[name]; // drawn once per test process

Deno.test("schedule-curves: the caption quotes the engine's ᾱ and log SNR of both schedules", () => {
  const caption = captionOf(spec("schedule-curves"));
  for (const s of [linearSchedule(), cosineSchedule()]) {
    assert.ok(caption.includes(`ᾱ50 = ${formatNumber(s.alphaBars[50])}`), caption);
    assert.ok(caption.includes(`ᾱ100 = ${formatNumber(s.alphaBars[100])}`), caption);
    assert.ok(caption.includes(formatNumber(Math.log(snr(s, 1)))), caption);
    assert.ok(caption.includes(formatNumber(Math.log(snr(s, 100)))), caption);
  }
});

Deno.test("reverse-fit: β_t, total variation and KL in the caption are the engine's", () => {
  const caption = captionOf(spec("reverse-fit"));
  for (const [s, t] of [[linearSchedule(), 10], [scheduleWithSteps("linear", 10), 2]] as const) {
    const gap = gaussianGap(reverseKernel(threeBumps, s, t, 1.5));
    assert.ok(caption.includes(`βt = ${formatNumber(s.betas[t])}`), caption);
    assert.ok(caption.includes(`total variation ${formatNumber(gap.totalVariation)}`), caption);
    assert.ok(caption.includes(`KL ${formatNumber(gap.kl)} nats`), caption);
  }
  assert.ok(
    gaussianGap(reverseKernel(threeBumps, scheduleWithSteps("linear", 10), 2, 1.5))
      .totalVariation > 10 * gaussianGap(reverseKernel(threeBumps, linearSchedule(), 10, 1.5))
          .totalVariation,
    "the large step is the visibly non-Gaussian one",
  );
});

Deno.test("schedule-numbers: every cell is the engine's value at t = 1, 2, 10, 50, 100", () => {
  const s = linearSchedule(), f = (x: number) => formatNumber(x, 4);
  assert.deepEqual(
    cellsOf(spec("schedule-numbers")),
    [1, 2, 10, 50, 100].map((t) => [
      String(t),
      f(s.betas[t]),
      f(s.alphas[t]),
      f(s.alphaBars[t]),
      f(s.betaTildes[t]),
      f(snr(s, t)),
    ]),
  );
});
