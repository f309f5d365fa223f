/**
 * What a symbol means numerically: the shape of the notation binding (`notation_binding.ts`) and
 * of the symbols a chapter defines for its own example (`checks/NN-slug.typeset.ts`).
 *
 * A symbol is looked up by its name with decorations spelled as suffixes, the way the code names
 * them: `\bar\alpha` is `alphaBar`, `\tilde\mu` is `muTilde`, `\hat\epsilon` is `epsilonHat`,
 * `\mathcal{N}` is `calN`, `\mathbb{E}` is `bbE`. Subscripts are read by the evaluator and handed
 * over: as a number when the subscript is a step (`\alpha_{t-1}` at t = 5 gives 4), as text when it
 * is a tag (`\epsilon_\theta` gives "theta").
 *
 * @module
 */
import type { Num } from "./num.ts";
import type { Rng } from "../../../engine/rng.ts";

/**
 * The variable of a Gaussian law written without one, `\mathcal{N}(m, v)`: a KL between two laws
 * integrates over it, and a display that equates a density of x with a law sets it to x's value.
 */
export const LAW_VARIABLE = "law";

/** The sample point an entry is evaluated at (scalars such as `t`, variables such as `x@4`). */
export type Point = ReadonlyMap<string, Num>;

/** A value handed to a function or density, with the variable it came from when it was one. */
export interface Arg {
  value: Num;
  /** The variable written, e.g. `{ name: "x", index: 4 }` for `x_{t-1}` at t = 5. */
  variable?: { name: string; index?: number; path?: PathRange };
}

/** A conditional density's arguments, read from `q(a \mid b, c)` or `\mathcal{N}(x; m, v)`. */
export interface DensityArgs {
  /** Left of `\mid` (or before `;`), e.g. `x_{t-1}`. */
  targets: Arg[];
  /** Right of `\mid`, e.g. `x_t, x_0`. */
  given: Arg[];
  /** After `;`: parameters, e.g. the mean and variance of `\mathcal{N}(x; m, v)`. */
  params: Arg[];
}

/** The subscript of a symbol as the evaluator read it. */
export type Sub = number | number[] | string | PathRange | undefined;

/** The subscript of a path, `x_{0:T}`: the steps it runs over. */
export interface PathRange {
  from: number;
  to: number;
}

/**
 * Draws a variable from its law at a point that holds the variables drawn before it (x̃ reads x).
 */
export type VariableDraw<C = Context> = (rng: Rng, ctx: C, sub: Sub, point: Point) => number;

/**
 * Draws target `k` of a density given its conditioning; targets before `k` hold their drawn
 * values, the others NaN (`q(x_{t-1}, x_t \mid x_0)` draws x_{t-1}, then x_t given it).
 */
export type DensityDraw<C = Context> = (
  args: DensityArgs,
  k: number,
  rng: Rng,
  ctx: C,
  sub: Sub,
  point: Point,
) => number;

/** What the chapter's example gives every symbol to work with (its schedule, data, model). */
export type Context = Record<string, unknown>;

/** One symbol's meaning. */
export type Entry<C = Context> =
  /** A number that depends on nothing but the context (T, I in one dimension). */
  | { kind: "constant"; value: (ctx: C, sub: Sub, point: Point) => Num }
  /** A number per step: `\beta_t` → `schedule.betas[t]`. */
  | { kind: "indexed"; at: (i: number, ctx: C, sub: Sub, point: Point) => Num }
  /**
   * A point: its value comes from the sample point (`x_t`, `\epsilon`, `z`, `y`); `draw`, its law,
   * is what an expectation over it written by name (`\mathbb{E}_{t, x_0, \epsilon}`) samples.
   */
  | { kind: "variable"; draw?: VariableDraw<C> }
  /** A function of plain values: `\tilde\mu_t(x_t, x_0)`, `\epsilon_\theta(x_t, t)`. */
  | { kind: "function"; apply: (args: Arg[], ctx: C, sub: Sub, point: Point) => Num }
  /**
   * A density, read with its conditioning: `q(x_t \mid x_0)`, `\mathcal{N}(x; m, v)`; `draw`
   * samples it where an expectation is written over it (`\mathbb{E}_{q(x)\,q_\sigma(\tilde x \mid x)}`).
   */
  | {
    kind: "density";
    apply: (args: DensityArgs, ctx: C, sub: Sub, point: Point) => Num;
    draw?: DensityDraw<C>;
  }
  /** Read by the evaluator itself (`\mathbb{E}`, `\nabla`, `\mathrm{KL}`), and how. */
  | { kind: "operator"; how: string }
  /** Written in the book but not numeric (a set of parameters, a whole path), and why. */
  | { kind: "unbound"; reason: string };

/** A binding: symbol name → entry, with the LaTeX the notation chapter prints for it. */
export interface BoundSymbol<C = Context> {
  /** The notation chapter's LaTeX for the symbol, e.g. `\bar\alpha_t`. */
  latex: string;
  entry: Entry<C>;
  /**
   * The other meaning of the same letter, used when the symbol is written the other way (applied
   * to arguments or not): `\pi(x)` is the invariant density, `\pi_k` a mixture weight.
   */
  alt?: Entry<C>;
}

/** Symbol name → its binding. */
export type Binding<C = Context> = Record<string, BoundSymbol<C>>;
