import assert from "node:assert/strict";
import { evaluate } from "./evaluate.ts";
import { parseStatement, TypesetError } from "./parse.ts";
import { exact } from "./num.ts";
import { checkDisplay, typesetMessage } from "./check_display.ts";
import { displayEquations } from "./displays.ts";
import { type BookContext, notationBinding } from "./notation_binding.ts";
import { linearSchedule } from "../../../engine/schedule.ts";
import type { Binding } from "./binding.ts";

const ctx: BookContext = { schedule: linearSchedule(10) };
const ev = { binding: notationBinding as Binding, ctx, grid: () => ({ lo: -10, hi: 10, n: 801 }) };
const at = (values: Record<string, number>) =>
  new Map(Object.entries(values).map(([k, v]) => [k, exact(v, 0)]));

Deno.test("evaluate: schedule symbols, products with limits, sqrt, fractions", () => {
  const s = ctx.schedule;
  const v = evaluate(parseStatement("\\prod_{s=1}^{t} \\alpha_s"), at({ t: 4 }), ev);
  assert.ok(Math.abs(v.v - s.alphaBars[4]) <= v.e + 1e-16);
  const w = evaluate(parseStatement("\\sqrt{1-\\bar\\alpha_{t-1}}\\,\\frac12"), at({ t: 3 }), ev);
  assert.equal(w.v, Math.sqrt(1 - s.alphaBars[2]) / 2);
});

Deno.test("evaluate: an integral of a Gaussian density by quadrature is 1 within its error", () => {
  const v = evaluate(parseStatement("\\int \\mathcal{N}(x_0; 0.5, 2)\\, dx_0"), at({}), ev);
  assert.ok(Math.abs(v.v - 1) <= v.e + 1e-12, `${v.v} ± ${v.e}`);
});

Deno.test("evaluate: an unbound symbol is an error naming it, never a zero", () => {
  assert.throws(
    () => evaluate(parseStatement("\\zeta_t + 1"), at({ t: 2 }), ev),
    (e: unknown) =>
      e instanceof TypesetError && /zeta_\{t\}/i.test(e.message) && e.rule === "typeset-unbound",
  );
});

Deno.test("checkDisplay: a planted typo fails with file:line, label, step, point and rule", () => {
  const md =
    "$$ {#eq:posterior-variance}\n\\tilde\\beta_t = \\frac{1-\\bar\\alpha_{t}}{1-\\bar\\alpha_t}\\,\\beta_t ,\n$$\n";
  const [d] = displayEquations(md, "chapters/01-x.md");
  const spec = {
    binding: notationBinding as Binding,
    cases: [{ name: "linear, T = 10", ctx, grid: ev.grid, points: () => [at({ t: 5 })] }],
  };
  const r = checkDisplay(d, spec);
  assert.equal(r.status, "failed");
  const m = typesetMessage(r);
  assert.match(
    m,
    /^chapters\/01-x\.md:1 \(eq:posterior-variance\): the printed equation disagrees at statement 1, side 1 vs side 2/,
  );
  assert.match(m, /t=5 \(linear, T = 10\)/);
  assert.match(m, /\[typeset-mismatch\]$/);
  const good = checkDisplay({
    ...d,
    latex: d.latex.replace("\\bar\\alpha_{t}}{", "\\bar\\alpha_{t-1}}{"),
  }, spec);
  assert.equal(good.status, "evaluated", typesetMessage(good));
});

Deno.test("evaluate: E[a | b] reads a chapter's bbE_given with both variables, else is unbound", () => {
  const seen: string[] = [];
  const given: Binding = {
    ...(notationBinding as Binding),
    bbE_given: {
      latex: "\\mathbb{E}[x_0 \\mid x_t]",
      entry: {
        kind: "function",
        apply: ([a, b]) => {
          seen.push(`${a.variable?.name}@${a.variable?.index} | ${b.variable?.index}`);
          return exact(10 * a.value.v + b.value.v, 0);
        },
      },
    },
  };
  const point = at({ t: 3, "x@0": 0.5, "x@3": 0.25 });
  const v = evaluate(parseStatement("\\mathbb{E}[x_0 \\mid x_t]"), point, {
    ...ev,
    binding: given,
  });
  assert.equal(v.v, 5.25);
  assert.deepEqual(seen, ["x@0 | 3"]);
  assert.throws(
    () => evaluate(parseStatement("\\mathbb{E}[x_0 \\mid x_t]"), point, ev),
    (e: unknown) => e instanceof TypesetError && e.rule === "typeset-unbound",
  );
});

Deno.test("evaluate: f^2(t) applies the bound function, then squares (sigma_q^2(t))", () => {
  const v = evaluate(parseStatement("\\sigma_q^2(t)"), at({ t: 4 }), ev);
  const s = ctx.schedule;
  const want = (1 - s.alphas[4]) * (1 - s.alphaBars[3]) / (1 - s.alphaBars[4]);
  assert.ok(Math.abs(v.v - want) <= v.e + 1e-16, `${v.v} vs ${want}`);
});

Deno.test("checkDisplay: an aligned chain is read as one chain, and a wrong row fails", () => {
  const md = "$$ {#eq:a}\n\\begin{aligned}\n\\tilde\\beta_t &= \\frac{1-\\bar\\alpha_{t-1}}" +
    "{1-\\bar\\alpha_t}\\,\\beta_t \\\\\n&= ROW ,\n\\end{aligned}\n$$\n";
  const spec = (latex: string) => {
    const [d] = displayEquations(md.replace("ROW", latex), "chapters/04-x.md");
    return checkDisplay(d, {
      binding: notationBinding as Binding,
      cases: [{ name: "linear, T = 10", ctx, grid: ev.grid, points: () => [at({ t: 5 })] }],
    });
  };
  const good = spec("\\sigma_q^2(t)");
  assert.equal(good.status, "evaluated", typesetMessage(good));
  assert.equal(good.comparisons, 3); // two neighbours and the ends (a = b = c: a = c)
  assert.equal(spec("\\beta_t").status, "failed");
});

Deno.test("evaluate: KL between two laws N(m, v) written without a variable is the Gaussian KL", () => {
  const v = evaluate(
    parseStatement("\\mathrm{KL}\\big(\\mathcal{N}(1, 0.5) \\,\\|\\, \\mathcal{N}(-0.5, 2)\\big)"),
    at({}),
    ev,
  );
  const closed = 0.5 * (Math.log(2 / 0.5) + 0.5 / 2 + 1.5 ** 2 / 2 - 1);
  assert.ok(Math.abs(v.v - closed) <= v.e + 1e-15, `${v.v} ± ${v.e} vs ${closed}`);
  // a law equated with a density of x is read at the sample point's law variable
  const d = evaluate(parseStatement("\\mathcal{N}(1, 0.5)"), at({ law: 1 }), ev);
  assert.ok(Math.abs(d.v - 1 / Math.sqrt(Math.PI)) <= d.e + 1e-15);
});

Deno.test("evaluate: \\odot, ^\\top and an inner product in one dimension; a starred name reads as Star", () => {
  const v = evaluate(parseStatement("(x - 1)^\\top (2 \\odot x)"), at({ x: 3 }), ev);
  assert.equal(v.v, 12);
  const w = evaluate(parseStatement("\\left\\langle 2 x, x - 1 \\right\\rangle"), at({ x: 3 }), ev);
  assert.equal(w.v, 12);
  assert.throws(
    () => evaluate(parseStatement("s^{*}(x_t)"), at({ t: 2, "x@2": 0 }), ev),
    (e: unknown) => e instanceof TypesetError && /sStar/.test(e.message),
  );
});

Deno.test("evaluate: E over q(x_{t-1}, x_t, x_{t+1} | x_0) averages over forward paths", () => {
  // E[x_{t+1} - sqrt(alpha_{t+1}) x_t] = 0 and E[x_t] = sqrt(alphaBar_t) x_0, within 4 SE
  const s = ctx.schedule, p = at({ t: 3, "x@0": 1.5 });
  const e = (body: string) =>
    evaluate(
      parseStatement(`\\mathbb{E}_{q(x_{t-1}, x_t, x_{t+1} \\mid x_0)}[${body}]`),
      p,
      ev,
    );
  const m = e("x_t");
  assert.ok(Math.abs(m.v - Math.sqrt(s.alphaBars[3]) * 1.5) <= m.e, `${m.v} ± ${m.e}`);
  const z = e("x_{t+1} - \\sqrt{\\alpha_{t+1}}\\, x_t");
  assert.ok(Math.abs(z.v) <= z.e, `${z.v} ± ${z.e}`);
});

Deno.test("checkDisplay: \\propto compares the ratio of its sides with the density's variable moved", () => {
  // q(x_t | x_{t-1}) ∝ exp(-(x_t - sqrt(alpha_t) x_{t-1})^2 / (2 beta_t)) in x_t: the constant is
  // the Gaussian normaliser; a wrong exponent changes how the ratio moves with x_t
  const md =
    "$$\nq(x_t \\mid x_{t-1}) \\propto \\exp\\left(-\\frac{(x_t - EXPR)^2}{2\\beta_t}\\right)\n$$\n";
  const run = (expr: string) => {
    const [d] = displayEquations(md.replace("EXPR", expr), "chapters/01-x.md");
    return checkDisplay(d, {
      binding: notationBinding as Binding,
      cases: [{
        name: "linear, T = 10",
        ctx,
        grid: ev.grid,
        points: () => [at({ t: 5, "x@5": 0.3, "x@4": 0.2 })],
      }],
    });
  };
  const good = run("\\sqrt{\\alpha_t}\\,x_{t-1}");
  assert.equal(good.status, "evaluated", typesetMessage(good));
  assert.equal(good.comparisons, 1);
  const bad = run("\\alpha_t\\,x_{t-1}");
  assert.equal(bad.status, "failed");
  assert.match(typesetMessage(bad), /∝: side 1 \/ side 2 at x@5 and moved by 0\.01/);
});

Deno.test("evaluate: \\arg\\min over a family of the context finds the minimiser within its bound", () => {
  const c = {
    latex: "c",
    entry: { kind: "constant" as const, value: (x: { c?: number }) => exact(x.c!) },
  };
  const binding = { ...notationBinding, c } as Binding;
  const family = (lo: number, hi: number) => ({ lo, hi, at: (v: number) => ({ ...ctx, c: v }) });
  const j = parseStatement("\\arg\\min_\\theta\\ (c - 0.3)^2");
  const r = evaluate(j, at({}), {
    ...ev,
    binding,
    ctx: { ...ctx, families: { theta: family(-1, 1) } },
  });
  assert.ok(Math.abs(r.v - 0.3) <= r.e && r.e < 1e-3, `${r.v} ± ${r.e}`);
  // a family that does not bracket the minimum is an error, not its end point
  assert.throws(
    () =>
      evaluate(j, at({}), { ...ev, binding, ctx: { ...ctx, families: { theta: family(0.5, 1) } } }),
    /an end of the family's range/,
  );
});

Deno.test("checkDisplay: a side condition t >= k is also checked at its boundary", () => {
  // beta-tilde_t / (1 - alphaBar_{t-1}) = beta_t / (1 - alphaBar_t) holds for t >= 2 (0/0 at t = 1)
  const md =
    "$$\n\\frac{\\tilde\\beta_t}{1-\\bar\\alpha_{t-1}} = \\frac{\\beta_t}{1-\\bar\\alpha_t}, " +
    "\\qquad t \\ge K .\n$$\n";
  const run = (k: string) => {
    const [d] = displayEquations(md.replace("K", k), "chapters/04-x.md");
    return checkDisplay(d, {
      binding: notationBinding as Binding,
      cases: [{ name: "linear, T = 10", ctx, grid: ev.grid, points: () => [at({ t: 5 })] }],
    });
  };
  assert.equal(run("2").status, "evaluated", typesetMessage(run("2")));
  const wrong = run("1");
  assert.equal(wrong.status, "failed");
  assert.match(typesetMessage(wrong), /the condition t >= 1 admits t = 1/);
  // the same claim written as a range of steps
  assert.equal(run("2").status, "evaluated");
  const range = (k: string) => {
    const [d] = displayEquations(
      md.replace("t \\ge K", `t = ${k}, \\dots, T`),
      "chapters/04-x.md",
    );
    return checkDisplay(d, {
      binding: notationBinding as Binding,
      cases: [{ name: "linear, T = 10", ctx, grid: ev.grid, points: () => [at({ t: 5 })] }],
    });
  };
  assert.equal(range("2").status, "evaluated", typesetMessage(range("2")));
  assert.match(typesetMessage(range("1")), /the range t = 1, … admits t = 1/);
});
