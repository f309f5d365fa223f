import assert from "node:assert/strict";
import { pathExpectation } from "./path_expectation.ts";
import { evaluate } from "./evaluate.ts";
import { parseStatement } from "./parse.ts";
import { exact } from "./num.ts";
import { type BookContext, notationBinding } from "./notation_binding.ts";
import type { Binding } from "./binding.ts";
import { linearSchedule } from "../../../engine/schedule.ts";
import { createMixture } from "../../../engine/mixture.ts";

const s = linearSchedule(20);
const ev = {
  binding: notationBinding as Binding,
  ctx: { schedule: s } as BookContext,
  grid: () => ({ lo: -10, hi: 10, n: 801 }),
};

Deno.test("pathExpectation: E[x_T^2 | x_0] within its bound, and the bound is not vacuous", () => {
  const want = s.alphaBars[20] * 1.5 ** 2 + 1 - s.alphaBars[20];
  const r = pathExpectation(s, 1.5, (p) => exact(p[20] ** 2), 4000);
  assert.ok(Math.abs(r.v - want) <= r.e, `${r.v} ± ${r.e} vs ${want}`);
  assert.ok(r.e < 0.15, `bound ${r.e}`);
  // a wrong target (no square root on alphaBar) lies outside the bound
  const wrong = s.alphaBars[20] ** 0.5 * 1.5 ** 2 + 1 - s.alphaBars[20];
  assert.ok(Math.abs(r.v - wrong) > r.e);
});

Deno.test("pathExpectation: too few paths is an error", () => {
  assert.throws(() => pathExpectation(s, 0, () => exact(0), 1), /paths must be ≥ 2/);
});

Deno.test("evaluate: a printed expectation over q(x_{1:T} | x_0) runs Monte Carlo over paths", () => {
  const j = parseStatement("\\mathbb{E}_{q(x_{1:T} \\mid x_0)}\\left[x_T\\right]");
  const r = evaluate(j, new Map([["x@0", exact(2, 0)]]), ev);
  const want = Math.sqrt(s.alphaBars[20]) * 2;
  assert.ok(Math.abs(r.v - want) <= r.e && r.e < 0.5, `${r.v} ± ${r.e} vs ${want}`);
});

Deno.test("pathExpectation: paths from q(x_{0:T}) draw x_0 from the data", () => {
  const data = createMixture({ weights: [1], means: [2], variances: 0.5 });
  // E[x_0] = 2 and E[x_T] = sqrt(alphaBar_T) 2 under q(x_{0:T})
  const r0 = pathExpectation(s, data, (p) => exact(p[0]), 4000);
  const rT = pathExpectation(s, data, (p) => exact(p[20]), 4000);
  assert.ok(Math.abs(r0.v - 2) <= r0.e && r0.e < 0.1, `${r0.v} ± ${r0.e}`);
  const want = Math.sqrt(s.alphaBars[20]) * 2;
  assert.ok(Math.abs(rT.v - want) <= rT.e, `${rT.v} ± ${rT.e} vs ${want}`);
  // the data's variance shows: x_0 is not held at one point
  const v0 = pathExpectation(s, data, (p) => exact((p[0] - 2) ** 2), 4000);
  assert.ok(Math.abs(v0.v - 0.5) <= v0.e, `${v0.v} ± ${v0.e}`);
});
