import assert from "node:assert/strict";
import { JOINT_SAMPLES, jointExpectation } from "./joint_expectation.ts";
import { evaluate } from "./evaluate.ts";
import { parseStatement } from "./parse.ts";
import { exact, type Num } from "./num.ts";
import { type BookContext, notationBinding } from "./notation_binding.ts";
import type { Binding } from "./binding.ts";
import { linearSchedule } from "../../../engine/schedule.ts";
import { createMixture, marginalAt, mixtureLogPdf, optimalEps } from "../../../engine/mixture.ts";

const s = linearSchedule(20);
const data = createMixture({ weights: [0.4, 0.6], means: [-1, 1.5], variances: [0.2, 0.1] });
const ev = {
  binding: notationBinding as Binding,
  ctx: { schedule: s, data } as BookContext,
  grid: () => ({ lo: -10, hi: 10, n: 801 }),
};
const at = (latex: string, point: Record<string, number> = {}): Num =>
  evaluate(
    parseStatement(latex),
    new Map(Object.entries(point).map(([k, v]) => [k, exact(v, 0)])),
    ev,
  );

const LOSS = "\\left\\lVert \\epsilon - \\epsilon_\\theta\\!\\left(\\sqrt{\\bar\\alpha_t}\\,x_0 " +
  "+ \\sqrt{1-\\bar\\alpha_t}\\,\\epsilon,\\ t\\right) \\right\\rVert^2";
/** E over t of E||eps - eps*(x_t)||^2 = 1 - ∫ q(x_t) eps*(x_t)^2 dx_t, by quadrature (the engine). */
function simpleLossByQuadrature(): number {
  let total = 0;
  for (let t = 1; t <= s.T; t++) {
    const m = marginalAt(data, s, t), h = 0.01;
    let second = 0;
    for (let x = -9; x <= 9; x += h) {
      second += Math.exp(mixtureLogPdf(m, [x])) * optimalEps(data, s, t, [x])[0] ** 2 * h;
    }
    total += 1 - second;
  }
  return total / s.T;
}

Deno.test("jointExpectation: the simple loss over t, x_0 and eps matches quadrature; typos do not", () => {
  const written = at(
    "\\mathbb{E}_{t \\sim \\mathcal{U}\\{1,\\dots,T\\},\\ x_0 \\sim q(x_0),\\ \\epsilon \\sim " +
      `\\mathcal{N}(0, I)} ${LOSS}`,
  );
  const want = simpleLossByQuadrature();
  assert.ok(Math.abs(written.v - want) <= written.e, `${written.v} ± ${written.e} vs ${want}`);
  assert.ok(written.e < 0.25 * want, `bound ${written.e} against ${want}`);
  // a flipped sign moves the estimate out of its bound
  const typo = at(`\\mathbb{E}_{t, x_0, \\epsilon} ${LOSS.replace("\\epsilon -", "\\epsilon +")}`);
  assert.ok(Math.abs(typo.v - want) > typo.e, `typo ${typo.v} ± ${typo.e} vs ${want}`);
});

Deno.test("jointExpectation: laws by name and written laws draw the same numbers (common random numbers)", () => {
  const byName = at(`\\mathbb{E}_{t, x_0, \\epsilon} ${LOSS}`);
  const written = at(
    "\\mathbb{E}_{t \\sim \\mathcal{U}\\{1,\\dots,T\\},\\ x_0 \\sim q(x_0),\\ \\epsilon \\sim " +
      `\\mathcal{N}(0, I)} ${LOSS}`,
  );
  assert.equal(byName.v, written.v);
  // two sides over the same variables differ only by what the body differs by
  const a = at("\\mathbb{E}_{x_0, \\epsilon}[x_0 + \\epsilon]");
  const b = at("\\mathbb{E}_{x_0, \\epsilon}[x_0]");
  const c = at("\\mathbb{E}_{x_0, \\epsilon}[\\epsilon]");
  assert.ok(Math.abs(a.v - (b.v + c.v)) < 1e-12, `${a.v} vs ${b.v} + ${c.v}`);
});

Deno.test("jointExpectation: a product of densities and a density of two targets", () => {
  const t = 7, ab = s.alphaBars[t];
  const ex2 = 0.4 * (1 + 0.2) + 0.6 * (1.5 ** 2 + 0.1); // E[x_0^2]
  const product = at("\\mathbb{E}_{q(x_0)\\,q(x_t \\mid x_0)}\\left[x_t^2\\right]", { t });
  const want = ab * ex2 + 1 - ab;
  assert.ok(Math.abs(product.v - want) <= product.e, `${product.v} ± ${product.e} vs ${want}`);
  const pair = at("\\mathbb{E}_{q(x_0, x_t)}\\left[x_0 x_t\\right]", { t });
  assert.ok(Math.abs(pair.v - Math.sqrt(ab) * ex2) <= pair.e, `${pair.v} ± ${pair.e}`);
  // a chain of three: x_{t-1} | x_0, then x_t | x_{t-1}, x_0, then x_{t+1} | x_t, x_0
  const chain = at("\\mathbb{E}_{q(x_{t-1}, x_t, x_{t+1} \\mid x_0)}\\left[x_{t+1}\\right]", {
    t,
    "x@0": 2,
  });
  const mean = Math.sqrt(s.alphaBars[t + 1]) * 2;
  assert.ok(Math.abs(chain.v - mean) <= chain.e && chain.e < 0.2, `${chain.v} ± ${chain.e}`);
});

Deno.test("jointExpectation: a variable without a law, or too few samples, is an error", () => {
  assert.throws(() => at("\\mathbb{E}_{\\gamma, \\epsilon}[\\epsilon]"), /law of gamma/);
  assert.throws(() => at("\\mathbb{E}_{w, \\epsilon}[w]"), /typeset|binding/);
  assert.throws(
    () => jointExpectation([], () => exact(1), new Map(), 1),
    /samples must be an integer ≥ 2/,
  );
  assert.ok(JOINT_SAMPLES >= 256);
});
