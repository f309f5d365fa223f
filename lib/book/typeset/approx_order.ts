/**
 * `a ≈ b` at a stated order, read as a statement about two distributions: the author marks the
 * display `{#eq:name .approx in="\Sigma" order="mean 2, variance 2, kl 2, logpdf 1"}`, which says
 * that as the small quantity (here Σ) shrinks, each measure of the difference between the two
 * printed densities shrinks like Σ^order. The evaluation (`check_display.ts`) reads both sides as
 * densities of the same variable on a grid at Σ, Σ/2, Σ/4 and Σ/8; this module holds the plain
 * numerics:
 *
 * - {@link parseApproxClaim}: the marker's text;
 * - {@link compareDensities}: mean, variance, KL(a ‖ b) and the log-density error at a typical
 *   point (the root mean square of log a − log b under a: the error's odd part enters only
 *   squared, so it is a power series in the small quantity, unlike the error at a point a fixed
 *   number of standard deviations out), by the trapezoid rule on a grid that resolves both
 *   ({@link gridFor}), each with a bound (the same sums on the grid half as fine, plus what the
 *   densities' own error bounds can move it by);
 * - {@link observedOrder}: the order the three errors show, against the stated one.
 *
 * The tolerance is derived from the error model an expansion in the small quantity s gives,
 * e(s) = C s^p (1 + D s + E s² + …): the order observed from s to s/2, p₁ = log₂(e(s) / e(s/2)),
 * is p + a s + b s² + …, so 2 p₂ − p₁ (p₂ from s/2 to s/4) cancels the first correction and is
 * p + O(s²) (Richardson). Two such extrapolations, p̂₁ from (s, s/2, s/4) and p̂₂ from
 * (s/2, s/4, s/8), differ by ¾ of p̂₁'s remainder, so p̂₂'s remainder is a third of |p̂₁ − p̂₂|:
 * the check asks |p̂₂ − p| ≤ |p̂₁ − p̂₂| (three times that), plus the quadrature errors propagated
 * through the logarithms. A wrong formula that adds a lower-order error c·s^q (q < p) bends the
 * observed orders towards q, away from p, and fails.
 *
 * @module
 */
import { uniformGrid } from "../../../engine/quadrature.ts";

/** A measure of the difference between two densities. */
export type Measure = "mean" | "variance" | "kl" | "logpdf";

const MEASURES: Record<Measure, string> = {
  mean: "mean",
  variance: "variance",
  kl: "KL divergence",
  logpdf: "log-density (root mean square under the left side)",
};

/** What a `.approx` marker states. */
export interface ApproxClaim {
  /** The small quantity as printed, e.g. `\Sigma`. */
  small: string;
  /** The stated order of each measure's error. */
  orders: Partial<Record<Measure, number>>;
}

/**
 * Reads a marker's `in` and `order` attributes.
 *
 * @param small the small quantity's LaTeX
 * @param order e.g. "mean 2, variance 2, kl 2, logpdf 1"
 * @returns the claim, or an Error saying what is malformed
 * @example
 * ```ts
 * import { parseApproxClaim } from "./approx_order.ts";
 * const c = parseApproxClaim("\\Sigma", "mean 2, logpdf 1");
 * if (c instanceof Error || c.orders.mean !== 2 || c.orders.logpdf !== 1) throw new Error("claim");
 * if (!(parseApproxClaim("\\Sigma", "mean two") instanceof Error)) throw new Error("malformed");
 * ```
 */
export function parseApproxClaim(small: string, order: string): ApproxClaim | Error {
  const orders: Partial<Record<Measure, number>> = {};
  for (const part of order.split(",")) {
    const m = /^\s*(mean|variance|kl|logpdf)\s+(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m || orders[m[1] as Measure] !== undefined) {
      return new Error(
        `Cannot read the .approx order as each part must be "<mean|variance|kl|logpdf> <order>", ` +
          `each measure once: current value is ${JSON.stringify(order)}`,
      );
    }
    orders[m[1] as Measure] = Number(m[2]);
  }
  if (small.trim() === "") {
    return new Error(
      'Cannot read the .approx marker as in="…" names no small quantity: current value is ""',
    );
  }
  return { small: small.trim(), orders };
}

/** A grid of equally spaced points. */
export interface Grid {
  lo: number;
  hi: number;
  /** Number of points: odd, so the grid half as fine shares every other point. */
  n: number;
}

/** A log-density at a point, with a bound on its error (the density's relative error). */
export interface LogValue {
  log: number;
  err: number;
}

/** The measures of two densities' difference, with the error each is known to. */
export interface Comparison {
  /** |mean(a) − mean(b)|, |var(a) − var(b)|, KL(a ‖ b), √(E_a (log a − log b)²). */
  error: Record<Measure, number>;
  /**
   * How well each is known: the same sums on the grid half as fine, plus what the densities'
   * own error bounds can move it by.
   */
  bound: Record<Measure, number>;
  /** Mean and standard deviation of a and of b (to place the next grid). */
  a: { mean: number; sd: number };
  b: { mean: number; sd: number };
}

function measures(x: Float64Array, la: Float64Array, lb: Float64Array, stride: number) {
  const h = (x[1] - x[0]) * stride;
  let ma = 0, mb = 0, s1a = 0, s1b = 0, s2a = 0, s2b = 0, kl = 0, sq = 0;
  for (let i = 0; i < x.length; i += stride) {
    const w = (i === 0 || i === x.length - 1 ? 0.5 : 1) * h;
    const a = Math.exp(la[i]), b = Math.exp(lb[i]);
    ma += w * a;
    mb += w * b;
    s1a += w * a * x[i];
    s1b += w * b * x[i];
    s2a += w * a * x[i] * x[i];
    s2b += w * b * x[i] * x[i];
    if (a > 0) {
      kl += w * a * (la[i] - lb[i]);
      sq += w * a * (la[i] - lb[i]) ** 2;
    }
  }
  const meanA = s1a / ma, meanB = s1b / mb;
  const varA = s2a / ma - meanA * meanA, varB = s2b / mb - meanB * meanB;
  return {
    error: {
      mean: Math.abs(meanA - meanB),
      variance: Math.abs(varA - varB),
      kl: kl / ma,
      logpdf: Math.sqrt(sq / ma),
    },
    a: { mean: meanA, sd: Math.sqrt(Math.max(varA, 0)) },
    b: { mean: meanB, sd: Math.sqrt(Math.max(varB, 0)) },
    massA: ma,
    massB: mb,
  };
}

/**
 * Compares two densities, given by their logarithms, on a grid (see the module doc).
 *
 * @param logA log of the first density (the printed left side), with its error bound
 * @param logB log of the second
 * @param grid where both are read
 * @returns the measures and how well each is known
 * @example
 * ```ts
 * import { compareDensities } from "./approx_order.ts";
 * const logN = (m: number, v: number) => (x: number) =>
 *   ({ log: -((x - m) ** 2) / (2 * v) - 0.5 * Math.log(2 * Math.PI * v), err: 0 });
 * const c = compareDensities(logN(0, 1), logN(0.1, 1), { lo: -12, hi: 12, n: 97 });
 * // KL(N(0, 1) ‖ N(0.1, 1)) = 0.1² / 2
 * if (Math.abs(c.error.mean - 0.1) > 1e-12 || Math.abs(c.error.kl - 0.005) > 1e-12) throw new Error("compare");
 * ```
 */
export function compareDensities(
  logA: (x: number) => LogValue,
  logB: (x: number) => LogValue,
  grid: Grid,
): Comparison {
  if (!(grid.n >= 5 && grid.n % 2 === 1 && grid.hi > grid.lo)) {
    throw new RangeError(
      `Cannot compare densities as the grid must have an odd n >= 5 and hi > lo: current value is ${
        JSON.stringify(grid)
      }`,
    );
  }
  const x = uniformGrid(grid.lo, grid.hi, grid.n);
  const va = Array.from(x, logA), vb = Array.from(x, logB);
  const la = Float64Array.from(va, (v) => v.log), lb = Float64Array.from(vb, (v) => v.log);
  const full = measures(x, la, lb, 1), half = measures(x, la, lb, 2);
  // what the densities' own error bounds (|δa| = a·err) can move each measure by
  const { a, b } = full;
  let dm = 0, dv = 0, dk = 0, dl = 0, da = 0;
  const h = x[1] - x[0];
  x.forEach((xi, i) => {
    const pa = Math.exp(la[i]), pb = Math.exp(lb[i]);
    const ea = pa * (va[i].err || 0), eb = pb * (vb[i].err || 0); // |δa|, |δb|
    const gap = pa > 0 ? Math.abs(la[i] - lb[i]) : 0;
    dm += h * (Math.abs(xi - a.mean) * ea + Math.abs(xi - b.mean) * eb);
    dv += h * ((xi - a.mean) ** 2 * ea + (xi - b.mean) ** 2 * eb);
    dk += h * (ea * (1 + gap) + pa * (vb[i].err || 0));
    dl += h * pa * ((va[i].err || 0) + (vb[i].err || 0)) ** 2;
    da += h * (ea + eb);
  });
  const mass = Math.min(full.massA, full.massB);
  const moved: Record<Measure, number> = {
    mean: 2 * (dm + da * (a.sd + b.sd)) / mass,
    variance: 2 * (dv + da * (a.sd ** 2 + b.sd ** 2)) / mass,
    kl: 2 * (dk + da * full.error.kl) / mass,
    logpdf: Math.sqrt(dl / mass) + 2 * (da / mass) * full.error.logpdf,
  };
  const bound = {} as Record<Measure, number>;
  const scale = 1 + Math.abs(a.mean) + a.sd;
  for (const k of Object.keys(MEASURES) as Measure[]) {
    // the half-fine difference, the densities' error, and float64 rounding of the sums
    bound[k] = Math.abs(full.error[k] - half.error[k]) + moved[k] + 1e-13 * scale ** 2;
  }
  return { error: full.error, a: full.a, b: full.b, bound };
}

/**
 * A grid that resolves both densities: ±12 standard deviations around each mean, spaced at a
 * quarter of the smaller one. On a Gaussian the trapezoid rule's error is about
 * exp(−2π² sd² / h²): e^-316 on this grid and e^-79 on the one half as fine, round-off on smooth
 * densities alike.
 *
 * @param c a comparison on a first grid
 * @param maxPoints the most points allowed
 * @returns the grid, or an Error when the two spreads differ too much to resolve both
 * @example
 * ```ts
 * import { gridFor } from "./approx_order.ts";
 * const g = gridFor({ a: { mean: 0, sd: 1 }, b: { mean: 1, sd: 0.5 } });
 * // ±12 sd of a covers b's; spaced at 0.5 / 4 over 24
 * if (g instanceof Error || g.lo !== -12 || g.hi !== 12 || g.n !== 193) throw new Error(JSON.stringify(g));
 * ```
 */
export function gridFor(
  c: Pick<Comparison, "a" | "b">,
  maxPoints = 20_001,
): Grid | Error {
  const lo = Math.min(c.a.mean - 12 * c.a.sd, c.b.mean - 12 * c.b.sd);
  const hi = Math.max(c.a.mean + 12 * c.a.sd, c.b.mean + 12 * c.b.sd);
  const h = Math.min(c.a.sd, c.b.sd) / 4;
  const n = 2 * Math.ceil((hi - lo) / h / 2) + 1;
  if (!(n <= maxPoints && hi > lo)) {
    return new Error(
      `Cannot place a grid for the two densities as it would need ${n} points ` +
        `(sd ${c.a.sd} and ${c.b.sd} over [${lo}, ${hi}]): current limit is ${maxPoints}`,
    );
  }
  return { lo, hi, n: Math.max(n, 97) };
}

/** What the errors at s, s/2, s/4, s/8 say about the order. */
export interface OrderVerdict {
  ok: boolean;
  /** Observed orders between consecutive scales: log₂(e(s) / e(s/2)), … */
  orders: number[];
  /** The last extrapolated order 2 p₃ − p₂ (the stated one when all errors are at round-off). */
  observed: number;
  /** Allowed |observed − stated| (module doc). */
  tolerance: number;
  /** "exact": every error is within its quadrature error (the ≈ holds exactly here). */
  exact: boolean;
}

/**
 * The order the errors at s, s/2, s/4, s/8 show, judged against the stated order (module doc).
 *
 * @param errors the errors at s, s/2, s/4, s/8
 * @param quadrature their bounds (quadrature and the densities' own error)
 * @param stated the order the Markdown states
 * @returns the verdict
 * @example
 * ```ts
 * import { observedOrder } from "./approx_order.ts";
 * const at = (e: (s: number) => number) => [0.1, 0.05, 0.025, 0.0125].map(e);
 * const e = (s: number) => s ** 2 * (1 + 8 * s + 30 * s * s);
 * const v = observedOrder(at(e), [0, 0, 0, 0], 2);
 * if (!v.ok || Math.abs(v.observed - 2) > 0.05) throw new Error(JSON.stringify(v));
 * // a first-order slip of 2% of the second-order error at s: not order 2
 * const f = (s: number) => e(s) + 0.02 * 0.1 * s;
 * if (observedOrder(at(f), [0, 0, 0, 0], 2).ok) throw new Error("missed");
 * ```
 */
export function observedOrder(
  errors: readonly number[],
  quadrature: readonly number[],
  stated: number,
): OrderVerdict {
  if (errors.length !== 4 || quadrature.length !== 4) {
    throw new RangeError(
      `Cannot judge an order as it needs errors at s, s/2, s/4, s/8: current value is ${errors.length}`,
    );
  }
  if (errors.every((e, k) => e <= 4 * quadrature[k])) {
    return { ok: true, orders: [], observed: stated, tolerance: 0, exact: true };
  }
  const orders = [0, 1, 2].map((k) => Math.log2(errors[k] / errors[k + 1]));
  if (errors.some((e, k) => e <= 4 * quadrature[k])) {
    // some errors at round-off and some not: no power of s
    return { ok: false, orders, observed: NaN, tolerance: 0, exact: false };
  }
  const [first, observed] = [0, 1].map((k) => 2 * orders[k + 1] - orders[k]);
  // an error e_k moves log e_k by q_k / e_k, each p_k by that over ln 2; p̂ = 2 p₃ − p₂ weighs
  // log e_1, log e_2, log e_3 by 1, 3, 2, and p̂₁ the first three the same way
  const rel = quadrature.map((q, k) => q / errors[k]);
  const propagated = (rel[0] + 4 * rel[1] + 5 * rel[2] + 2 * rel[3]) / Math.LN2;
  const tolerance = Math.abs(observed - first) + propagated;
  const ok = Number.isFinite(observed) && Math.abs(observed - stated) <= tolerance;
  return { ok, orders, observed, tolerance, exact: false };
}

/**
 * The measure's name in words.
 *
 * @param m a measure
 * @returns e.g. "KL divergence"
 */
export function measureName(m: Measure): string {
  return MEASURES[m];
}
