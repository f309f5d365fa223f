/**
 * Reading chapter 6's continuous-time and update statements as equations between numbers, before
 * they are evaluated (`check_display.ts` reads every statement through {@link readStatement}):
 *
 * - an update `x \leftarrow B` states that the new value x′ equals B at the old x: it is read as
 *   `x' = B`, and the sample point gives x′ (the engine's step from x);
 * - a stochastic differential `dx = f\,d\tau + g\,dW` is linear in the increments dτ and dW: the
 *   differentials are read as the variables `dx`, `dtau`, `dW` (`d\bar W` as `dWBar`) and a
 *   derivative `\frac{dx}{d\tau}` as their quotient, so the sample point gives dτ and dW and the
 *   engine's increment dx; equality at several (dτ, dW) is equality of both coefficients;
 * - a function value raised to a power, `g(\tau)^2`, which the parser reads as g·(τ)², is
 *   regrouped as (g(τ))² when g is bound as a function;
 * - a negated function value, `-\beta(\tau)`, which the parser reads as (-β)·(τ), is -(β(τ));
 * - a divergence `\nabla \cdot v` is read, in the examples' one dimension, as the derivative
 *   `\nabla_x v` in the point's x, and `\nabla \cdot v(a, \tau)` as that derivative taken at x = a
 *   (`["Where", body, "x", a]`);
 * - an evaluation bar, respelled by `latex.ts` as `EvaluatedAt(body; x = a)`, is
 *   `["Where", body, "x", a]`: the body with x set to a (∇ inside it differentiates in x first);
 * - `\epsilon^*` (the optimal value) is the symbol `epsilonStar`;
 * - `\delta_i` (read as a Kronecker delta) is the symbol δ with subscript i;
 * - a bare connective between statements (`\Longrightarrow`) states nothing and is skipped.
 *
 * @module
 */
import type { Binding } from "./binding.ts";
import { type MathJson, parseStatement } from "./parse.ts";

const CONNECTIVE = /^\\(Longrightarrow|Rightarrow|implies|iff|Longleftrightarrow)$/;
/** A differential is only read where the statement writes one in continuous time. */
const DIFFERENTIAL = /\bd\\tau\b|\bdW\b|d\\bar\s*W|\\frac\{d[a-z]\}\{d\\(tau|sigma)\}/;

/**
 * Parses a statement, reading updates, differentials and function powers as described above.
 *
 * @param latex one statement as printed
 * @param binding the binding (to know which symbols are functions)
 * @returns its MathJSON, or the string "Connective" for a bare connective
 * @example
 * ```ts
 * import { readStatement } from "./sde.ts";
 * const j = readStatement("dx = x\\, d\\tau + dW", {});
 * const want = '["Equal","dx",["Add",["InvisibleOperator","x","dtau"],"dW"]]';
 * if (JSON.stringify(j) !== want) throw new Error(JSON.stringify(j));
 * const u = readStatement("x \\leftarrow 2 x", {});
 * if (JSON.stringify(u) !== '["Equal",["Prime","x"],["InvisibleOperator",2,"x"]]') throw new Error(JSON.stringify(u));
 * ```
 */
export function readStatement(latex: string, binding: Binding): MathJson {
  const t = latex.trim();
  if (CONNECTIVE.test(t)) return "Connective";
  const arrow = t.indexOf("\\leftarrow");
  let j: MathJson;
  if (arrow > 0) {
    const lhs = parseStatement(t.slice(0, arrow));
    const rhs = parseStatement(t.slice(arrow + "\\leftarrow".length));
    j = ["Equal", ["Prime", lhs], rhs];
  } else j = parseStatement(t);
  return rewrite(j, binding, DIFFERENTIAL.test(t));
}

function differentialName(j: MathJson): string | undefined {
  if (typeof j === "string" && /^[A-Za-z]+$/.test(j)) return j;
  if (Array.isArray(j) && j[0] === "Mean" && typeof j[1] === "string") return `${j[1]}Bar`;
  return undefined;
}

function isFunction(binding: Binding, name: MathJson): boolean {
  if (typeof name !== "string") return false;
  const b = binding[name];
  return b?.entry.kind === "function" || b?.alt?.kind === "function";
}

function rewrite(j: MathJson, binding: Binding, differentials: boolean): MathJson {
  if (!Array.isArray(j)) return j;
  const [head, ...rest] = j;
  const args = rest.map((x) => rewrite(x, binding, differentials));
  if (head === "KroneckerDelta" && args.length === 1) return ["Subscript", "delta", args[0]];
  if (head === "Superstar" && typeof args[0] === "string") return `${args[0]}Star`;
  if (head === "Multiply" && args.length === 2 && args[0] === "Grad") {
    // `\nabla \cdot v`: the book's examples are one-dimensional, where the divergence of a field
    // of x is its derivative in x; at a point, `\nabla \cdot v(a, \tau)`, it is taken in the first
    // argument and then set to a
    const f = args[1];
    const d = Array.isArray(f) && f[0] === "InvisibleOperator" && f.length === 3
      ? f[2] as MathJson[]
      : undefined;
    const items = Array.isArray(d) && d[0] === "Delimiter" && Array.isArray(d[1]) &&
        d[1][0] === "Sequence"
      ? d[1].slice(1)
      : undefined;
    if (items && items[0] !== "x") {
      const at: MathJson = ["InvisibleOperator", (f as MathJson[])[1], ["Delimiter", [
        "Sequence",
        "x",
        ...items.slice(1),
      ], d![2]]];
      return ["Where", ["InvisibleOperator", "Grad_x", at], "x", items[0]];
    }
    return ["InvisibleOperator", "Grad_x", f];
  }
  if (differentials && head === "D" && args.length === 2) {
    const [a, b] = args.map(differentialName);
    if (a && b) return ["Divide", `d${a}`, `d${b}`];
  }
  if (head !== "InvisibleOperator") return [head, ...args];
  const at = evaluatedAt(args);
  if (at) return at;
  const out: MathJson[] = [];
  for (let i = 0; i < args.length; i++) {
    const x = args[i], next = args[i + 1];
    const name = next === undefined ? undefined : differentialName(next);
    if (differentials && x === "d" && name) {
      out.push(`d${name}`);
      i++;
      continue;
    }
    if (
      isFunction(binding, x) && Array.isArray(next) && next[0] === "Power" &&
      Array.isArray(next[1]) && next[1][0] === "Delimiter"
    ) {
      out.push(["Power", ["InvisibleOperator", x, next[1]], next[2]]);
      i++;
      continue;
    }
    if (
      Array.isArray(x) && x[0] === "Negate" && isFunction(binding, x[1]) &&
      Array.isArray(next) && next[0] === "Delimiter"
    ) {
      // `-\beta(\tau)` is read as (-β)·(τ): it is -(β(τ))
      out.push(["Negate", ["InvisibleOperator", x[1], next]]);
      i++;
      continue;
    }
    out.push(x);
  }
  return out.length === 1 ? out[0] : ["InvisibleOperator", ...out];
}

/** `EvaluatedAt(body; x = a)` as the parser reads it → `["Where", body, "x", a]`. */
function evaluatedAt(args: MathJson[]): MathJson | undefined {
  const [f, d] = args;
  if (args.length !== 2 || f !== "EvaluatedAt" || !Array.isArray(d) || d[0] !== "Delimiter") return;
  const seq = d[1];
  if (!Array.isArray(seq) || seq[0] !== "Sequence" || seq.length !== 3) return;
  const [, body, eq] = seq;
  if (!Array.isArray(eq) || eq[0] !== "Equal" || typeof eq[1] !== "string") return;
  return ["Where", body, eq[1], eq[2]];
}
