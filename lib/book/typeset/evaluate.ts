/**
 * Evaluates printed LaTeX (parsed to MathJSON by `parse.ts`) at one sample point, reading every
 * symbol through a binding (`binding.ts`). Arithmetic carries an error bound (`num.ts`); integrals
 * are trapezoid quadratures whose error is estimated from the same rule on a grid half as fine
 * plus a bound on the tails beyond the grid;
 * `\nabla` is a five-point central difference with its truncation error estimated the same way.
 * A symbol the binding does not know is an error naming it — never a silent zero.
 *
 * @module
 */
import {
  type Arg,
  type Binding,
  type Context,
  type DensityArgs,
  type Entry,
  LAW_VARIABLE,
  type Sub,
} from "./binding.ts";
import * as n from "./num.ts";
import { type MathJson, TypesetError } from "./parse.ts";
import { fitGaussian, gaussianKl } from "./gaussian_kl.ts";
import { pathExpectation } from "./path_expectation.ts";
import {
  isJointSubscript,
  jointExpectation,
  jointLaws,
  type JointReader,
  standardNormal,
} from "./joint_expectation.ts";
import type { Schedule } from "../../../engine/schedule.ts";
import type { Mixture } from "../../../engine/mixture.ts";

type Num = n.Num;

/** Values at one sample point: scalars (`t`, `\gamma`) and variables (`x@4` is x_4, `epsilon`). */
export type Scope = ReadonlyMap<string, Num>;

/** A quadrature grid for an integration variable. */
export interface Grid {
  lo: number;
  hi: number;
  /** Number of points (odd, so the half-fine grid shares every other point). */
  n: number;
}

/** How to evaluate: the binding, the chapter's context, and grids for integration variables. */
export interface Evaluator {
  binding: Binding;
  ctx: Context;
  /** The grid over which `\int … d<name>_<index>` (and an expectation over it) runs. */
  grid: (variable: { name: string; index?: number }, scope: Scope) => Grid;
}

/** A symbol as written: its name (decorations as suffixes), subscript and prime. */
interface Ref {
  name: string;
  sub?: MathJson;
  primes: number;
}

const STYLE: Record<string, string> = { calligraphic: "cal", doublestruck: "bb" };
const RENAME: Record<string, string> = {
  EulerGamma: "gamma",
  Pi: "pi",
  EmptySet: "varnothing",
  PositiveInfinity: "infty",
};
const DECO: Record<string, string> = {
  Mean: "Bar",
  OverBar: "Bar",
  OverTilde: "Tilde",
  OverHat: "Hat",
  Superstar: "Star", // the optimal predictors of Chapter 4: \hat x_0^{*}
};

const DECO_SUFFIX: Record<string, string> = { tilde: "Tilde", hat: "Hat", bar: "Bar" };

/** Reads a symbol node, or undefined when the node is not a symbol. */
function readRef(j: MathJson): Ref | undefined {
  if (typeof j === "string") {
    if (j.startsWith("'")) return undefined;
    const parts = j.split("_");
    let name = RENAME[parts[0]] ?? parts[0];
    let rest = parts.slice(1);
    if (rest.length > 0 && STYLE[rest[0]]) {
      name = STYLE[rest[0]] + name;
      rest = rest.slice(1);
    }
    if (rest.length > 0 && DECO_SUFFIX[rest[0]]) {
      // `\nabla_{\tilde x}` spells its subscript "x_tilde": the symbol x̃, xTilde
      name += DECO_SUFFIX[rest[0]];
      rest = rest.slice(1);
    }
    if (rest.length === 0) return { name, primes: 0 };
    const s = rest.join("_");
    return { name, sub: /^\d+$/.test(s) ? Number(s) : (RENAME[s] ?? s), primes: 0 };
  }
  if (!Array.isArray(j)) return undefined;
  const [head, a, b] = j;
  if (head === "Subscript") {
    const base = readRef(a);
    if (!base || base.sub !== undefined) return undefined;
    return { ...base, sub: typeof b === "string" ? (RENAME[b] ?? b) : b };
  }
  if (head === "Prime") {
    const base = readRef(a);
    const count = typeof b === "number" ? b : 1;
    return base ? { ...base, primes: base.primes + count } : undefined;
  }
  if (typeof head === "string" && DECO[head] && j.length === 2) {
    const base = readRef(a);
    return base ? { ...base, name: base.name + DECO[head] } : undefined;
  }
  return undefined;
}

/** The symbol as a reader would write it, for messages: `alphaBar_{t-1}`. */
function refText(r: Ref): string {
  const sub = r.sub === undefined ? "" : `_{${plain(r.sub)}}`;
  return r.name + "'".repeat(r.primes) + sub;
}

/** A MathJSON subexpression as short plain text (for messages). */
export function plain(j: MathJson): string {
  if (typeof j === "number") return String(j);
  if (typeof j === "string") return j.replace(/^'|'$/g, "");
  if (!Array.isArray(j)) return "num" in j ? j.num : j.str;
  const [h, ...r] = j;
  const ops: Record<string, string> = { Add: " + ", Subtract: " - ", Multiply: " ", Divide: "/" };
  if (typeof h === "string" && ops[h]) return `(${r.map(plain).join(ops[h])})`;
  return `${plain(h)}(${r.map(plain).join(", ")})`;
}

/** Key of a variable in a {@link Scope}: `x@4`, `epsilon`, `y'`. */
export function varKey(name: string, index?: number, primes = 0): string {
  return name + "'".repeat(primes) + (index === undefined ? "" : `@${index}`);
}

/**
 * Evaluates an expression at a sample point.
 *
 * @param j the MathJSON of one side
 * @param scope the sample point
 * @param ev binding, context and grids
 * @returns the value with its error bound
 * @example
 * ```ts
 * import { evaluate } from "./evaluate.ts";
 * import { parseStatement } from "./parse.ts";
 * import { exact } from "./num.ts";
 * const b = { beta: { latex: "\\beta_t", entry: { kind: "indexed" as const, at: (i: number) => exact(i / 10) } } };
 * const j = parseStatement("1 - \\beta_{t-1}");
 * const r = evaluate(j, new Map([["t", exact(3)]]), { binding: b, ctx: {}, grid: () => ({ lo: 0, hi: 1, n: 3 }) });
 * if (Math.abs(r.v - 0.8) > 1e-15) throw new Error(String(r.v));
 * ```
 */
export function evaluate(j: MathJson, scope: Scope, ev: Evaluator): Num {
  if (typeof j === "number") return n.exact(j, 0);
  if (!Array.isArray(j) && typeof j === "object") {
    if ("num" in j) return n.exact(Number(j.num));
    throw unbound(`the text ${JSON.stringify(j.str)}`);
  }
  const ref = readRef(j);
  if (ref) return symbolValue(ref, scope, ev);
  if (!Array.isArray(j)) throw unbound(String(j));
  const [head, ...args] = j;
  const e = (x: MathJson) => evaluate(x, scope, ev);
  if (head === "Subscript" && Array.isArray(args[0])) {
    const [inner, sub] = args;
    // `\int … dx_{t-1}` parses as (∫ … dx)_{t-1}; `\underbrace{e}_{text}` as (e)_{text}
    if (inner[0] === "Integrate" && typeof inner[2] === "string") {
      return integrate(inner[1], ["Subscript", inner[2], sub], scope, ev);
    }
    if (inner[0] === "UnderBrace" || inner[0] === "OverBrace") return e(inner[1]);
  }
  if (head === "Derivative" && Array.isArray(args[0]) && args[0][0] === "Integrate") {
    // `\int … dy'` parses as the derivative (′) of `\int … dy`: the variable is y'
    return integrate(args[0][1], ["Prime", args[0][2]], scope, ev);
  }
  switch (head) {
    case "List":
    case "UnderBrace":
    case "OverBrace":
      if (args.length === 1) return e(args[0]);
      break;
    case "Add":
      return args.map(e).reduce(n.add);
    case "Subtract":
      return args.length === 1 ? n.neg(e(args[0])) : n.sub(e(args[0]), e(args[1]));
    case "Negate":
      return n.neg(e(args[0]));
    case "Multiply":
    case "HadamardProduct": // \odot: elementwise, in one dimension the product
      return args.map(e).reduce(n.mul);
    case "Transpose": // (x - \mu)^\top in one dimension
      return e(args[0]);
    case "AngleBracket": // an inner product ⟨a, b⟩, in one dimension the product
      if (args.length === 2) return n.mul(e(args[0]), e(args[1]));
      break;
    case "Divide":
      return n.div(e(args[0]), e(args[1]));
    case "Half":
      return n.mul(n.exact(0.5, 0), e(args[0]));
    case "Power": {
      const p = e(args[1]);
      if (p.e > Math.abs(p.v) * 1e-12) throw unbound(`an exponent that is not a plain number`);
      return n.pow(e(args[0]), p.v);
    }
    case "Square":
      return n.pow(e(args[0]), 2);
    case "Sqrt":
      return n.sqrt(e(args[0]));
    case "Root":
      return n.pow(e(args[0]), 1 / e(args[1]).v);
    case "Exp":
      return n.exp(e(args[0]));
    case "Log":
    case "Ln":
      return n.log(e(args[0]));
    case "Abs":
    case "Norm":
      return n.abs(e(args[0]));
    case "Delimiter": {
      const items = delimiterItems(j);
      if (items.length === 1) return e(items[0]);
      if (items.length === 2 && j[2] === "'⟨,⟩'") return n.mul(e(items[0]), e(items[1]));
      throw unbound(`a list of ${items.length} values where one number belongs`);
    }
    case "Sequence":
      if (args.length === 1) return e(args[0]);
      break;
    case "Trace":
      return e(args[0]); // the book's examples are one-dimensional (d = 1, I = 1)
    case "Apply": {
      // f'(τ): the derivative of a bound function in its first argument
      const [f, ...xs] = args;
      if (Array.isArray(f) && f[0] === "Derivative" && (f[2] ?? 1) === 1) {
        return derivative(f[1], xs, scope, ev);
      }
      break;
    }
    case "HorizontalSpacing":
      return n.exact(1, 0);
    case "InvisibleOperator":
      return juxtaposition(args, scope, ev);
    case "Sum":
    case "Product":
      return bigOperator(head, args, scope, ev);
    case "Integrate":
      return integrate(args[0], args[1], scope, ev);
    case "Argument":
      if (Array.isArray(args[0]) && args[0][0] === "Min") return argMin(args[0][1], scope, ev);
      break;
    case "At":
      return juxtaposition(args, scope, ev);
    case "Exp10":
      break;
    case "Where": {
      // ["Where", body, name, value]: the body with the variable `name` set to value's value
      // (`sde.ts` reads a divergence at a point, (\nabla \cdot v)(x(\tau), \tau), this way)
      const inner = new Map(scope);
      inner.set(String(args[1]), e(args[2]));
      return evaluate(args[0], inner, ev);
    }
  }
  throw unbound(`the operation ${plain(j)}`);
}

function unbound(what: string): TypesetError {
  return new TypesetError(
    `Cannot evaluate the printed equation as ${what} has no binding: bind it in the notation ` +
      `binding (lib/book/typeset/notation_binding.ts) or the chapter's typeset context`,
    "typeset-unbound",
  );
}

/** The binding of a symbol: with its tag first (`epsilon_theta`), then by its name. */
function boundOf(ref: Ref, ev: Evaluator) {
  const tag = typeof ref.sub === "string" ? ref.sub : tagList(ref.sub, ev);
  const tagged = tag !== undefined ? ev.binding[`${ref.name}_${tag}`] : undefined;
  return tagged ?? ev.binding[ref.name];
}

/** A list of tags as a subscript, `\mathrm{ELBO}_{\phi,\theta}`: "phi,theta" when the binding has it. */
function tagList(sub: MathJson | undefined, ev: Evaluator): string | undefined {
  if (!Array.isArray(sub) || sub[0] !== "Delimiter") return undefined;
  const items = delimiterItems(sub);
  if (!items.every((x) => typeof x === "string" && ev.binding[x]?.entry.kind === "unbound")) return;
  return items.join(",");
}

function entryOf(ref: Ref, ev: Evaluator, applied = false): Entry {
  const b = boundOf(ref, ev);
  if (!b) throw unbound(`the symbol ${refText(ref)}`);
  const takesArgs = (e: Entry) => e.kind === "function" || e.kind === "density";
  const entry = b.alt && takesArgs(b.entry) !== applied && takesArgs(b.alt) === applied
    ? b.alt
    : b.entry;
  if (entry.kind === "unbound") {
    throw new TypesetError(
      `Cannot evaluate the printed equation as ${refText(ref)} is not numeric: ${entry.reason}`,
      "typeset-unbound",
    );
  }
  return entry;
}

/** Reads a subscript: a step number, or a tag such as "theta". */
function readSub(ref: Ref, scope: Scope, ev: Evaluator): Sub {
  if (ref.sub === undefined) return undefined;
  if (typeof ref.sub === "number") return ref.sub;
  const at = typeof ref.sub === "string" ? scope.get(ref.sub) : undefined;
  if (typeof ref.sub === "string" && (!at || !Number.isInteger(at.v))) {
    // a continuous time (x_\tau at tau = 0.37) is a tag like a name, not a step
    // a bound constant (x_T) is a step; anything else (\epsilon_\theta) is a tag
    if (ev.binding[ref.sub]?.entry.kind !== "constant") return ref.sub;
  }
  if (Array.isArray(ref.sub) && ref.sub[0] === "Colon") {
    const [from, to] = ref.sub.slice(1).map((x) => Math.round(evaluate(x, scope, ev).v));
    return { from, to };
  }
  const tags = tagList(ref.sub, ev);
  if (tags !== undefined) return tags;
  if (Array.isArray(ref.sub) && ref.sub[0] === "Delimiter") {
    return delimiterItems(ref.sub).map((x) => Math.round(evaluate(x, scope, ev).v));
  }
  const v = evaluate(ref.sub, scope, ev).v;
  return Math.round(v);
}

function symbolValue(ref: Ref, scope: Scope, ev: Evaluator): Num {
  // a name the sample point gives a value (t, s, gamma, a summation index) wins
  if (ref.sub === undefined && scope.has(varKey(ref.name, undefined, ref.primes))) {
    return scope.get(varKey(ref.name, undefined, ref.primes))!;
  }
  const entry = entryOf(ref, ev);
  const sub = readSub(ref, scope, ev);
  switch (entry.kind) {
    case "constant":
      return entry.value(ev.ctx, sub, scope);
    case "indexed":
      if (typeof sub !== "number" && !Array.isArray(sub)) {
        throw unbound(`${refText(ref)} without a step subscript`);
      }
      return entry.at(typeof sub === "number" ? sub : sub[0], ev.ctx, sub, scope);
    case "variable": {
      const key = varKey(ref.name, typeof sub === "number" ? sub : undefined, ref.primes);
      const v = scope.get(key);
      if (!v) {
        throw new TypesetError(
          `Cannot evaluate the printed equation as the variable ${refText(ref)} has no value at ` +
            `this sample point (it has ${[...scope.keys()].join(", ")})`,
          "typeset-unbound",
        );
      }
      return v;
    }
    default:
      throw unbound(`${refText(ref)} written without its arguments`);
  }
}

/** The items of a parenthesised list: `(a, b)`, `(x; m, v)` (flattened), `(a \mid b)`. */
function delimiterItems(j: MathJson): MathJson[] {
  if (!Array.isArray(j) || j[0] !== "Delimiter") return [j];
  const body = j[1];
  const items = Array.isArray(body) && body[0] === "Sequence" ? body.slice(1) : [body];
  return items;
}

function arg(j: MathJson, scope: Scope, ev: Evaluator): Arg {
  const ref = readRef(j);
  if (ref) {
    const b = boundOf(ref, ev);
    if (b?.entry.kind === "variable" || b?.alt?.kind === "variable") {
      const sub = readSub(ref, scope, ev);
      if (sub !== undefined && typeof sub === "object" && !Array.isArray(sub)) {
        // a path x_{a:b}: no single value; a density of it reads the steps from the point
        return { value: n.exact(NaN, 0), variable: { name: ref.name, path: sub } };
      }
      return {
        value: evaluate(j, scope, ev),
        variable: {
          name: ref.name + "'".repeat(ref.primes),
          index: typeof sub === "number" ? sub : undefined,
        },
      };
    }
  }
  return { value: evaluate(j, scope, ev) };
}

/** `q(a \mid b, c)`, `\mathcal{N}(x; m, v)`: targets, conditioning and parameters. */
function densityArgs(delim: MathJson, scope: Scope, ev: Evaluator): DensityArgs {
  const items = delimiterItems(delim);
  const semicolon = Array.isArray(delim) && delim[2] === "'(;)'";
  const out: DensityArgs = { targets: [], given: [], params: [] };
  let i = 0;
  const first = items[0];
  if (Array.isArray(first) && first[0] === "Divides") {
    out.targets.push(arg(first[1], scope, ev));
    out.given.push(arg(first[2], scope, ev));
    i = 1;
    for (; i < items.length && !semicolon; i++) out.given.push(arg(items[i], scope, ev));
  } else {
    out.targets.push(arg(first, scope, ev));
    i = 1;
  }
  for (; i < items.length; i++) {
    for (const p of delimiterItemsNested(items[i])) out.params.push(arg(p, scope, ev));
  }
  return out;
}

function delimiterItemsNested(j: MathJson): MathJson[] {
  if (Array.isArray(j) && j[0] === "Delimiter" && j[2] === "','") return delimiterItems(j);
  return [j];
}

function isSpacing(j: MathJson): boolean {
  return Array.isArray(j) && j[0] === "HorizontalSpacing";
}

function isDelimiter(j: MathJson | undefined): boolean {
  return Array.isArray(j) && (j[0] === "Delimiter");
}

/** A product of juxtaposed factors, where `f(...)` applies a bound function or density. */
function juxtaposition(items: MathJson[], scope: Scope, ev: Evaluator): Num {
  const xs = items.filter((x) => !isSpacing(x));
  let acc: Num | undefined;
  const times = (v: Num) => (acc = acc === undefined ? v : n.mul(acc, v));
  for (let i = 0; i < xs.length; i++) {
    let x = xs[i];
    if (Array.isArray(x) && x[0] === "Negate" && x.length === 2 && readRef(x[1])) {
      // `-\mathbb{E}_\epsilon \int …`: the sign of an operator that takes what follows
      times(n.exact(-1, 0));
      x = x[1];
    }
    const ref = readRef(x);
    if (ref && ref.name === "Grad") {
      times(gradient(ref, xs.slice(i + 1), scope, ev));
      return acc!;
    }
    if (ref && ref.name === "KL" && isDelimiter(xs[i + 1])) {
      times(divergence(xs[i + 1], scope, ev));
      i++;
      continue;
    }
    const covGiven = ev.binding.Cov_given?.entry;
    const covBody = ref?.name === "Cov" ? conditionalBody(xs.slice(i + 1)) : undefined;
    if (covBody && covGiven?.kind === "function") {
      // Cov(a | b): a conditional covariance the chapter's example knows in closed form
      // the covariance is of the random variable a, so only b is read at the point
      const given = [{ value: n.exact(NaN, 0) }, arg(covBody[1], scope, ev)];
      times(covGiven.apply(given, ev.ctx, undefined, scope));
      return acc!;
    }
    if (
      ref && (ref.name === "Cov" || ref.name === "Var") && ref.sub === undefined &&
      i + 1 < xs.length
    ) {
      // Cov[x_s] in one dimension: E[x_s^2] - E[x_s]^2 over the marginal q(x_s)
      const body = xs.slice(i + 1);
      const given = conditionalBody(body);
      const known = ev.binding.Var_given?.entry;
      if (ref.name === "Var" && given && known?.kind === "function") {
        // `\operatorname{Var}(a \mid b)`: a conditional variance the chapter's example knows
        times(known.apply(given.map((j) => arg(j, scope, ev)), ev.ctx, undefined, scope));
        return acc!;
      }
      const m1 = expectation(undefined, body, scope, ev);
      const m2 = expectation(
        undefined,
        [["Power", ["Delimiter", ["InvisibleOperator", ...body]], 2]],
        scope,
        ev,
      );
      times(n.sub(m2, n.mul(m1, m1)));
      return acc!;
    }
    if (ref && ref.name === "bbE") {
      times(expectation(ref.sub, xs.slice(i + 1), scope, ev));
      return acc!;
    }
    const powered = Array.isArray(x) && x[0] === "Power" ? readRef(x[1]) : undefined;
    const pb = powered && isDelimiter(xs[i + 1]) ? boundOf(powered, ev) : undefined;
    if (pb && [pb.entry.kind, pb.alt?.kind].includes("function")) {
      // f^k(t), as in \sigma_q^2(t): the function applied to its arguments, then raised
      const fx = ["InvisibleOperator", (x as MathJson[])[1], xs[i + 1]] as MathJson;
      times(evaluate(["Power", fx, (x as MathJson[])[2]] as MathJson, scope, ev));
      i++;
      continue;
    }
    if (ref && isDelimiter(xs[i + 1])) {
      const b = boundOf(ref, ev);
      const kinds = [b?.entry.kind, b?.alt?.kind];
      if (kinds.includes("function") || kinds.includes("density") || (!b && !scope.has(ref.name))) {
        const entry = entryOf(ref, ev, true);
        const sub = readSub(ref, scope, ev);
        if (entry.kind === "function") {
          const args = delimiterItems(xs[i + 1]).flatMap(delimiterItemsNested)
            .map((a) => arg(a, scope, ev));
          times(entry.apply(args, ev.ctx, sub, scope));
        } else if (entry.kind === "density") {
          times(entry.apply(densityArgs(xs[i + 1], scope, ev), ev.ctx, sub, scope));
        } else throw unbound(`${refText(ref)} applied to arguments`);
        i++;
        continue;
      }
    }
    if (Array.isArray(x) && x[0] === "At" && readRef(x[1])?.name === "bbE") {
      times(expectation(readRef(x[1])!.sub, x.slice(2), scope, ev));
      continue;
    }
    times(evaluate(x, scope, ev));
  }
  if (acc === undefined) throw unbound("an empty product");
  return acc;
}

function bigOperator(head: string, args: MathJson[], scope: Scope, ev: Evaluator): Num {
  const [body, limits] = args;
  if (limits === undefined && head === "Sum") return sumOverRange(body, scope, ev);
  if (!Array.isArray(limits) || limits[0] !== "Tuple" || limits.length !== 4) {
    throw unbound(`a ${head === "Sum" ? "\\sum" : "\\prod"} without written limits`);
  }
  const index = readRef(limits[1]);
  if (!index || index.sub !== undefined) throw unbound(`the index ${plain(limits[1])}`);
  const lo = evaluate(limits[2], scope, ev).v, hi = evaluate(limits[3], scope, ev).v;
  let acc = n.exact(head === "Sum" ? 0 : 1, 0);
  for (let k = Math.round(lo); k <= Math.round(hi); k++) {
    const inner = new Map(scope);
    inner.set(index.name, n.exact(k, 0));
    const v = evaluate(body, inner, ev);
    acc = head === "Sum" ? n.add(acc, v) : n.mul(acc, v);
  }
  return acc;
}

/** The variable an integral or expectation runs over: `x_0`, `x_{t-1}`, `y'`. */
function integrationVariable(j: MathJson, scope: Scope, ev: Evaluator) {
  const ref = readRef(j);
  if (!ref) throw unbound(`the integration variable ${plain(j)}`);
  const sub = readSub(ref, scope, ev);
  const name = ref.name + "'".repeat(ref.primes);
  return { name, index: typeof sub === "number" ? sub : undefined, ref };
}

/** A one-parameter family of the context, for `\arg\min_\theta`: the range and the context at θ. */
export interface Family {
  lo: number;
  hi: number;
  at: (value: number) => Context;
}

/**
 * `\arg\min_\theta f(\theta)` over the context's family `ctx.families[θ]`: golden-section search
 * (a unimodal f on [lo, hi]), and as error bound the half-width of the set where f could still be
 * minimal given f's own error bounds, {θ : f(θ) − e(θ) ≤ f(θ̂) + e(θ̂)}, found by bisection on each
 * side. A minimum at an end of the range is an error: the family does not bracket it.
 */
function argMin(j: MathJson, scope: Scope, ev: Evaluator): Num {
  const items = Array.isArray(j) && j[0] === "InvisibleOperator" && j[1] === "_" ? j.slice(2) : [];
  const param = readRef(items[0]);
  const family = param &&
    (ev.ctx as { families?: Record<string, Family> }).families?.[param.name];
  if (!family) throw unbound(`\arg\min over ${plain(items[0] ?? j)} (set ctx.families)`);
  const f = (v: number) => juxtaposition(items.slice(1), scope, { ...ev, ctx: family.at(v) });
  const g = (Math.sqrt(5) - 1) / 2;
  let [a, b] = [family.lo, family.hi];
  let c = b - g * (b - a), d = a + g * (b - a), fc = f(c).v, fd = f(d).v;
  for (let k = 0; k < 24; k++) {
    if (fc < fd) {
      b = d, d = c, fd = fc; // the minimum is in [a, d]
      c = b - g * (b - a), fc = f(c).v;
    } else {
      a = c, c = d, fc = fd; // the minimum is in [c, b]
      d = a + g * (b - a), fd = f(d).v;
    }
  }
  const best = (a + b) / 2, fBest = f(best);
  const range = family.hi - family.lo;
  if (best - family.lo < 1e-3 * range || family.hi - best < 1e-3 * range) {
    throw new TypesetError(
      `Cannot evaluate the printed \arg\min as its minimum lies at an end of the family's range ` +
        `[${family.lo}, ${family.hi}]: θ̂ = ${best}`,
      "typeset-mismatch",
    );
  }
  // the farthest θ on each side where f(θ) - e(θ) <= f(θ̂) + e(θ̂): θ̂'s error bound
  const level = fBest.v + fBest.e;
  const edge = (out: number) => {
    let [inside, outside] = [best, out];
    const fo = f(out);
    if (fo.v - fo.e <= level) return Math.abs(out - best);
    for (let k = 0; k < 12; k++) {
      const mid = (inside + outside) / 2, fm = f(mid);
      if (fm.v - fm.e <= level) inside = mid;
      else outside = mid;
    }
    return Math.abs(outside - best);
  };
  return { v: best, e: Math.max(edge(family.lo), edge(family.hi)) + (b - a) };
}

/** The trailing `d x` of an integrand the parser read as a factor: [integrand, variable]. */
function takeDifferential(j: MathJson): [MathJson, MathJson] | undefined {
  if (!Array.isArray(j)) return undefined;
  const k = j.length;
  if (j[0] === "InvisibleOperator" && k >= 4 && j[k - 2] === "d") {
    const rest = j.slice(1, -2);
    return [rest.length === 1 ? rest[0] : ["InvisibleOperator", ...rest], j[k - 1]];
  }
  if (j[0] === "InvisibleOperator" && k >= 3) {
    const inner = takeDifferential(j[k - 1]);
    return inner && [[...j.slice(0, -1), inner[0]] as MathJson, inner[1]];
  }
  if ((j[0] === "Product" || j[0] === "Sum") && k >= 2) {
    const inner = takeDifferential(j[1]);
    return inner && [[j[0], inner[0], ...j.slice(2)] as MathJson, inner[1]];
  }
  return undefined;
}

/** ∫ body d(variable) by the trapezoid rule, error estimated against the half-fine grid. */
function integrate(body: MathJson, variable: MathJson, scope: Scope, ev: Evaluator): Num {
  if (variable === "Nothing") {
    // `\int … \prod_t f_t\; dx_{1:T}`: the parser leaves the differential inside the product
    const split = takeDifferential(body);
    if (!split) throw unbound(`an integral without a differential: ${plain(body)}`);
    [body, variable] = split;
  }
  const path = pathOf(variable, scope, ev);
  if (path) return pathIntegral(path, body, scope, ev);
  if (Array.isArray(variable) && variable[0] === "Tuple" && variable.length === 4) {
    // \int_a^b: the written limits, no tails beyond them
    const v = integrationVariable(variable[1], scope, ev);
    const [lo, hi] = [variable[2], variable[3]].map((x) => evaluate(x, scope, ev).v);
    const limits = { lo, hi, n: ev.grid(v, scope).n };
    return quadrature(v, (inner) => evaluate(body, inner, ev), scope, ev, limits);
  }
  const v = integrationVariable(variable, scope, ev);
  return quadrature(v, (inner) => evaluate(body, inner, ev), scope, ev);
}

function quadrature(
  v: { name: string; index?: number },
  f: (scope: Scope) => Num,
  scope: Scope,
  ev: Evaluator,
  limits?: Grid,
): Num {
  const g = limits ?? ev.grid(v, scope);
  const h = (g.hi - g.lo) / (g.n - 1);
  let fine = 0, coarse = 0, err = 0, edges = 0;
  const key = varKey(v.name, v.index);
  for (let i = 0; i < g.n; i++) {
    const inner = new Map(scope);
    inner.set(key, n.exact(g.lo + i * h));
    const y = f(inner);
    if (i === 0 || i === g.n - 1) edges += Math.abs(y.v);
    const w = i === 0 || i === g.n - 1 ? 0.5 : 1;
    fine += w * y.v;
    err += y.e;
    if (i % 2 === 0) coarse += (i === 0 || i === g.n - 1 ? 0.5 : 1) * y.v;
  }
  fine *= h;
  coarse *= 2 * h;
  // error: the half-fine grid's disagreement, the integrand's own error, rounding, and the tails
  // beyond the grid (bounded by the edge values times the grid's width: a decaying integrand)
  const tails = limits ? 0 : edges * (g.hi - g.lo);
  return { v: fine, e: Math.abs(fine - coarse) + err * h + Math.abs(fine) * n.ULP * g.n + tails };
}

/** `\mathbb{E}_{x \sim q(x \mid …)}[f]` or `\mathbb{E}_{q(x \mid …)}[f]`: ∫ f q dx by quadrature. */
function expectation(
  sub: MathJson | undefined,
  rest: MathJson[],
  scope: Scope,
  ev: Evaluator,
): Num {
  const given = sub === undefined ? conditionalBody(rest) : undefined;
  const known = ev.binding.bbE_given?.entry;
  if (given && known?.kind === "function") {
    // `\mathbb{E}[a \mid b]`: a conditional mean the chapter's example knows in closed form
    return known.apply(given.map((j) => arg(j, scope, ev)), ev.ctx, undefined, scope);
  }
  if (given) {
    throw unbound(`the conditional expectation E[${plain(given[0])} | ${plain(given[1])}]`);
  }
  const steps = sub === undefined ? undefined : jointPathSteps(sub, scope, ev);
  // several steps of the forward chain given x_0: their joint is a forward path's marginal
  if (steps) return overPaths(steps, (inner) => juxtaposition(rest, inner, ev), scope, ev);
  const reader = jointReader(ev);
  if (sub !== undefined && isJointSubscript(sub, reader)) {
    // several variables, or one by name: Monte Carlo with common random numbers
    const samples = (ev.ctx as { jointSamples?: number }).jointSamples;
    const body = (inner: Scope) => juxtaposition(rest, inner, ev);
    return jointExpectation(jointLaws(sub, reader), body, scope, samples);
  }
  if (sub === undefined) {
    // `\mathbb{E}[f(x_s)]`: over the marginal q(x_s) of the one variable the body uses
    const v = singleVariable(rest, ev);
    sub = ["InvisibleOperator", "q", ["Delimiter", v]];
  }
  const joint = jointForward(sub, ev);
  if (joint) return overPaths(joint, (inner) => juxtaposition(rest, inner, ev), scope, ev);
  let variable: MathJson, density: MathJson;
  if (Array.isArray(sub) && sub[0] === "Tilde") {
    [, variable, density] = sub;
  } else {
    density = sub;
    const app = Array.isArray(sub) && sub[0] === "InvisibleOperator" ? sub : undefined;
    const d = app?.find((x) => isDelimiter(x));
    const first = d ? delimiterItems(d)[0] : undefined;
    variable = Array.isArray(first) && first[0] === "Divides" ? first[1] : first!;
    if (variable === undefined) throw unbound(`the expectation over ${plain(sub)}`);
  }
  const path = pathOf(variable, scope, ev);
  if (path) {
    forwardOnly(density);
    return overPaths(path, (inner) => juxtaposition(rest, inner, ev), scope, ev);
  }
  const tower = towerOverPaths(variable, rest, scope, ev);
  if (tower) return tower;
  const v = integrationVariable(variable, scope, ev);
  return quadrature(
    v,
    (inner) => {
      const p = evaluate(density, inner, ev);
      return n.mul(p, juxtaposition(rest, inner, ev));
    },
    scope,
    ev,
  );
}

/** The evaluator's side of `joint_expectation.ts`: variables, densities and their draws. */
function jointReader(ev: Evaluator): JointReader {
  const variableEntry = (j: MathJson) => {
    const ref = readRef(j);
    const b = ref && boundOf(ref, ev);
    const entry = b?.entry.kind === "variable" ? b.entry : b?.alt;
    return ref && entry?.kind === "variable" ? { ref, entry } : undefined;
  };
  const keyOf = (ref: Ref, point: Scope) => {
    const sub = readSub(ref, point, ev);
    return varKey(ref.name, typeof sub === "number" ? sub : undefined, ref.primes);
  };
  const targetsOf = (app: MathJson) => {
    const d = Array.isArray(app) ? app.find((x) => isDelimiter(x)) : undefined;
    const xs = d ? delimiterItems(d) : [];
    const bar = xs.findIndex((x) => Array.isArray(x) && x[0] === "Divides");
    if (bar < 0) {
      // q(a, b): every item is a target; N(x; m, v): the first, the rest are parameters
      const semicolon = Array.isArray(d) && d[2] === "'(;)'";
      return { targets: semicolon ? xs.slice(0, 1) : xs, given: [] as MathJson[], d };
    }
    const cond = xs[bar] as MathJson[];
    return { targets: [...xs.slice(0, bar), cond[1]], given: [cond[2], ...xs.slice(bar + 1)], d };
  };
  const set = (j: MathJson, v: number, point: Map<string, Num>) => {
    const found = variableEntry(j);
    if (!found) throw unbound(`the expectation's variable ${plain(j)}`);
    point.set(keyOf(found.ref, point), n.exact(v, 0));
  };
  return {
    value: (j, point) => evaluate(j, point, ev),
    isVariable: (j) => variableEntry(j) !== undefined,
    isStandardNormal: (j) => variableEntry(j)?.entry.draw === standardNormal,
    setVariable: set,
    drawVariable: (j, rng, point) => {
      const { ref, entry } = variableEntry(j)!;
      if (!entry.draw) {
        throw unbound(`the law of ${refText(ref)} (its variable binding has no draw)`);
      }
      set(j, entry.draw(rng, ev.ctx, readSub(ref, point, ev), point), point);
    },
    targets: (app) => targetsOf(app).targets,
    drawDensity: (app, k, rng, point) => {
      const { targets, given, d } = targetsOf(app);
      const ref = readRef((app as MathJson[])[1]);
      const entry = ref && entryOf(ref, ev, true);
      if (!ref || entry?.kind !== "density" || !entry.draw) {
        throw unbound(`the law ${plain(app)} (its density binding has no draw)`);
      }
      const at = new Map(point); // targets not drawn yet hold NaN while the arguments are read
      targets.slice(k).forEach((x) =>
        at.set(keyOf(variableEntry(x)?.ref ?? readRef(x)!, at), n.exact(NaN, 0))
      );
      const args: DensityArgs = given.length === 0 && targets.length === 1
        ? densityArgs(d!, at, ev)
        : {
          targets: targets.map((x) => arg(x, at, ev)),
          given: given.map((x) => arg(x, at, ev)),
          params: [],
        };
      const v = entry.draw(args, k, rng, ev.ctx, readSub(ref, point, ev), at);
      set(targets[k], v, point);
    },
  };
}

/** `[a \mid b]` (or `a \mid b`) as the body of an expectation: [a, b]; otherwise undefined. */
function conditionalBody(rest: MathJson[]): MathJson[] | undefined {
  if (rest.length !== 1) return undefined;
  const body = isDelimiter(rest[0]) ? delimiterItems(rest[0]) : rest;
  const j = body.length === 1 ? body[0] : undefined;
  return Array.isArray(j) && j[0] === "Divides" && j.length === 3 ? [j[1], j[2]] : undefined;
}

/** The variable name of a path x_{1:T} written as an expectation's variable, else undefined. */
function pathOf(variable: MathJson, scope: Scope, ev: Evaluator) {
  const ref = readRef(variable);
  const sub = ref && boundOf(ref, ev)?.entry.kind === "variable"
    ? readSub(ref, scope, ev)
    : undefined;
  return sub !== undefined && typeof sub === "object" && !Array.isArray(sub)
    ? { name: ref!.name, range: sub }
    : undefined;
}

/**
 * `q(x_{t-1}, x_t, x_{t+1} \mid x_0)`, a joint density of several steps of the forward chain given
 * x_0: its expectation is over whole forward paths (the steps' joint is the path's marginal).
 */
function jointPathSteps(density: MathJson, scope: Scope, ev: Evaluator) {
  if (!Array.isArray(density) || density[0] !== "InvisibleOperator") return undefined;
  if (readRef(density[1])?.name !== "q" || !isDelimiter(density[2])) return undefined;
  const items = delimiterItems(density[2]);
  const last = items[items.length - 1];
  if (items.length < 2 || !Array.isArray(last) || last[0] !== "Divides") return undefined;
  const targets = [...items.slice(0, -1), last[1]].map(readRef);
  const given = readRef(last[2]);
  if (targets.some((r) => r?.name !== "x") || given?.name !== "x") return undefined;
  const schedule = (ev.ctx as { schedule?: Schedule }).schedule;
  if (!schedule || readSub(given, scope, ev) !== 0) return undefined;
  const steps = targets.map((r) => readSub(r!, scope, ev));
  const twice = steps.find((x, i) => steps.indexOf(x) !== i);
  if (twice !== undefined) {
    // q(x_t, x_t, x_{t+1} | x_0) is no joint density: a path average would hide the slip
    throw new TypesetError(
      `Cannot evaluate the printed equation as ${plain(density)} lists x_${twice} twice`,
      "typeset-unbound",
    );
  }
  return { name: "x", range: { from: 1, to: schedule.T } };
}

/**
 * `\mathbb{E}_{q(x_{1:T} \mid x_0)}[f]` by Monte Carlo over forward paths from the sample point's
 * x_0, and `\mathbb{E}_{q(x_{0:T})}[f]` over forward paths whose x_0 is drawn from the context's
 * data (`path_expectation.ts`).
 */
function overPaths(
  path: { name: string; range: { from: number; to: number } },
  body: (inner: Scope) => Num,
  scope: Scope,
  ev: Evaluator,
): Num {
  const { schedule, data } = ev.ctx as { schedule?: Schedule; data?: Mixture };
  const x0 = path.range.from === 0 ? data : scope.get(varKey(path.name, 0))?.v;
  const { from, to } = path.range;
  if (!schedule || x0 === undefined || from > 1 || to !== schedule.T) {
    throw unbound(`an expectation over ${path.name}_{${from}:${to}}`);
  }
  const paths = (ev.ctx as { paths?: number }).paths;
  return pathExpectation(schedule, x0, (xs) => {
    const inner = new Map(scope);
    xs.forEach((x, t) => inner.set(varKey(path.name, t), n.exact(x, 0)));
    return body(inner);
  }, paths);
}

/**
 * `\mathbb{E}_{q(x_0)}\,\mathbb{E}_{q(x_{1:T} \mid x_0)}[f]` is `\mathbb{E}_{q(x_{0:T})}[f]` (the tower
 * rule), and so is `\mathbb{E}_{q(x_0)}[\mathrm{KL}(q(x_{1:T} \mid x_0) \Vert B)]` with f = log(q / B):
 * one Monte Carlo over whole paths whose x_0 is drawn from the data, not a quadrature over x_0 of
 * Monte Carlo means. Undefined when the expression has another shape.
 */
function towerOverPaths(variable: MathJson, rest: MathJson[], scope: Scope, ev: Evaluator) {
  const v = readRef(variable);
  if (v?.name !== "x" || v.sub !== 0) return;
  let xs = rest.filter((x) => !isSpacing(x));
  if (xs.length === 1 && Array.isArray(xs[0]) && xs[0][0] === "At") xs = xs[0].slice(1);
  const head = readRef(xs[0]);
  const fromOne = (density: MathJson | undefined) => {
    const app = Array.isArray(density) && density[0] === "InvisibleOperator" ? density : [];
    const d = app.find((x) => isDelimiter(x));
    const first = d ? delimiterItems(d)[0] : undefined;
    const target = Array.isArray(first) && first[0] === "Divides" ? first[1] : undefined;
    const path = target === undefined ? undefined : pathOf(target, scope, ev);
    return path?.range.from === 1
      ? { name: path.name, range: { from: 0, to: path.range.to } }
      : undefined;
  };
  if (head?.name === "bbE" && head.sub !== undefined) {
    const whole = fromOne(head.sub);
    if (whole) forwardOnly(head.sub);
    if (whole) return overPaths(whole, (at) => juxtaposition(xs.slice(1), at, ev), scope, ev);
  }
  const kl = xs.length === 1 && Array.isArray(xs[0]) && xs[0][0] === "InvisibleOperator"
    ? xs[0]
    : [];
  if (kl.length === 3 && readRef(kl[1])?.name === "KL" && isDelimiter(kl[2])) {
    const [a, b] = delimiterItems(kl[2]);
    const whole = b === undefined ? undefined : fromOne(a);
    if (whole) {
      forwardOnly(a);
      return overPaths(
        whole,
        (at) => n.log(n.div(evaluate(a, at, ev), evaluate(b, at, ev))),
        scope,
        ev,
      );
    }
  }
}

/** Paths are drawn from the forward chain: an expectation or KL over another path law is unbound. */
function forwardOnly(density: MathJson): void {
  const head = Array.isArray(density) && density[0] === "InvisibleOperator"
    ? readRef(density[1])
    : undefined;
  if (head?.name !== "q" || head.sub !== undefined) {
    throw unbound(`an expectation over paths drawn from ${plain(density)} (only q's are sampled)`);
  }
}

/**
 * `\mathbb{E}_q[f]` and `\mathbb{E}_{q(x_0, x_t)}[f]`: an expectation under the forward chain's
 * joint of several steps (or of all, written as a bare q) is one over whole paths from q(x_{0:T}).
 */
function jointForward(sub: MathJson, ev: Evaluator) {
  const bare = readRef(sub);
  if (bare?.name === "q" && bare.sub === undefined && bare.primes === 0) {
    return { name: "x", range: { from: 0, to: scheduleOf(ev).T } };
  }
  const app = Array.isArray(sub) && sub[0] === "InvisibleOperator" && sub.length === 3 ? sub : [];
  if (readRef(app[1])?.name !== "q" || !isDelimiter(app[2])) return undefined;
  const items = delimiterItems(app[2]);
  const steps = items.map((j) => readRef(j)).filter((r) => r?.name === "x" && r.sub !== undefined);
  if (items.length < 2 || steps.length !== items.length) return undefined;
  return { name: "x", range: { from: 0, to: scheduleOf(ev).T } };
}

function scheduleOf(ev: Evaluator): Schedule {
  const schedule = (ev.ctx as { schedule?: Schedule }).schedule;
  if (!schedule) throw unbound("an expectation over the forward chain without a schedule");
  return schedule;
}

/**
 * `\int g\, dx_{1:T}` (or dx_{0:T}): importance sampling with the forward path density as the
 * proposal, ∫ g = 𝔼_{q}[g / q], so a T-dimensional integral is a Monte Carlo mean over paths.
 */
function pathIntegral(
  path: { name: string; range: { from: number; to: number } },
  body: MathJson,
  scope: Scope,
  ev: Evaluator,
): Num {
  const q = entryOf({ name: "q", primes: 0 }, ev, true);
  if (q.kind !== "density") throw unbound("the forward path density q behind a path integral");
  const target = { value: n.exact(NaN, 0), variable: { name: path.name, path: path.range } };
  return overPaths(
    path,
    (inner) => {
      const given = path.range.from === 0
        ? []
        : [{ value: inner.get(varKey(path.name, 0))!, variable: { name: path.name, index: 0 } }];
      const proposal = q.apply({ targets: [target], given, params: [] }, ev.ctx, undefined, inner);
      return n.div(evaluate(body, inner, ev), proposal);
    },
    scope,
    ev,
  );
}

/** ∇_{x} f: five-point central difference in the variable, truncation error from h vs 2h. */
function gradient(ref: Ref, rest: MathJson[], scope: Scope, ev: Evaluator): Num {
  let variable: { name: string; index?: number };
  if (ref.sub !== undefined) {
    const r = readRef(ref.sub);
    if (!r) throw unbound(`\\nabla_{${plain(ref.sub)}}`);
    const sub = readSub(r, scope, ev);
    variable = { name: r.name, index: typeof sub === "number" ? sub : undefined };
  } else {
    // the one variable the functions after ∇ are applied to (∇ log q_σ(x̃)), else x_t
    const own = appliedVariable(rest, scope, ev);
    const t = scope.get("t");
    if (!own && !t) throw unbound("\\nabla without a subscript outside a step t");
    variable = own ?? { name: "x", index: t!.v };
  }
  const key = varKey(variable.name, variable.index);
  const x = scope.get(key);
  if (!x) throw unbound(`\\nabla in ${key}, which has no value here`);
  const f = (dx: number) => {
    const inner = new Map(scope);
    inner.set(key, n.exact(x.v + dx));
    return juxtaposition(rest, inner, ev);
  };
  const d5 = (h: number) => (-f(2 * h).v + 8 * f(h).v - 8 * f(-h).v + f(-2 * h).v) / (12 * h);
  const h = 1e-3 * Math.max(1, Math.abs(x.v));
  const a = d5(h), b = d5(2 * h);
  const f0 = f(0);
  return { v: a, e: Math.abs(a - b) / 15 + 20 * (f0.e + Math.abs(f0.v) * n.ULP) / h };
}

/** The one variable (bound as a variable, with a value here) written as an argument in `js`. */
function appliedVariable(js: MathJson[], scope: Scope, ev: Evaluator) {
  const found = new Map<string, { name: string; index?: number }>();
  const walk = (j: MathJson) => {
    if (!Array.isArray(j)) return;
    if (j[0] === "Delimiter") {
      for (const item of delimiterItems(j).flatMap(delimiterItemsNested)) {
        const ref = readRef(item);
        const b = ref && boundOf(ref, ev);
        if (ref && (b?.entry.kind === "variable" || b?.alt?.kind === "variable")) {
          const sub = readSub(ref, scope, ev);
          const v = { name: ref.name, index: typeof sub === "number" ? sub : undefined };
          if (scope.has(varKey(v.name, v.index))) found.set(varKey(v.name, v.index), v);
        }
      }
    }
    j.slice(1).forEach(walk);
  };
  js.forEach(walk);
  return found.size === 1 ? [...found.values()][0] : undefined;
}

/**
 * f'(x, …): a five-point central difference of the bound function f in its first argument, with
 * its truncation error from h against 2h (as ∇) and the rounding of f over h.
 */
function derivative(f: MathJson, xs: MathJson[], scope: Scope, ev: Evaluator): Num {
  const items = xs.length === 1 && isDelimiter(xs[0]) ? delimiterItems(xs[0]) : xs;
  if (items.length === 0) throw unbound(`the derivative ${plain(f)}' without an argument`);
  const x = evaluate(items[0], scope, ev);
  const at = (dx: number) =>
    juxtaposition([f, ["Delimiter", ["Sequence", x.v + dx, ...items.slice(1)]]], scope, ev);
  const d5 = (h: number) => (-at(2 * h).v + 8 * at(h).v - 8 * at(-h).v + at(-2 * h).v) / (12 * h);
  const h = 1e-4 * Math.max(1, Math.abs(x.v));
  const a = d5(h), b = d5(2 * h);
  const f0 = at(0);
  return { v: a, e: Math.abs(a - b) / 15 + 20 * (f0.e + Math.abs(f0.v) * n.ULP) / h };
}

/**
 * The binding name of an expression's head symbol: the left side of a relation, the function of an
 * application, the symbol itself (`\bar\alpha_t` → `alphaBar`, `\epsilon_\theta(x_t, t)` →
 * `epsilon_theta`, `\nabla_{x_t} \log q` → `Grad`).
 *
 * @param j a parsed expression
 * @returns the name, or undefined when the head is not a symbol
 */
export function headSymbol(j: MathJson): string | undefined {
  const ref = readRef(j);
  if (ref) {
    const tag = typeof ref.sub === "string" && /^[a-zA-Z]{2,}$/.test(ref.sub) ? `_${ref.sub}` : "";
    return ref.name + tag;
  }
  if (!Array.isArray(j)) return undefined;
  const [head, ...rest] = j;
  if (head === "Sequence" || head === "Delimiter") {
    return rest[0] === undefined ? undefined : headSymbol(rest[0]);
  }
  if (
    typeof head === "string" &&
    /^(Equal|Less|Greater|LessEqual|GreaterEqual|Element|Power|InvisibleOperator|Subscript|Log|Multiply|Divides|At|Apply|Derivative|Prime)$/
      .test(head)
  ) {
    return rest.length > 0 ? headSymbol(rest[0]) : undefined;
  }
  return typeof head === "string" && /^[A-Z][a-z]/.test(head) &&
      !/^(Add|Subtract|Negate)$/.test(head)
    ? head
    : undefined;
}

/** The variable a density expression is a density of: `q(x_{t-1} \mid …)` → x_{t-1}. */
function densityVariable(j: MathJson): MathJson {
  const items = Array.isArray(j) && j[0] === "InvisibleOperator" ? j.slice(1) : [j];
  const d = items.find((x) => isDelimiter(x));
  const first = d ? delimiterItems(d)[0] : undefined;
  const v = Array.isArray(first) && first[0] === "Divides" ? first[1] : first;
  if (v === undefined) throw unbound(`the density ${plain(j)}`);
  return v;
}

/**
 * The key, at a sample point, of the variable a density expression is a density of
 * (`q(x_{t-1} \mid x_t, x_0)` at t = 5 → `x@4`), or undefined when the expression is not a
 * density application: what a `\propto` is proportional in.
 *
 * @param j a parsed side
 * @param scope the sample point
 * @param ev binding, context and grids
 * @returns the variable's key, or undefined
 */
export function densityTargetKey(j: MathJson, scope: Scope, ev: Evaluator): string | undefined {
  if (!Array.isArray(j) || j[0] !== "InvisibleOperator" || !isDelimiter(j[2])) return undefined;
  const ref = readRef(densityVariable(j));
  if (!ref) return undefined;
  const sub = readSub(ref, scope, ev);
  return varKey(ref.name, typeof sub === "number" ? sub : undefined, ref.primes);
}

/** KL(A ‖ B) = ∫ A log(A / B) over A's variable, by quadrature (zero where A underflows). */
function divergence(delim: MathJson, scope: Scope, ev: Evaluator): Num {
  const items = delimiterItems(delim);
  if (items.length !== 2) throw unbound(`a KL with ${items.length} arguments`);
  const [a, b] = items;
  const path = isLaw(a) ? undefined : pathOf(densityVariable(a), scope, ev);
  if (path) {
    forwardOnly(a);
    // a KL between path densities: 𝔼_A[log(A / B)] by Monte Carlo over A's forward paths
    return overPaths(
      path,
      (inner) => {
        const pa = evaluate(a, inner, ev);
        return n.log(n.div(pa, evaluate(b, inner, ev)));
      },
      scope,
      ev,
    );
  }
  // KL(N(m, v) ‖ N(m', v')) between laws written without a variable: over the law's variable
  const v = isLaw(a) && isLaw(b)
    ? { name: LAW_VARIABLE }
    : integrationVariable(densityVariable(a), scope, ev);
  const closed = closedFormKl(a, b, v, scope, ev);
  if (closed) return closed;
  return quadrature(
    v,
    (inner) => {
      const pa = evaluate(a, inner, ev);
      if (pa.v === 0) return n.exact(0, 0);
      return n.mul(pa, n.log(n.div(pa, evaluate(b, inner, ev))));
    },
    scope,
    ev,
  );
}

/** `\mathcal{N}(m, v)`: a Gaussian law written without its variable (two items, no `;`). */
function isLaw(j: MathJson): boolean {
  if (!Array.isArray(j) || j[0] !== "InvisibleOperator" || readRef(j[1])?.name !== "calN") {
    return false;
  }
  const d = j[2];
  return isDelimiter(d) && (d as MathJson[])[2] !== "'(;)'" && delimiterItems(d).length === 2;
}

/** KL(A ‖ B) by the closed form when both are Gaussians in A's variable (`gaussian_kl.ts`). */
function closedFormKl(
  a: MathJson,
  b: MathJson,
  v: { name: string; index?: number },
  scope: Scope,
  ev: Evaluator,
): Num | undefined {
  const key = varKey(v.name, v.index);
  const at = (j: MathJson) => (x: number) => evaluate(j, new Map(scope).set(key, n.exact(x)), ev);
  // a law N(m, v) is fitted from its mean, where its density cannot underflow
  const start = isLaw(a)
    ? evaluate(delimiterItems((a as MathJson[])[2])[0], scope, ev).v
    : (scope.get(key)?.v ?? 0);
  const ga = fitGaussian(at(a), start);
  const gb = ga && fitGaussian(at(b), ga.mean.v);
  return ga && gb ? gaussianKl(ga, gb) : undefined;
}

/** Primed variables a body uses that the sample point does not set (`y'` in `\sum_{y'}`). */
function freePrimed(j: MathJson, scope: Scope, out = new Set<string>()): Set<string> {
  const ref = readRef(j);
  if (ref && ref.primes > 0 && ref.sub === undefined) {
    const key = varKey(ref.name, undefined, ref.primes);
    if (!scope.has(key)) out.add(key);
  } else if (Array.isArray(j)) j.slice(1).forEach((x) => freePrimed(x, scope, out));
  return out;
}

/**
 * `\sum_{y'} …`: the parser keeps no limits for a sum over a named index, so the index is the one
 * primed variable the body uses and the sample point does not set, and its range is the context's
 * (`ctx.ranges[name]`, e.g. the class labels).
 */
function sumOverRange(body: MathJson, scope: Scope, ev: Evaluator): Num {
  const free = [...freePrimed(body, scope)];
  if (free.length !== 1) {
    throw unbound(`a \\sum without limits over ${free.join(", ") || "no index"}`);
  }
  const ranges = (ev.ctx as { ranges?: Record<string, number[]> }).ranges;
  const range = ranges?.[free[0].replace(/'+$/, "")];
  if (!range) throw unbound(`the range of ${free[0]} (set ctx.ranges)`);
  let acc = n.exact(0, 0);
  for (const v of range) {
    const inner = new Map(scope);
    inner.set(free[0], n.exact(v, 0));
    acc = n.add(acc, evaluate(body, inner, ev));
  }
  return acc;
}

/** The one step variable x_s an expression uses (for an unsubscripted expectation). */
function singleVariable(js: MathJson[], ev: Evaluator): MathJson {
  const found: MathJson[] = [];
  const walk = (j: MathJson) => {
    const ref = readRef(j);
    if (ref && ref.name === "x" && ref.sub !== undefined) {
      if (!found.some((f) => JSON.stringify(f) === JSON.stringify(j))) found.push(j);
    } else if (Array.isArray(j) && j[0] === "Divides") {
      walk(j[2]); // in E[a | b] or Var(a | b) the target a is averaged inside: only b is free
    } else if (Array.isArray(j)) j.slice(1).forEach(walk);
  };
  js.forEach(walk);
  if (found.length !== 1 || !ev.binding.q) {
    throw unbound(
      `an expectation \\mathbb{E} without a written distribution over ${found.length} variables`,
    );
  }
  return found[0];
}
