/**
 * Closed-form KL(A ‖ B) for two printed densities that are Gaussians in their common variable:
 * the evaluator reads each density's log at a few points, fits log p(x) = c − (x − m)² / (2v),
 * checks the fit at two more points (a density that is not a Gaussian — a mixture posterior —
 * fails the check and is left to quadrature), and hands (m, v) to the engine's
 * `klDiagGaussians`. The error bound propagates the float64 rounding of the log-density values
 * through the fit and the KL's partial derivatives.
 *
 * @module
 */
import { klDiagGaussians } from "../../../engine/gaussian.ts";
import * as n from "./num.ts";

type Num = n.Num;

/** A Gaussian read off a density: mean and variance, each with an error bound. */
export interface FittedGaussian {
  mean: Num;
  variance: Num;
}

/** Relative disagreement of the two check points beyond which a density is not a Gaussian. */
const CHECK_TOL = 1e-8;

/**
 * Fits a 1-D Gaussian to a density known only through its values, or undefined when the density
 * is not a Gaussian (or underflows where it is read).
 *
 * @param density the density at x, with its error bound
 * @param start where to begin looking (the fit is exact from anywhere the density is positive)
 * @returns mean and variance with error bounds, or undefined
 * @example
 * ```ts
 * import { fitGaussian } from "./gaussian_kl.ts";
 * import { exact } from "./num.ts";
 * const pdf = (x: number) => exact(Math.exp(-((x - 2) ** 2) / 6) / Math.sqrt(6 * Math.PI));
 * const g = fitGaussian(pdf, 0)!;
 * if (Math.abs(g.mean.v - 2) > g.mean.e + 1e-12 || Math.abs(g.variance.v - 3) > 1e-9) throw new Error();
 * ```
 */
export function fitGaussian(
  density: (x: number) => Num,
  start: number,
): FittedGaussian | undefined {
  const logAt = (x: number) => {
    const p = density(x);
    if (!(p.v > 0) || !Number.isFinite(p.v)) return undefined;
    // error of log p: the density's own relative error plus rounding of the log
    return { v: Math.log(p.v), e: p.e / p.v + Math.abs(Math.log(p.v)) * n.ULP + n.ULP };
  };
  const fit = (c: number, h: number) => {
    const [lm, l0, lp] = [c - h, c, c + h].map(logAt);
    if (!lm || !l0 || !lp) return undefined;
    const curv = (lp.v - 2 * l0.v + lm.v) / (h * h); // = −1/v
    const slope = (lp.v - lm.v) / (2 * h); // = −(c − m)/v
    if (!(curv < 0)) return undefined;
    const variance = -1 / curv, mean = c + slope * variance;
    const dl = lm.e + 2 * l0.e + lp.e + 4 * ULP_ABS(lm.v, l0.v, lp.v);
    const eCurv = dl / (h * h), eSlope = dl / (2 * h);
    const eVar = eCurv * variance * variance * 2;
    const eMean = eSlope * variance + Math.abs(slope) * eVar + Math.abs(mean) * n.ULP;
    return { mean, variance, eMean, eVar, l0: l0.v, c };
  };
  // a first look at scale 1, or closer in for a narrow density that underflows a step away
  const first = [1, 1e-2, 1e-4].map((h) => fit(start, h)).find((f) => f !== undefined);
  if (!first) return undefined;
  const h = Math.sqrt(first.variance);
  const g = fit(first.mean, h);
  if (!g) return undefined;
  // the Gaussian predicts log p at m ± 2h exactly: l0 − 2 (a parabola through the fit)
  for (const x of [g.mean - 2 * h, g.mean + 2 * h]) {
    const l = logAt(x);
    const predicted = g.l0 - ((x - g.mean) ** 2 - (g.c - g.mean) ** 2) / (2 * g.variance);
    if (!l || Math.abs(l.v - predicted) > CHECK_TOL * (1 + Math.abs(predicted))) return undefined;
  }
  return { mean: { v: g.mean, e: g.eMean }, variance: { v: g.variance, e: g.eVar } };
}

function ULP_ABS(...xs: number[]): number {
  return Math.max(...xs.map(Math.abs)) * n.ULP;
}

/**
 * KL(A ‖ B) between two fitted Gaussians by the engine's closed form, with the fit's errors
 * carried through the partial derivatives of ½[log(v_B/v_A) + (v_A + (m_A − m_B)²)/v_B − 1].
 *
 * @param a the first argument's Gaussian
 * @param b the second argument's Gaussian
 * @returns the divergence with its error bound
 * @example
 * ```ts
 * import { gaussianKl } from "./gaussian_kl.ts";
 * import { exact } from "./num.ts";
 * const k = gaussianKl({ mean: exact(1), variance: exact(1) }, { mean: exact(0), variance: exact(1) });
 * if (Math.abs(k.v - 0.5) > k.e) throw new Error(String(k.v));
 * ```
 */
export function gaussianKl(a: FittedGaussian, b: FittedGaussian): Num {
  const [m1, v1, m2, v2] = [a.mean.v, a.variance.v, b.mean.v, b.variance.v];
  const v = klDiagGaussians(m1, v1, m2, v2);
  const d = m1 - m2;
  const e = (Math.abs(d) / v2) * (a.mean.e + b.mean.e) +
    0.5 * Math.abs(1 / v2 - 1 / v1) * a.variance.e +
    0.5 * Math.abs(1 / v2 - (v1 + d * d) / (v2 * v2)) * b.variance.e +
    (Math.abs(v) + Math.abs(Math.log(v2 / v1)) + (v1 + d * d) / v2 + 1) * 8 * n.ULP;
  return { v, e };
}
