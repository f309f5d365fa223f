/**
 * Monte Carlo for an expectation over several variables, as printed: `\mathbb{E}_{t, x_0,
 * \epsilon}[…]` (by name), `\mathbb{E}_{t \sim \mathcal{U}\{1,\dots,T\},\ \epsilon \sim
 * \mathcal{N}(0, I)}` (with written laws), `\mathbb{E}_{q(x)\,q_\sigma(\tilde x \mid x)}` (a
 * product of densities) or `\mathbb{E}_{q(x_{t-1}, x_t \mid x_0)}` (several targets). Each
 * variable is drawn in the written order from the law the notation binding gives it (a variable's
 * `draw`, a density's `draw`), or from the law written beside it: 𝒰{a, …, b} uniform on the
 * integers, 𝒩(m, v) Gaussian. A variable drawn later reads the ones drawn before it (x̃ from
 * q(x̃ | x) reads x).
 *
 * Draw i of every expectation comes from its own generator seeded by {@link JOINT_SEED} and i, so
 * the sides of one equation see the same draws (common random numbers): where two sides average
 * over the same variables their difference carries no sampling noise of its own, and a typo that
 * moves one side is not hidden by an independent sample's scatter. The error bound is
 * {@link K_SE} standard errors of the mean plus the body's own mean error bound.
 *
 * @module
 */
import { createRng, type Rng } from "../../../engine/rng.ts";
import { exact, type Num } from "./num.ts";
import { type MathJson, TypesetError } from "./parse.ts";
import { K_SE } from "./path_expectation.ts";

/** The sample point (as in `evaluate.ts`). */
type Scope = ReadonlyMap<string, Num>;

/** Draws per expectation unless the context sets `jointSamples`: 4 SE ≈ 0.12 sd of the body. */
export const JOINT_SAMPLES = 1024;
/** The seed of draw 0; draw i is seeded by `JOINT_SEED * 65536 + i` (reproducible checks). */
export const JOINT_SEED = 20;

/** What the evaluator lends this module to read a subscript (see `evaluate.ts`). */
export interface JointReader {
  /** The value of an expression at a point. */
  value: (j: MathJson, point: Scope) => Num;
  /** Whether an expression is a variable the binding knows (`t`, `x_0`, `\tilde x`, `\epsilon`). */
  isVariable: (j: MathJson) => boolean;
  /** Draws a variable written by name from its binding's law and sets it in the point. */
  drawVariable: (j: MathJson, rng: Rng, point: Map<string, Num>) => void;
  /** Whether a variable written by name has the law {@link standardNormal}. */
  isStandardNormal: (j: MathJson) => boolean;
  /** Sets a variable written `v \sim law` to a value drawn from the written law. */
  setVariable: (j: MathJson, value: number, point: Map<string, Num>) => void;
  /** The targets of a density application `q(a, b \mid c)` (here: a, b). */
  targets: (app: MathJson) => MathJson[];
  /** Draws target k of a density application from its binding's law and sets it in the point. */
  drawDensity: (app: MathJson, k: number, rng: Rng, point: Map<string, Num>) => void;
}

/** One variable's law: what it is (for messages) and how to draw it into a point. */
export interface Law {
  text: string;
  draw: (rng: Rng, point: Map<string, Num>) => void;
  /** A Gaussian law: its mean and variance at the point, and how to set the variable's value. */
  normal?: {
    params: (point: Scope) => [number, number];
    set: (v: number, point: Map<string, Num>) => void;
  };
}

/**
 * The standard normal law, as a binding's `draw` (ε, z): a variable with this law that is an
 * expectation's only variable is integrated by quadrature instead of sampled (see
 * {@link jointExpectation}).
 */
export const standardNormal = (rng: Rng): number => rng.normal();

/** Nodes of the quadrature over a lone Gaussian variable, on its mean ± 10 sd (odd: halvable). */
export const NORMAL_NODES = 65;

function unbound(what: string): TypesetError {
  return new TypesetError(
    `Cannot evaluate the printed equation as ${what} has no binding: bind it in the notation ` +
      `binding (lib/book/typeset/notation_binding.ts) or the chapter's typeset context`,
    "typeset-unbound",
  );
}

const isDelimiter = (j: MathJson): j is MathJson[] => Array.isArray(j) && j[0] === "Delimiter";

/** The items of `(a, b)` or `\{a, …, b\}`: a Sequence's items, else the one body. */
function items(delim: MathJson[]): MathJson[] {
  const body = delim[1];
  return Array.isArray(body) && body[0] === "Sequence" ? body.slice(1) : [body];
}

/** The applications `f(…)` of a product `q(x)\,q_\sigma(\tilde x \mid x)`, or undefined. */
function applications(j: MathJson): MathJson[] | undefined {
  if (!Array.isArray(j) || j[0] !== "InvisibleOperator") return undefined;
  const xs = j.slice(1).filter((x) => !(Array.isArray(x) && x[0] === "HorizontalSpacing"));
  if (xs.length < 2 || xs.length % 2 !== 0) return undefined;
  const apps: MathJson[] = [];
  for (let i = 0; i < xs.length; i += 2) {
    if (isDelimiter(xs[i]) || !isDelimiter(xs[i + 1])) return undefined;
    apps.push(["InvisibleOperator", xs[i], xs[i + 1]]);
  }
  return apps;
}

/** `\mathcal{U}\{a, …, b\}` (parsed as When or an application) → its list, else undefined. */
function uniformList(law: MathJson): MathJson[] | undefined {
  if (!Array.isArray(law) || law.length !== 3) return undefined;
  const [head, name, list] = law;
  if ((head === "When" || head === "InvisibleOperator") && name === "U_calligraphic") {
    return isDelimiter(list) ? items(list).filter((x) => x !== "ContinuationPlaceholder") : [list];
  }
  return undefined;
}

/** `\mathcal{N}(m, v)` written without its variable → [m, v], else undefined. */
function normalParams(law: MathJson): MathJson[] | undefined {
  if (!Array.isArray(law) || law[0] !== "InvisibleOperator" || law.length !== 3) return undefined;
  const [, name, d] = law;
  if (name !== "N_calligraphic" || !isDelimiter(d) || d[2] === "'(;)'") return undefined;
  const ps = items(d);
  return ps.length === 2 ? ps : undefined;
}

/** The law written beside a variable, `v \sim \mathcal{U}\{…\}` or `v \sim \mathcal{N}(m, v)`. */
function writtenLaw(v: MathJson, law: MathJson, reader: JointReader): Law | undefined {
  const text = JSON.stringify(v);
  const list = uniformList(law);
  if (list) {
    return {
      text,
      draw: (rng, point) => {
        const [lo, hi] = [list[0], list[list.length - 1]].map((x) => reader.value(x, point).v);
        if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
          throw new RangeError(
            `Cannot draw from 𝒰{a, …, b} as a and b must be integers with a ≤ b: current ` +
              `values are ${lo} and ${hi}`,
          );
        }
        reader.setVariable(v, lo + rng.int(hi - lo + 1), point);
      },
    };
  }
  const params = normalParams(law);
  if (params) {
    const at = (point: Scope) => params.map((x) => reader.value(x, point).v) as [number, number];
    const set = (x: number, point: Map<string, Num>) => reader.setVariable(v, x, point);
    return {
      text,
      draw: (rng, point) => {
        const [m, s2] = at(point);
        set(m + Math.sqrt(s2) * rng.normal(), point);
      },
      normal: { params: at, set },
    };
  }
  return undefined;
}

/** The laws of one density application: one per target, drawn in the written order. */
function densityLaws(app: MathJson, reader: JointReader): Law[] {
  return reader.targets(app).map((target, k) => ({
    text: JSON.stringify(target),
    draw: (rng, point) => reader.drawDensity(app, k, rng, point),
  }));
}

/**
 * Whether an expectation's subscript is one this module reads (several variables, a variable by
 * name, a written 𝒰 or 𝒩 law, a product of densities, a density of several targets). A single
 * density of one variable (`\mathbb{E}_{q(x_t \mid x_0)}`) stays with the evaluator's quadrature.
 *
 * @param sub the subscript of `\mathbb{E}`
 * @param reader the evaluator's reader
 * @returns true when {@link jointLaws} reads it
 * @example
 * ```ts
 * import { isJointSubscript, type JointReader } from "./joint_expectation.ts";
 * const reader = {
 *   isVariable: (j: unknown) => j === "epsilon",
 *   targets: () => ["x_0"],
 * } as unknown as JointReader;
 * if (!isJointSubscript("epsilon", reader)) throw new Error("a variable by name");
 * if (isJointSubscript(["InvisibleOperator", "q", ["Delimiter", "x_0"]], reader)) {
 *   throw new Error("one density of one variable is quadrature");
 * }
 * ```
 */
export function isJointSubscript(sub: MathJson, reader: JointReader): boolean {
  if (reader.isVariable(sub)) return true;
  if (isDelimiter(sub)) return items(sub).length > 1;
  if (Array.isArray(sub) && sub[0] === "Tilde") {
    return writtenLaw(sub[1], sub[2], reader) !== undefined;
  }
  const apps = applications(sub);
  if (!apps) return false;
  return apps.length > 1 || reader.targets(apps[0]).length > 1;
}

/**
 * The laws of an expectation's subscript, in the written order.
 *
 * @param sub the subscript of `\mathbb{E}`
 * @param reader the evaluator's reader
 * @returns one law per variable
 */
export function jointLaws(sub: MathJson, reader: JointReader): Law[] {
  const parts = isDelimiter(sub) ? items(sub) : [sub];
  return parts.flatMap((part): Law[] => {
    if (Array.isArray(part) && part[0] === "Tilde") {
      const [, v, law] = part;
      const written = writtenLaw(v, law, reader);
      if (written) return [written];
      const apps = applications(law);
      const targets = apps?.length === 1 ? reader.targets(apps[0]) : [];
      if (targets.length === 1 && JSON.stringify(targets[0]) === JSON.stringify(v)) {
        return densityLaws(apps![0], reader);
      }
      throw unbound(`the law ${JSON.stringify(law)} of ${JSON.stringify(v)}`);
    }
    if (reader.isVariable(part)) {
      const set = (x: number, point: Map<string, Num>) => reader.setVariable(part, x, point);
      return [{
        text: JSON.stringify(part),
        draw: (rng, point) => reader.drawVariable(part, rng, point),
        normal: reader.isStandardNormal(part) ? { params: () => [0, 1], set } : undefined,
      }];
    }
    const apps = applications(part);
    if (apps) return apps.flatMap((app) => densityLaws(app, reader));
    throw unbound(`the expectation's variable ${JSON.stringify(part)}`);
  });
}

/**
 * The mean of `body` over `samples` joint draws of the laws, with a {@link K_SE}-standard-error
 * bound; draw i is the same for every call (common random numbers).
 *
 * @param laws the variables' laws, in order
 * @param body the integrand at a point holding the drawn variables
 * @param point the sample point the expectation is taken at (its other values stay)
 * @param samples how many draws (at least 2)
 * @returns the estimate with its error bound
 * @example
 * ```ts
 * import { jointExpectation } from "./joint_expectation.ts";
 * // E[u + e^2] with u uniform on {1, 2, 3} and e standard normal: 2 + 1
 * const laws = [
 *   { text: "u", draw: (rng: { int(n: number): number }, p: Map<string, unknown>) => void p.set("u", { v: 1 + rng.int(3), e: 0 }) },
 *   { text: "e", draw: (rng: { normal(): number }, p: Map<string, unknown>) => void p.set("e", { v: rng.normal(), e: 0 }) },
 * ];
 * const r = jointExpectation(laws as never, (p) => ({ v: p.get("u")!.v + p.get("e")!.v ** 2, e: 0 }), new Map(), 4000);
 * if (Math.abs(r.v - 3) > r.e || r.e > 0.2) throw new Error(`${r.v} ± ${r.e}`);
 * ```
 */
export function jointExpectation(
  laws: Law[],
  body: (point: Scope) => Num,
  point: Scope,
  samples = JOINT_SAMPLES,
): Num {
  if (laws.length === 1 && laws[0].normal) return overNormal(laws[0].normal, body, point);
  if (!(Number.isInteger(samples) && samples >= 2)) {
    throw new RangeError(
      `Cannot estimate a joint expectation as samples must be an integer ≥ 2: current value is ` +
        samples,
    );
  }
  let sum = 0, sumSq = 0, err = 0;
  for (let i = 0; i < samples; i++) {
    const rng = createRng(JOINT_SEED * 65536 + i);
    const inner = new Map(point);
    for (const law of laws) law.draw(rng, inner);
    const y = body(inner);
    if (!Number.isFinite(y.v)) {
      const drawn = laws.map((l) => l.text).join(", ");
      throw new RangeError(
        `Cannot estimate the expectation over ${drawn} as the body is ${y.v} at draw ${i}`,
      );
    }
    sum += y.v;
    sumSq += y.v * y.v;
    err += y.e;
  }
  const mean = sum / samples;
  const variance = Math.max(0, (sumSq - samples * mean * mean) / (samples - 1));
  return { v: mean, e: K_SE * Math.sqrt(variance / samples) + err / samples + exact(mean).e };
}

/**
 * E[f(x)] for one Gaussian x ~ N(m, v): the trapezoid rule on m ± 10 sd with {@link NORMAL_NODES}
 * nodes (for a smooth f against the Gaussian weight it converges faster than any power of the
 * step), its error estimated by the same rule on every other node, plus the body's error bound and
 * the mass beyond 10 sd (below 2e-23) times the largest |f| at the ends.
 */
function overNormal(
  law: NonNullable<Law["normal"]>,
  body: (point: Scope) => Num,
  point: Scope,
): Num {
  const [m, v] = law.params(point);
  if (!(v > 0)) {
    throw new RangeError(
      `Cannot integrate over a Gaussian as its variance must be > 0: current value is ${v}`,
    );
  }
  const sd = Math.sqrt(v), n = NORMAL_NODES, h = 20 / (n - 1);
  let fine = 0, coarse = 0, err = 0, edges = 0;
  for (let i = 0; i < n; i++) {
    const z = -10 + i * h, inner = new Map(point);
    law.set(m + sd * z, inner);
    const y = body(inner);
    if (!Number.isFinite(y.v)) {
      throw new RangeError(
        `Cannot integrate over a Gaussian as the body is ${y.v} at ${m + sd * z}`,
      );
    }
    const w = (i === 0 || i === n - 1 ? 0.5 : 1) * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    fine += w * y.v * h;
    if (i % 2 === 0) coarse += w * y.v * 2 * h;
    err += w * y.e * h;
    if (i === 0 || i === n - 1) edges = Math.max(edges, Math.abs(y.v));
  }
  return { v: fine, e: Math.abs(fine - coarse) + err + 2e-23 * edges + exact(fine).e * n };
}
