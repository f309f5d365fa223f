import assert from "node:assert/strict";
import { linearSchedule } from "../../engine/mod.ts";
import { tiltedMoments } from "./chapter5.ts";
import { formatFixed, formatNumber } from "./format.ts";
import { figures } from "./mod.ts";
import { captionOf, cellsOf } from "./testing.ts";

const spec = (name: string) => figures[name]; // drawn once per test process
const s = linearSchedule();
/** The closed form of Exercise 1, m = 1: k_t = 2√ᾱ_t m/(1 − ᾱ_t). */
const k = (t: number) => (2 * Math.sqrt(s.alphaBars[t])) / (1 - s.alphaBars[t]);

Deno.test("classifier-slope-numbers: the engine's gradients give the closed-form k_t", () => {
  const rows = cellsOf(spec("classifier-slope-numbers"));
  [1, 2, 5, 10, 25, 50, 75, 100].forEach((t, i) => {
    assert.equal(rows[i][0], String(t));
    assert.equal(rows[i][2], formatNumber(k(t)));
    assert.equal(rows[i][4], formatNumber((Math.sqrt(1 - s.alphaBars[t]) * k(t)) / 2));
    assert.equal(rows[i][5], formatNumber((s.betas[t] * k(t)) / (2 * Math.sqrt(s.alphas[t]))));
  });
});

Deno.test("classifier-slope: k_5 ≈ 79 and the noise-unit push grows as t falls", () => {
  const caption = captionOf(spec("classifier-slope"));
  assert.ok(caption.includes(`k5 = ${formatNumber(k(5))}`), caption);
  assert.equal(formatNumber(k(5)), "79.4");
  assert.ok(Math.sqrt(1 - s.alphaBars[5]) * k(5) > Math.sqrt(1 - s.alphaBars[50]) * k(50));
});

Deno.test("guided-density: γ = 1 is class 1 exactly; γ = 3 is further right and narrower", () => {
  const [g0, g1, g3] = tiltedMoments();
  assert.ok(Math.abs(g0.mean) < 1e-9 && Math.abs(g0.sd ** 2 - 1.5) < 1e-6, "the mixture");
  assert.ok(Math.abs(g1.mean - 1) < 1e-9 && Math.abs(g1.sd ** 2 - 0.5) < 1e-6, "N(1, 0.5)");
  assert.ok(g3.mean > g1.mean && g3.sd < g1.sd);
  const caption = captionOf(spec("guided-density"));
  assert.ok(caption.includes(`γ = 3: mean ${formatFixed(g3.mean, 3)}`), caption);
});
