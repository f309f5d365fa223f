import assert from "node:assert/strict";
import {
  cosineSchedule,
  linearSchedule,
  sdBoundEntropies,
  sohlDicksteinSchedule,
} from "../../engine/mod.ts";
import { chapter2, swissRollForward } from "./chapter2.ts";
import { formatFixed, formatNumber } from "./format.ts";
import { captionOf, cellsOf } from "./testing.ts";

const spec = (name: string) => chapter2.find((f) => f.name === name)!;

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
