import assert from "node:assert/strict";
import { linearSchedule, lossWeight, snr } from "../../engine/mod.ts";
import { formatNumber } from "./format.ts";
import { figures } from "./mod.ts";
import { captionOf, cellsOf } from "./testing.ts";

const spec = (name: string) => figures[name]; // drawn once per test process

Deno.test("loss-weights: the quoted noise and clean-point weights are lossWeight's", () => {
  const s = linearSchedule(), caption = captionOf(spec("loss-weights"));
  const eps = (t: number) => lossWeight(s, t, "eps", "betaTilde");
  let tMin = 2;
  for (let t = 2; t <= 100; t++) if (eps(t) < eps(tMin)) tMin = t;
  assert.ok(caption.includes(`starts at ${formatNumber(eps(2))} at t = 2`), caption);
  assert.ok(caption.includes(`falls to ${formatNumber(eps(tMin))} at t = ${tMin}`), caption);
  assert.ok(caption.includes(`rises again to ${formatNumber(eps(100))} at t = 100`), caption);
  assert.ok(caption.includes(`falls from ${formatNumber(lossWeight(s, 2, "x0", "betaTilde"))}`));
});

Deno.test("loss-weight-numbers: every cell is the engine's value", () => {
  const s = linearSchedule(), f = formatNumber;
  assert.deepEqual(
    cellsOf(spec("loss-weight-numbers")),
    [2, 3, 10, 50, 99, 100].map((t) => [
      String(t),
      f(snr(s, t)),
      f(lossWeight(s, t, "eps", "betaTilde")),
      f(lossWeight(s, t, "x0", "betaTilde")),
      f(lossWeight(s, t, "score", "betaTilde")),
      f(lossWeight(s, t, "eps", "beta")),
      f(Math.sqrt((1 - s.alphaBars[t]) / s.alphaBars[t])),
    ]),
  );
});

Deno.test("vae-hvae-vdm: the caption's ᾱ_T is the default schedule's", () => {
  assert.ok(
    captionOf(spec("vae-hvae-vdm")).includes(formatNumber(linearSchedule().alphaBars[100])),
  );
});
