/**
 * Chapter 5's exhibits: the slope k_t of the two-point noisy classifier and the push classifier
 * guidance gives across t, in three units (figure and table), and the tilted density
 * q(x) q(y | x)^γ for γ = 0, 1, 3. All from `engine/` (noisy classifier gradients, class
 * mixtures, the trapezoid rule).
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  classMixture,
  createMixture,
  densityMoments,
  linearSchedule,
  type Mixture,
  mixtureLogPdf,
  noisyClassifierGradient,
} from "../../engine/mod.ts";
import type { FigureSpec } from "../book/mod.ts";
import { figureElement, logCurvesOverT, plotSvg, SERIES, tableElement } from "./figure.ts";
import { formatFixed, formatNumber } from "./format.ts";

/** Half the distance between the two classes. */
export const M = 1;

/** Two equally likely point classes at ∓m (a variance of 10⁻¹² stands for a point mass). */
export function twoPoints(): Mixture {
  return createMixture({ weights: [1, 1], means: [-M, M], variances: 1e-12, labels: [0, 1] });
}

/**
 * For each t: k_t = 2 × (the engine's ∇ log q(y = 1 | x_t) at x_t = 0), the gradient at the other
 * class's centre x_t = −√ᾱ_t m, and the push of classifier guidance (γ = 1) at x_t = 0 as a
 * shift of x_{t−1} (β_t ∇ log q / √α_t) and in noise units (√(1 − ᾱ_t) ∇ log q).
 */
export function classifierSlopes() {
  const s = linearSchedule(), m = twoPoints();
  return Array.from({ length: s.T }, (_, i) => {
    const t = i + 1;
    const grad0 = noisyClassifierGradient(m, s, t, 0, 1)[0];
    const gradOther = noisyClassifierGradient(m, s, t, -Math.sqrt(s.alphaBars[t]) * M, 1)[0];
    return {
      t,
      alphaBar: s.alphaBars[t],
      k: 2 * grad0,
      gradOther,
      shift: (s.betas[t] * grad0) / Math.sqrt(s.alphas[t]),
      noiseUnits: Math.sqrt(1 - s.alphaBars[t]) * grad0,
    };
  });
}

/** Where each curve of the slope figure is labelled (t, and pixels above or below). */
const SLOPE_LABELS = [
  { curve: "∇ log q(y|x) at the other class", t: 12, dy: -10 },
  { curve: "∇ log q(y|x) at x = 0", t: 30, dy: 12 },
  { curve: "in noise units, at x = 0", t: 8, dy: 14 },
  { curve: "shift of xₜ₋₁, at x = 0", t: 60, dy: 12 },
];

const slopeFigure: FigureSpec = {
  name: "classifier-slope",
  kind: "figure",
  render() {
    const rows = classifierSlopes();
    const long = rows.flatMap((r) => [
      { t: r.t, value: r.gradOther, curve: "∇ log q(y|x) at the other class" },
      { t: r.t, value: r.k / 2, curve: "∇ log q(y|x) at x = 0" },
      { t: r.t, value: r.noiseUnits, curve: "in noise units, at x = 0" },
      { t: r.t, value: r.shift, curve: "shift of xₜ₋₁, at x = 0" },
    ]);
    const at = (t: number) => rows[t - 1];
    const f = (x: number) => formatNumber(x);
    return figureElement(
      "classifier-slope",
      "Where along the chain guidance pushes.",
      `Two point classes at ∓${M}, the default schedule, γ = 1, log scale. The slope of the ` +
        `noisy classifier is k_{t} = 2√ᾱ_{t} m/(1 − ᾱ_{t}): k_{5} = ${f(at(5).k)}, k_{50} = ` +
        `${f(at(50).k)}, k_{100} = ${f(at(100).k)}. A point at the other class's centre gets ` +
        `the largest push, close to k_{t} (${f(at(5).gradOther)} at t = 5); a point midway gets ` +
        `k_{t}/2. In noise units the push √(1 − ᾱ_{t}) k_{t}/2 still grows as t → 0 ` +
        `(${f(at(5).noiseUnits)} at t = 5, ${f(at(50).noiseUnits)} at t = 50), while the shift ` +
        `it makes to x_{t−1}, β_{t} ∇ log q/√α_{t}, is ${f(at(5).shift)} at t = 5 and ` +
        `${f(at(50).shift)} at t = 50.`,
      [logCurvesOverT(
        long.map((r) => ({ t: r.t, value: r.value, series: r.curve })),
        "push",
        SLOPE_LABELS.map(({ curve, t, dy }) => ({ series: curve, t, dy })),
        "Four falling curves on a log scale against t: the classifier gradient at the other class's centre and at the midpoint are largest at small t; in noise units the push also falls with t; the shift of x is smallest.",
      )],
    );
  },
};

/** The steps the slope table quotes. */
export const SLOPE_STEPS = [1, 2, 5, 10, 25, 50, 75, 100] as const;

const slopeTable: FigureSpec = {
  name: "classifier-slope-numbers",
  kind: "table",
  render() {
    const rows = classifierSlopes();
    return tableElement(
      "classifier-slope-numbers",
      "The two-point classifier in numbers.",
      `Classes at ∓${M}, default schedule, γ = 1. The gradient is the engine's ` +
        "noisyClassifierGradient for y = 1; at x = 0 it is k_{t}/2.",
      [
        "t",
        "ᾱ_{t}",
        "k_{t}",
        "∇ log q(y|x) at x = −√ᾱ_{t} m",
        "noise units √(1 − ᾱ_{t}) k_{t}/2",
        "shift β_{t} k_{t}/(2√α_{t})",
      ],
      SLOPE_STEPS.map((t) => rows[t - 1]).map((r) => [
        String(r.t),
        formatNumber(r.alphaBar),
        formatNumber(r.k),
        formatNumber(r.gradOther),
        formatNumber(r.noiseUnits),
        formatNumber(r.shift),
      ]),
    );
  },
};

/** The guidance strengths of the tilted-density figure. */
export const GAMMAS = [0, 1, 3] as const;

/** Two overlapping Gaussian classes N(∓1, 0.5), as in Exercise 4. */
export function gaussianClasses(): Mixture {
  return createMixture({ weights: [1, 1], means: [-1, 1], variances: 0.5, labels: [0, 1] });
}

/** log of q(x)^{1−γ} q(x | y = 1)^γ, the tilted density for class 1 up to a constant. */
function tiltedLogDensity(gamma: number): (x: number) => number {
  const m = gaussianClasses(), c = classMixture(m, 1);
  return (x) => (1 - gamma) * mixtureLogPdf(m, x) + gamma * mixtureLogPdf(c, x);
}

/** Mean and standard deviation of the tilted density for each γ, by the trapezoid rule. */
export function tiltedMoments() {
  return GAMMAS.map((gamma) => {
    const { mean, variance, logMass } = densityMoments(tiltedLogDensity(gamma), -6, 6, 2401);
    return { gamma, mean, sd: Math.sqrt(variance), logMass };
  });
}

const tiltedFigure: FigureSpec = {
  name: "guided-density",
  kind: "figure",
  render() {
    const moments = tiltedMoments();
    const xs = Array.from({ length: 241 }, (_, i) => -4 + i / 30);
    const rows = moments.flatMap(({ gamma, logMass }) =>
      xs.map((x) => ({
        x,
        density: Math.exp(tiltedLogDensity(gamma)(x) - logMass),
        gamma: `γ = ${gamma}`,
      }))
    );
    return figureElement(
      "guided-density",
      "Guidance sharpens and shifts.",
      `Two equally likely classes N(∓1, 0.5) and the tilted density q(x) q(y = 1 | x)^{γ}, ` +
        `normalised, for class y = 1. ` +
        moments.map((r) =>
          `γ = ${r.gamma}: mean ${formatFixed(r.mean, 3)}, standard deviation ${
            formatFixed(r.sd, 3)
          }`
        )
          .join("; ") +
        `. γ = 0 is the whole data set, γ = 1 exactly class 1; γ = 3 moves past the class's ` +
        `own centre, away from the region class 0 also explains, and narrows.`,
      [plotSvg(
        {
          width: 560,
          height: 230,
          x: { label: "x" },
          y: { label: "density", grid: true },
          color: { domain: GAMMAS.map((g) => `γ = ${g}`), range: SERIES.slice(0, 3) },
          marks: [
            Plot.ruleY([0]),
            Plot.line(rows, { x: "x", y: "density", stroke: "gamma" }),
            Plot.text(
              moments.map((r) => ({ x: r.mean, gamma: `γ = ${r.gamma}` })),
              {
                x: "x",
                y: (d: { gamma: string }) =>
                  Math.max(...rows.filter((r) => r.gamma === d.gamma).map((r) => r.density)),
                text: "gamma",
                fill: "gamma",
                dy: -6,
              },
            ),
          ],
        },
        "Three density curves: a two-humped one for γ = 0, the right hump alone for γ = 1, and a narrower hump further right for γ = 3.",
      )],
    );
  },
};

/** Chapter 5's figures and tables. */
export const chapter5: FigureSpec[] = [slopeFigure, tiltedFigure, slopeTable];
