/**
 * Evaluates one printed display equation: each statement's relations, side against side, at every
 * sample point of every context the chapter gives (schedules, data), and says where it disagrees.
 * `a \propto b` is proportionality in the variable of the chain's density: the ratio a / b at the
 * point and with that variable moved must agree within their error bounds. `a \approx b` is
 * compared where the display's marker states its order (`.approx in="\Sigma" order="…"`): both
 * sides are read as densities of the left side's variable on a grid, at the case and at the case
 * refined to Σ/2, Σ/4 and Σ/8, and each measure's error must shrink at the stated order
 * (`approx_order.ts`).
 *
 * @module
 */
import type { Binding, Context } from "./binding.ts";
import type { Display } from "./displays.ts";
import {
  densityTargetKey,
  evaluate,
  type Evaluator,
  type Grid,
  plain,
  type Scope,
} from "./evaluate.ts";
import { splitStatements } from "./latex.ts";
import * as n from "./num.ts";
import type { Num } from "./num.ts";
import { type MathJson, TypesetError } from "./parse.ts";
import { readStatement } from "./sde.ts";
import { relationChain, type RelationOp } from "./relations.ts";
import { compareDensities, gridFor, measureName, observedOrder } from "./approx_order.ts";
import type { Measure } from "./approx_order.ts";

/** One context a chapter evaluates its equations in, with its sample points. */
export interface TypesetCase {
  /** Says which case it is, e.g. "linear schedule, T = 100". */
  name: string;
  ctx: Context;
  /** Sample points (t, x_t, x_{t-1}, x_0, ε, …) for a display. */
  points: (d: Display) => Scope[];
  /** Whether this case evaluates a display (default: every display). */
  applies?: (d: Display) => boolean;
  /** Quadrature grid of an integration variable. */
  grid: (variable: { name: string; index?: number }, scope: Scope) => Grid;
  /**
   * The same case with the small quantity of a `.approx` display multiplied by `factor`, its
   * points in the same order (only a case that evaluates such a display needs it).
   */
  refine?: (factor: number) => TypesetCase;
}

/** What a chapter gives the typeset evaluation. */
export interface TypesetSpec {
  binding: Binding;
  cases: TypesetCase[];
}

/** Where and how a printed equation disagrees. */
export interface TypesetFailure {
  /** Statement (1-based) and step, e.g. "statement 1, side 2 vs side 3 (=)". */
  step: string;
  /** The sample point, e.g. "t=37, x@37=0.31 (linear schedule, T = 100)". */
  point: string;
  /** Value of the later side (the printed formula being checked). */
  printed: number;
  /** Value of the earlier side (the symbol's binding, the engine or the previous step). */
  expected: number;
  tolerance: number;
}

/** The result of evaluating one display. */
export interface TypesetResult {
  file: string;
  line: number;
  label?: string;
  /** "evaluated": every relation was compared; "unevaluated": marked or stating no relation. */
  status: "evaluated" | "failed" | "unevaluated" | "error";
  /** Why not evaluated (the author's marker, or "states no relation"). */
  reason?: string;
  /** Number of (point, relation) comparisons made. */
  comparisons: number;
  /** Number of sample points. */
  points: number;
  /** Largest |printed − expected| seen. */
  maxError: number;
  /** The tolerance at the point of largest error relative to its tolerance. */
  tolerance: number;
  /** Sample points where every side was the same infinity (outside the equation's domain). */
  outsideDomain: number;
  /** Relations that were not compared (`\approx` without a stated error; `\propto` in no density variable), in words. */
  skipped: string[];
  failure?: TypesetFailure;
  /** A parse or binding error, with its rule id. */
  error?: { message: string; rule: string };
}

function pointText(scope: Scope, caseName: string): string {
  const t = scope.get("t")?.v;
  const shown = new Set(t === undefined ? [] : [`x@${t}`, `x@${t - 1}`, "x@0"]);
  const xs = [...scope.entries()].filter(([k]) => !k.startsWith("x@") || shown.has(k))
    .map(([k, v]) => `${k.replace("@", "_")}=${+v.v.toPrecision(6)}`);
  return `${xs.join(", ")} (${caseName})`;
}

function holds(op: RelationOp, a: Num, b: Num): { ok: boolean; err: number; tol: number } {
  const tol = a.e + b.e;
  const d = a.v - b.v;
  switch (op) {
    case "=":
      return { ok: Math.abs(d) <= tol, err: Math.abs(d), tol };
    case "<=":
    case "<":
      return { ok: d <= tol, err: Math.max(0, d), tol };
    case ">=":
    case ">":
      return { ok: -d <= tol, err: Math.max(0, -d), tol };
    default:
      return { ok: true, err: 0, tol };
  }
}

/**
 * Evaluates a display (see the module doc).
 *
 * @param d the display as written
 * @param spec the chapter's binding and cases
 * @returns its result; a parse or binding problem is an `error` result, never a pass
 */
export function checkDisplay(d: Display, spec: TypesetSpec): TypesetResult {
  const base: TypesetResult = {
    file: d.file,
    line: d.line,
    label: d.label,
    status: "evaluated",
    comparisons: 0,
    points: 0,
    maxError: 0,
    tolerance: 0,
    skipped: [],
    outsideDomain: 0,
  };
  if (d.unevaluated) return { ...base, status: "unevaluated", reason: d.unevaluated };
  let chains;
  let range: number | undefined;
  try {
    const statements = splitStatements(d.latex).filter((s) => {
      // a side condition ("z \sim N(0, I) for t > 1") states how a sample point is drawn
      let top = s.latex;
      for (let k = 0; k < 8; k++) top = top.replace(/\{[^{}]*\}/g, "");
      const condition = /\\sim\b/.test(top) || /\\text\{\s*for\b/.test(s.latex);
      if (condition) base.skipped.push(`statement ${s.index + 1} is a condition: $${s.latex}$`);
      return !condition;
    });
    const read = statements.map((s) => ({ s, j: readStatement(s.latex, spec.binding) }));
    range = read.map(({ j }) => rangeStart(j)).find((x) => x !== undefined);
    chains = read.map(({ s, j }) => ({ s, chain: relationChain(j) }))
      .filter((c) => c.chain !== undefined);
  } catch (e) {
    return errorResult(base, e);
  }
  if (chains.length === 0) return { ...base, status: "unevaluated", reason: "states no relation" };
  let worst = -1;
  for (const c of spec.cases) {
    if (c.applies && !c.applies(d)) continue;
    const points = c.points(d);
    base.points += points.length;
    // a `.approx` display's case refined to 1/2, 1/4, 1/8 of its small quantity, and their points:
    // built once per case (a refined case may build a whole chain's joint), not once per point
    let refined: { cases: TypesetCase[]; points: Scope[][] } | undefined;
    for (const [pointIndex, scope] of points.entries()) {
      for (const { s, chain } of chains) {
        let values: Num[];
        try {
          values = chain!.sides.map((side) =>
            evaluate(side, scope, { binding: spec.binding, ctx: c.ctx, grid: c.grid })
          );
        } catch (e) {
          return errorResult(base, e, `statement ${s.index + 1} at ${pointText(scope, c.name)}`);
        }
        if (
          values.every((v) => !Number.isFinite(v.v)) && values.every((v) => v.v === values[0].v)
        ) {
          base.outsideDomain++; // every side is the same infinity: the point is outside the domain
          continue;
        }
        if (base.failure) return base; // the first disagreement is the one reported
        const ev: Evaluator = { binding: spec.binding, ctx: c.ctx, grid: c.grid };
        let problem: unknown;
        chain!.ops.forEach((op, k) => {
          let pair = [values[k], values[k + 1]];
          let how = "";
          if (op === "propto") {
            let ratios;
            try {
              ratios = proportionality(chain!.sides, k, values, scope, ev);
            } catch (e) {
              problem ??= e;
              return;
            }
            if (!ratios) {
              const what = `statement ${s.index + 1}, side ${k + 1} ${op} side ${k + 2}`;
              if (!base.skipped.includes(what)) base.skipped.push(what);
              return;
            }
            pair = [ratios.here, ratios.moved];
            how = ` (∝: side ${k + 1} / side ${
              k + 2
            } at ${ratios.key} and moved by ${ratios.step})`;
          } else if (op === "~=" && d.approx) {
            try {
              if (!c.refine) {
                throw new TypesetError(
                  `Cannot compare the ≈ at its stated order as the case "${c.name}" gives no way ` +
                    `to shrink ${d.approx.small} (TypesetCase.refine)`,
                  "typeset-unbound",
                );
              }
              if (!refined) {
                const cases = [0.5, 0.25, 0.125].map((f) => c.refine!(f));
                refined = { cases, points: cases.map((rc) => rc.points(d)) };
              }
              const cases = [c, ...refined.cases];
              const at = [scope, ...refined.points.map((p) => p[pointIndex])];
              const where = `statement ${s.index + 1}, side ${k + 1} ≈ side ${k + 2}`;
              for (const r of approxAtOrder(chain!.sides, k, d, cases, at, spec.binding)) {
                base.comparisons++;
                const ratio = Math.abs(r.observed - r.stated) / (r.tolerance || Number.MIN_VALUE);
                if (ratio > worst) {
                  worst = ratio;
                  base.maxError = Math.abs(r.observed - r.stated);
                  base.tolerance = r.tolerance;
                }
                if (!r.ok && !base.failure) {
                  base.status = "failed";
                  base.failure = {
                    step: `${where}, at order ${r.stated} in ${d.approx.small}: ${r.detail}`,
                    point: pointText(scope, c.name),
                    printed: r.observed,
                    expected: r.stated,
                    tolerance: r.tolerance,
                  };
                }
              }
            } catch (e) {
              problem ??= e;
            }
            return;
          } else if (op === "~=") {
            const what = `statement ${s.index + 1}, side ${k + 1} ${op} side ${k + 2}`;
            if (!base.skipped.includes(what)) base.skipped.push(what);
            return;
          }
          const r = holds(op === "propto" ? "=" : op, pair[0], pair[1]);
          base.comparisons++;
          const ratio = r.err / (r.tol || Number.MIN_VALUE);
          if (ratio > worst) {
            worst = ratio;
            base.maxError = r.err;
            base.tolerance = r.tol;
          }
          if (!r.ok && !base.failure) {
            base.status = "failed";
            base.failure = {
              step: `statement ${s.index + 1}, side ${k + 1} vs side ${k + 2} (${op})${how}` +
                `: ${plain(chain!.sides[k + 1]).slice(0, 120)}`,
              point: pointText(scope, c.name),
              printed: pair[1].v,
              expected: pair[0].v,
              tolerance: r.tol,
            };
          }
        });
        // a chain also relates sides that are not next to each other (a = b = c: a = c), each
        // within its own bound: an estimate with a wide bound in the middle cannot hide the ends
        for (const [i, j, op] of farPairs(chain!.ops)) {
          const r = holds(op, values[i], values[j]);
          base.comparisons++;
          if (!r.ok && !base.failure) {
            base.status = "failed";
            base.failure = {
              step: `statement ${s.index + 1}, side ${i + 1} vs side ${j + 1} (${op}, through ` +
                `the chain): ${plain(chain!.sides[j]).slice(0, 120)}`,
              point: pointText(scope, c.name),
              printed: values[j].v,
              expected: values[i].v,
              tolerance: r.tol,
            };
          }
        }
        if (problem) {
          return errorResult(
            base,
            problem,
            `statement ${s.index + 1} at ${pointText(scope, c.name)}`,
          );
        }
      }
    }
  }
  if (base.status === "evaluated") {
    const wrong = boundaryFailure(d, chains.map((c) => c.chain!), spec, range);
    if (wrong) return { ...base, status: "failed", failure: wrong };
  }
  if (base.comparisons === 0 && base.status === "evaluated") {
    return { ...base, status: "unevaluated", reason: `only ${base.skipped.join("; ")}` };
  }
  return base;
}

/**
 * `a ∝ b` in the variable of the chain's density (`q(x_{t-1} \mid …) ∝ exp(…)`): the ratio a / b
 * at the point and with that variable moved by 1% of its scale must agree (the constant may depend
 * on everything else). Undefined when no side names a density variable that the point sets, or
 * when both ratios are outside the domain (0/0, ∞); one finite and one not is a disagreement
 * (returned as NaN against the finite one).
 */
function proportionality(
  sides: MathJson[],
  k: number,
  values: Num[],
  scope: Scope,
  ev: Evaluator,
): { here: Num; moved: Num; key: string; step: number } | undefined {
  const key = sides.slice(0, k + 1).map((side) => densityTargetKey(side, scope, ev))
    .find((x) => x !== undefined && scope.has(x));
  if (!key) return undefined;
  const x = scope.get(key)!.v, step = 1e-2 * Math.max(1, Math.abs(x));
  const at = new Map(scope).set(key, n.exact(x + step, 0));
  const [a, b] = [sides[k], sides[k + 1]].map((side) => evaluate(side, at, ev));
  const ratio = (
    p: Num,
    q: Num,
  ) => (q.v === 0 || !Number.isFinite(p.v + q.v) ? undefined : n.div(p, q));
  const here = ratio(values[k], values[k + 1]), moved = ratio(a, b);
  if (!here && !moved) return undefined;
  const nan = { v: NaN, e: 0 };
  return { here: here ?? nan, moved: moved ?? nan, key, step };
}

/**
 * The pairs of sides two or more relations apart that the chain relates: `=` all the way is `=`;
 * `=`, `≤`, `<` is `≤`; `=`, `≥`, `>` is `≥`; anything with `≈` or `∝` between relates nothing.
 *
 * @param ops the chain's relations
 * @returns [earlier side, later side, relation] for every such pair
 * @example
 * ```ts
 * import { farPairs } from "./check_display.ts";
 * const p = farPairs(["=", "<=", "=", "~="]);
 * if (JSON.stringify(p) !== '[[0,2,"<="],[0,3,"<="],[1,3,"<="]]') throw new Error(JSON.stringify(p));
 * ```
 */
export function farPairs(ops: RelationOp[]): [number, number, RelationOp][] {
  const out: [number, number, RelationOp][] = [];
  for (let i = 0; i < ops.length; i++) {
    for (let j = i + 2; j <= ops.length; j++) {
      const between = ops.slice(i, j);
      if (between.every((o) => o === "=")) out.push([i, j, "="]);
      else if (between.every((o) => o === "=" || o === "<=" || o === "<")) out.push([i, j, "<="]);
      else if (between.every((o) => o === "=" || o === ">=" || o === ">")) out.push([i, j, ">="]);
    }
  }
  return out;
}

/** One measure's verdict on a `.approx` display at one sample point. */
interface ApproxVerdict {
  ok: boolean;
  stated: number;
  observed: number;
  tolerance: number;
  detail: string;
}

/**
 * `sides[k] ≈ sides[k + 1]` at the display's stated orders: both read as densities of the left
 * side's variable at the point of each case (the small quantity at 1, 1/2, 1/4, 1/8 of its value;
 * checked), compared on a grid placed by the left side's own mean and spread (re-placed until its
 * spread settles), and the errors of each stated measure judged by {@link observedOrder}.
 */
function approxAtOrder(
  sides: MathJson[],
  k: number,
  d: Display,
  cases: TypesetCase[],
  at: Scope[],
  binding: Binding,
): ApproxVerdict[] {
  const claim = d.approx!;
  const small = readStatement(claim.small, binding);
  const evs = cases.map((c): Evaluator => ({ binding, ctx: c.ctx, grid: c.grid }));
  const s0 = evaluate(small, at[0], evs[0]).v;
  at.forEach((scope, i) => {
    const si = evaluate(small, scope, evs[i]).v, want = s0 / 2 ** i;
    if (!(Math.abs(si - want) <= 1e-9 * Math.abs(want))) {
      throw new TypesetError(
        `Cannot compare the ≈ at its stated order as ${claim.small} in the case refined by ` +
          `${1 / 2 ** i} is ${si}, not ${want}`,
        "typeset-unbound",
      );
    }
  });
  const comparisons = at.map((scope, i) => {
    const key = densityTargetKey(sides[k], scope, evs[i]);
    if (!key || !scope.has(key)) {
      throw new TypesetError(
        `Cannot compare the ≈ at its stated order as its left side ${
          plain(sides[k]).slice(0, 80)
        } is not a density of a variable this point sets`,
        "typeset-unbound",
      );
    }
    const logOf = (side: MathJson) => (x: number) => {
      const v = evaluate(side, new Map(scope).set(key, n.exact(x, 0)), evs[i]);
      return { log: Math.log(v.v), err: v.v > 0 ? v.e / v.v : 0 };
    };
    const [a, b] = [logOf(sides[k]), logOf(sides[k + 1])];
    const [name, index] = key.split("@");
    const g0 = cases[i].grid(
      { name, index: index === undefined ? undefined : Number(index) },
      scope,
    );
    let c = compareDensities(a, b, { lo: g0.lo, hi: g0.hi, n: 2 * Math.floor(g0.n / 2) + 1 });
    for (let pass = 0; pass < 6; pass++) {
      // a grid too coarse to see a side's spread gives it a spread of a quarter of its spacing
      // per pass, around the other side's mean when it saw nothing at all
      const floor = (g0.hi - g0.lo) / (g0.n - 1) / 4 ** pass;
      const seen = (d: { mean: number; sd: number }, other: { mean: number }) => ({
        mean: Number.isFinite(d.mean) ? d.mean : other.mean,
        sd: d.sd > floor ? d.sd : floor,
      });
      const grid = gridFor({ a: seen(c.a, c.b), b: seen(c.b, c.a) });
      if (grid instanceof Error) throw new TypesetError(grid.message, "typeset-unbound");
      const next = compareDensities(a, b, grid);
      // settled: both spreads seen (> 0) and unchanged by the last re-placing
      const settled = [[next.a.sd, c.a.sd], [next.b.sd, c.b.sd]].every(([now, before]) =>
        now > 0 && Math.abs(now - before) <= 1e-6 * before
      );
      c = next;
      if (settled) return c;
    }
    throw new TypesetError(
      `Cannot compare the ≈ at its stated order as the spreads of its sides do not settle ` +
        `on a grid (sd ${c.a.sd}, ${c.b.sd})`,
      "typeset-unbound",
    );
  });
  return (Object.entries(claim.orders) as [Measure, number][]).map(([m, stated]) => {
    const errors = comparisons.map((c) => c.error[m]);
    const quad = comparisons.map((c) => c.bound[m]);
    const v = observedOrder(errors, quad, stated);
    const f = (x: number) => x.toExponential(2);
    return {
      ok: v.ok,
      stated,
      observed: v.observed,
      tolerance: v.tolerance,
      detail: `the ${measureName(m)} differs by ${errors.map(f).join(", ")} at ${claim.small} ` +
        `times 1, 1/2, 1/4, 1/8 (observed orders ${
          v.orders.map((p) => p.toFixed(3)).join(", ")
        }, extrapolated ${v.observed.toFixed(3)}; the printed side below is that order)`,
    };
  });
}

/**
 * A side condition on the step, `t \ge k` (or `t > k`), is checked at every sample point like any
 * relation; it, and a range `t = k, \dots, T`, also claim the other statements hold at the
 * boundary k, so they are evaluated there too (the first sample point with t set to the boundary): a condition that admits a step where the
 * equation fails (`t \ge 1` where only t ≥ 2 holds) is a disagreement.
 */
function boundaryFailure(
  d: Display,
  chains: { sides: MathJson[]; ops: string[] }[],
  spec: TypesetSpec,
  range?: number,
): TypesetFailure | undefined {
  const isStep = (c: (typeof chains)[number]) =>
    c.sides.length === 2 && c.sides[0] === "t" && typeof c.sides[1] === "number" &&
    (c.ops[0] === ">=" || c.ops[0] === ">");
  const condition = chains.find(isStep);
  const rest = chains.filter((c) => !isStep(c));
  if ((!condition && range === undefined) || rest.length === 0) return undefined;
  const edge = condition
    ? (condition.sides[1] as number) + (condition.ops[0] === ">" ? 1 : 0)
    : range!;
  const written = condition
    ? `the condition t ${condition.ops[0]} ${condition.sides[1]}`
    : `the range t = ${range}, …`;
  for (const c of spec.cases) {
    if (c.applies && !c.applies(d)) continue;
    const first = c.points(d).find((p) => p.has("t"));
    if (!first) continue;
    const at = new Map(first).set("t", { v: edge, e: 0 });
    const ev: Evaluator = { binding: spec.binding, ctx: c.ctx, grid: c.grid };
    for (const chain of rest) {
      let values: Num[];
      try {
        values = chain.sides.map((side) => evaluate(side, at, ev));
      } catch {
        values = chain.sides.map(() => ({ v: NaN, e: 0 }));
      }
      for (let k = 0; k < chain.ops.length; k++) {
        const op = chain.ops[k] as RelationOp;
        if (op === "propto" || op === "~=") continue;
        if (holds(op, values[k], values[k + 1]).ok) continue;
        return {
          step: `${written} admits t = ${edge}, ` +
            `where side ${k + 1} vs side ${k + 2} (${op}) does not hold`,
          point: pointText(at, c.name),
          printed: values[k + 1].v,
          expected: values[k].v,
          tolerance: values[k].e + values[k + 1].e,
        };
      }
    }
    return undefined; // one case's boundary is enough
  }
  return undefined;
}

/** `t = a, \dots, b` (a range of steps, parsed as a list): a; otherwise undefined. */
function rangeStart(j: MathJson): number | undefined {
  if (!Array.isArray(j) || j[0] !== "Delimiter" || !Array.isArray(j[1])) return undefined;
  const [head, first, ...rest] = j[1];
  if (head !== "Sequence" || !rest.includes("ContinuationPlaceholder")) return undefined;
  const ok = Array.isArray(first) && first[0] === "Equal" && first[1] === "t" &&
    typeof first[2] === "number";
  return ok ? (first as MathJson[])[2] as number : undefined;
}

function errorResult(base: TypesetResult, e: unknown, where?: string): TypesetResult {
  const message = e instanceof Error ? e.message : String(e);
  const rule = e instanceof TypesetError ? e.rule : "typeset-unbound";
  return {
    ...base,
    status: "error",
    error: { message: where ? `${message} (${where})` : message, rule },
  };
}

/**
 * The one-line message of a failed or unreadable display: file:line, label, step, point, values,
 * rule id.
 *
 * @example
 * ```ts
 * import { typesetMessage } from "./check_display.ts";
 * const m = typesetMessage({ file: "c.md", line: 3, status: "error", comparisons: 0, points: 0,
 *   maxError: 0, tolerance: 0, skipped: [], outsideDomain: 0, error: { message: "no binding", rule: "typeset-unbound" } });
 * if (m !== "c.md:3 (unlabelled): no binding [typeset-unbound]") throw new Error(m);
 * ```
 */
export function typesetMessage(r: TypesetResult): string {
  const where = `${r.file}:${r.line} (${r.label ?? "unlabelled"})`;
  if (r.error) return `${where}: ${r.error.message} [${r.error.rule}]`;
  if (r.failure) {
    const f = r.failure;
    return `${where}: the printed equation disagrees at ${f.step}; at ${f.point} the printed ` +
      `side is ${f.printed} and the expected side is ${f.expected} (|difference| ` +
      `${Math.abs(f.printed - f.expected).toExponential(3)} > tolerance ${
        f.tolerance.toExponential(3)
      }) ` +
      `[typeset-mismatch]`;
  }
  return `${where}: ${r.status}${r.reason ? ` (${r.reason})` : ""}`;
}
