import assert from "node:assert/strict";
import { readStatement } from "./sde.ts";
import type { Binding } from "./binding.ts";
import { exact } from "./num.ts";
import { evaluate } from "./evaluate.ts";
import { TypesetError } from "./parse.ts";

const g: Binding = {
  g: { latex: "g(\\tau)", entry: { kind: "function", apply: ([t]) => exact(2 * t.value.v) } },
};

Deno.test("an SDE's differentials are variables, and both coefficients are compared", () => {
  const j = readStatement("dx = -\\tfrac12 x\\, d\\tau + g(\\tau)\\, d\\bar W", g);
  const ev = { binding: g, ctx: {}, grid: () => ({ lo: 0, hi: 1, n: 3 }) };
  const scope = new Map([
    ["x", exact(2)],
    ["tau", exact(0.25)],
    ["dtau", exact(0.1)],
    ["dWBar", exact(0.3)],
  ]);
  assert.deepEqual(Array.isArray(j) && j[0], "Equal");
  // -1/2 * 2 * 0.1 + 2 * 0.25 * 0.3 = -0.1 + 0.15
  const rhs = evaluate((j as unknown[])[2] as never, scope, ev);
  assert.deepEqual(Math.abs(rhs.v - 0.05) < 1e-15, true);
});

Deno.test("a derivative in tau is the quotient of differentials; a power of g(tau) is regrouped", () => {
  assert.deepEqual(
    readStatement("\\frac{dx}{d\\tau} = g(\\tau)^2", g),
    ["Equal", ["Divide", "dx", "dtau"], [
      "Power",
      ["InvisibleOperator", "g", ["Delimiter", "tau"]],
      2,
    ]],
  );
});

Deno.test("an update reads as the new value (primed) equal to the right side", () => {
  assert.deepEqual(readStatement("x \\leftarrow x + z", {}), ["Equal", ["Prime", "x"], [
    "Add",
    "x",
    "z",
  ]]);
});

Deno.test("a bare connective states nothing; differentials are not read outside continuous time", () => {
  assert.deepEqual(readStatement("\\Longrightarrow", {}), "Connective");
  // d x with no d\tau or dW in the statement stays the dimension times x
  assert.deepEqual(readStatement("y = d x", {}), ["Equal", "y", ["InvisibleOperator", "d", "x"]]);
  assert.deepEqual(readStatement("\\delta_i = 1", {}), ["Equal", ["Subscript", "delta", "i"], 1]);
});

Deno.test("an unreadable update still says where the parser stopped", () => {
  assert.throws(
    () => readStatement("x \\leftarrow \\frac{", {}),
    (e) => e instanceof TypesetError && /parser stopped/.test(e.message),
  );
});

Deno.test("readStatement: an evaluation bar is the body with its variable set", () => {
  const j = readStatement("m + s\\, g(x)\\big|_{x = m}", {});
  const want = '["Add","m",["Where",["InvisibleOperator","s","g",["Delimiter","x"]],"x","m"]]';
  if (JSON.stringify(j) !== want) throw new Error(JSON.stringify(j));
});
