import assert from "node:assert/strict";
import { fitGaussian, gaussianKl } from "./gaussian_kl.ts";
import { exact } from "./num.ts";
import { evaluate } from "./evaluate.ts";
import { parseStatement } from "./parse.ts";
import { type BookContext, notationBinding } from "./notation_binding.ts";
import type { Binding } from "./binding.ts";
import { linearSchedule } from "../../../engine/schedule.ts";
import { klDiagGaussians } from "../../../engine/gaussian.ts";

const gauss = (m: number, v: number) => (x: number) =>
  exact(Math.exp(-((x - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v));

Deno.test("fitGaussian: reads mean and variance of a narrow or wide Gaussian from anywhere", () => {
  for (const [m, v, start] of [[0.3, 1e-4, 0.2], [-4, 9, 3], [2, 1, 2]]) {
    const g = fitGaussian(gauss(m, v), start)!;
    assert.ok(Math.abs(g.mean.v - m) <= g.mean.e, `${g.mean.v} ± ${g.mean.e} vs ${m}`);
    assert.ok(Math.abs(g.variance.v - v) <= g.variance.e, `${g.variance.v} ± ${g.variance.e}`);
    assert.ok(g.variance.e < 1e-9 * v);
  }
});

Deno.test("fitGaussian: a two-component mixture is not a Gaussian (left to quadrature)", () => {
  const mix = (x: number) => exact(0.5 * gauss(-1, 0.2)(x).v + 0.5 * gauss(1.5, 0.3)(x).v);
  assert.equal(fitGaussian(mix, 0), undefined);
});

Deno.test("gaussianKl: the engine's closed form, and its error bound covers a perturbed input", () => {
  const a = { mean: exact(0.5), variance: exact(2) }, b = { mean: exact(-1), variance: exact(3) };
  const k = gaussianKl(a, b);
  assert.equal(k.v, klDiagGaussians(0.5, 2, -1, 3));
  assert.ok(k.e > 0 && k.e < 1e-12, String(k.e));
  // moving every input by its own error bound moves the KL by less than the KL's bound
  const moved = klDiagGaussians(0.5 + a.mean.e, 2 - a.variance.e, -1 - b.mean.e, 3 + b.variance.e);
  assert.ok(Math.abs(moved - k.v) <= k.e, `${moved - k.v} vs ${k.e}`);
});

Deno.test("evaluate: a printed KL of two Gaussians takes the closed form, matching quadrature", () => {
  const ctx: BookContext = { schedule: linearSchedule(10) };
  const ev = {
    binding: notationBinding as Binding,
    ctx,
    grid: () => ({ lo: -12, hi: 12, n: 4001 }),
  };
  const j = parseStatement(
    "\\mathrm{KL}\\big(\\mathcal{N}(x_0; 0.5, 2) \\,\\|\\, \\mathcal{N}(x_0; -1, 3)\\big)",
  );
  const k = evaluate(j, new Map(), ev);
  const want = klDiagGaussians(0.5, 2, -1, 3);
  assert.ok(Math.abs(k.v - want) <= k.e, `${k.v} ± ${k.e} vs ${want}`);
  assert.ok(k.e < 1e-10, `closed form, not quadrature: error ${k.e}`);
});
