/**
 * Chapter 3's exhibits: the ELBO below the log-likelihood with the gap between them, the variance
 * of the two ELBO estimators (the path form and the summed-terms form) for a near-exact and a
 * poor model at T = 100 and 1000, and the terms of a T = 2 Gaussian chain. All from `engine/`:
 * the exact Gaussian ELBO and log-likelihood in closed form, the estimators by sampling.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  createRng,
  elboTerms,
  exactElboGaussian,
  exactGaussianReverse,
  exactLogLikelihoodGaussianChain,
  type GaussianData,
  type LinearGaussianReverse,
  linearReverseMean,
  linearSchedule,
  logPathWeight,
  sampleForwardPath,
  type Schedule,
  scheduleFromBetas,
  scheduleWithSteps,
} from "../../engine/mod.ts";
import type { FigureSpec } from "../book/mod.ts";
import { figureElement, logCurvesOverT, plotSvg, SERIES, tableElement } from "./figure.ts";
import { formatFixed, formatNumber } from "./format.ts";

/** The 1-D data of this chapter's exhibits: q(x_0) = N(1, 0.25). */
export const DATA: GaussianData = { mean: 1, variance: 0.25 };

/** The exact reverse chain with every variance multiplied by `scale` (1: the true reverse). */
export function scaledReverse(s: Schedule, scale: number): LinearGaussianReverse {
  const exact = exactGaussianReverse(s, DATA);
  return { ...exact, variance: Float64Array.from(exact.variance, (v) => v * scale) };
}

/** The scales of the reverse variance the gap figure sweeps (log-spaced, 1/4 to 4). */
export const GAP_SCALES = Array.from({ length: 41 }, (_, i) => 2 ** (-2 + i / 10));

/** E log p(x_0) and the ELBO (nats) against the scale, T = 10 linear steps. */
export function elboGapCurve() {
  const s = scheduleWithSteps("linear", 10);
  return GAP_SCALES.map((scale) => {
    const reverse = scaledReverse(s, scale);
    const logP = exactLogLikelihoodGaussianChain(s, DATA, reverse);
    return { scale, logP, elbo: exactElboGaussian(s, DATA, reverse).elbo };
  });
}

const elboGap: FigureSpec = {
  name: "elbo-gap",
  kind: "figure",
  render() {
    const rows = elboGapCurve();
    const at = (scale: number) =>
      rows.reduce((a, b) => Math.abs(b.scale - scale) < Math.abs(a.scale - scale) ? b : a);
    const one = at(1), two = at(2);
    const f = (x: number) => formatFixed(x, 3);
    const long = rows.flatMap((r) => [
      { scale: r.scale, value: r.logP, curve: "log p(x₀)" },
      { scale: r.scale, value: r.elbo, curve: "ELBO" },
    ]);
    return figureElement(
      "elbo-gap",
      "The bound sits below the likelihood.",
      `Data q(x_{0}) = N(1, 0.25), T = 10 linear steps, and a reverse chain with the true ` +
        `reverse means and every variance multiplied by a scale (horizontal, log axis). Top ` +
        `curve: E log p_{θ}(x_{0}); bottom: the ELBO; the shaded band between them is the gap ` +
        `E KL(q(x_{1:T} | x_{0}) ‖ p_{θ}(x_{1:T} | x_{0})), both in closed form. At scale 1 ` +
        `(the true reverse variances) log p = ${f(one.logP)} and ELBO = ${f(one.elbo)} nats, a ` +
        `gap of ${formatFixed(one.logP - one.elbo, 3)}; at scale 2, log p = ${f(two.logP)} and ` +
        `ELBO = ${f(two.elbo)}, a gap of ${formatFixed(two.logP - two.elbo, 3)}. The bound is ` +
        `tight only where the model's reverse steps match the forward process's.`,
      [plotSvg(
        {
          width: 560,
          height: 240,
          x: {
            type: "log",
            label: "scale of the reverse variances",
            ticks: [0.25, 0.5, 1, 2, 4],
            tickFormat: (d: number) => String(d),
          },
          y: { label: "nats", grid: true },
          marks: [
            Plot.areaY(rows, {
              x: "scale",
              y1: "elbo",
              y2: "logP",
              fill: SERIES[2],
              fillOpacity: 0.25,
            }),
            Plot.line(long, { x: "scale", y: "value", stroke: "curve", z: "curve" }),
            Plot.ruleX([1], { strokeDasharray: "3,3", strokeOpacity: 0.5 }),
            Plot.text(
              [{ scale: 0.3, value: rows[2].logP, curve: "log p(x₀)" }, {
                scale: 0.3,
                value: rows[2].elbo,
                curve: "ELBO",
              }],
              { x: "scale", y: "value", text: "curve", fill: "curve", dy: -8, textAnchor: "start" },
            ),
          ],
          color: { domain: ["log p(x₀)", "ELBO"], range: SERIES.slice(0, 2) },
        },
        "Two curves against the variance scale: log p on top, the ELBO below, touching near scale 1 and separating on both sides; the gap between them is shaded.",
      )],
    );
  },
};

/** The sample variance of a list of numbers. */
function sampleVariance(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
}

/** Draws per estimator and setting in the variance table. */
export const ESTIMATOR_DRAWS = 60;

/**
 * The variance over draws of the two one-sample ELBO estimators at x_0 = 1.3: the path form
 * log p(x_{0:T}) − log q(x_{1:T} | x_0) on one forward path, and the summed-terms form (one x_t per
 * t, KLs in closed form), for the true reverse chain and one with doubled variances.
 */
export function estimatorVariances() {
  return estimatorRows ??= computeEstimatorVariances();
}
let estimatorRows: ReturnType<typeof computeEstimatorVariances> | undefined;

function computeEstimatorVariances() {
  const x0 = 1.3;
  return [100, 1000].flatMap((T) => {
    const s = scheduleWithSteps("linear", T);
    return [{ model: "true reverse", scale: 1 }, { model: "variances × 2", scale: 2 }].map((m) => {
      const reverse = scaledReverse(s, m.scale), mean = linearReverseMean(reverse);
      const opts = { variance: reverse.variance };
      const rng = createRng(T + m.scale);
      const path = Array.from(
        { length: ESTIMATOR_DRAWS },
        () => logPathWeight(s, sampleForwardPath(s, x0, rng), mean, opts),
      );
      const terms = Array.from(
        { length: ESTIMATOR_DRAWS },
        () => elboTerms(s, x0, mean, rng, opts).elbo,
      );
      return { T, model: m.model, path: sampleVariance(path), terms: sampleVariance(terms) };
    });
  });
}

const estimatorTable: FigureSpec = {
  name: "estimator-variance",
  kind: "table",
  render() {
    return tableElement(
      "estimator-variance",
      "Which estimator is noisier depends on the model.",
      `Variance of one draw of each ELBO estimator at x_{0} = 1.3 for data N(1, 0.25), from ` +
        `${ESTIMATOR_DRAWS} draws each (linear schedules with T steps). For the true reverse ` +
        `chain the path weight is almost the constant log p(x_{0}) (its log-ratios telescope), ` +
        `while the summed-terms form keeps the noise of its T independent x_{t}. For a poor ` +
        `model the path form's variance grows with T and the summed terms win.`,
      ["T", "model", "Var, path form", "Var, summed terms"],
      estimatorVariances().map((r) => [
        String(r.T),
        r.model,
        formatNumber(r.path),
        formatNumber(r.terms),
      ]),
    );
  },
};

/** The T = 2 chain of the terms table: β = (0.2, 0.9). */
export function twoStepSchedule(): Schedule {
  return scheduleFromBetas([0.2, 0.9]);
}

/** The terms of the T = 2 chain for three models. */
export function twoStepTerms() {
  const s = twoStepSchedule();
  return [
    { model: "true reverse", reverse: scaledReverse(s, 1) },
    { model: "variances × 2", reverse: scaledReverse(s, 2) },
    { model: "means of N(0, 1) data", reverse: exactGaussianReverse(s, { mean: 0, variance: 1 }) },
  ].map(({ model, reverse }) => ({
    model,
    terms: exactElboGaussian(s, DATA, reverse),
    logP: exactLogLikelihoodGaussianChain(s, DATA, reverse),
  }));
}

const twoStepTable: FigureSpec = {
  name: "elbo-terms-t2",
  kind: "table",
  render() {
    const f = (x: number) => formatFixed(x, 3);
    return tableElement(
      "elbo-terms-t2",
      "The ELBO of a two-step chain, term by term.",
      "Data N(1, 0.25), β_{1} = 0.2, β_{2} = 0.9, all in nats and in closed form (averaged " +
        "over the data). ELBO = reconstruction − prior − denoising, and the gap log p − ELBO is " +
        "never negative. The gap measures how far the model's reverse paths are from the forward " +
        "process's, not how well it fits the data: the last model, the exact time reversal of " +
        "the chain for N(0, 1) data, has no gap at all and the worst likelihood.",
      [
        "model",
        "prior KL",
        "denoising KL (t = 2)",
        "reconstruction",
        "ELBO",
        "E log p(x_{0})",
        "gap",
      ],
      twoStepTerms().map(({ model, terms, logP }) => [
        model,
        f(terms.prior),
        f(terms.denoising[2]),
        f(terms.reconstruction),
        f(terms.elbo),
        f(logP),
        f(logP - terms.elbo),
      ]),
    );
  },
};

/** The denoising KL terms over t = 2..T of the default schedule, for two reverse chains. */
export function denoisingTerms() {
  const s = linearSchedule();
  return [{ model: "true reverse", scale: 1 }, { model: "variances × 2", scale: 2 }].map((m) => ({
    ...m,
    terms: exactElboGaussian(s, DATA, scaledReverse(s, m.scale)),
  }));
}

const termsFigure: FigureSpec = {
  name: "denoising-terms",
  kind: "figure",
  render() {
    const models = denoisingTerms();
    const rows = models.flatMap(({ model, terms }) =>
      Array.from(terms.denoising.slice(2), (kl, i) => ({ t: i + 2, kl, model }))
    );
    const sum = (d: Float64Array) => d.reduce((a, b) => a + b, 0);
    const describe = ({ model, terms }: (typeof models)[number]) =>
      `${model}: prior KL ${formatNumber(terms.prior)}, denoising sum ` +
      `${formatFixed(sum(terms.denoising), 3)}, reconstruction ${
        formatFixed(terms.reconstruction, 3)
      }, ` +
      `ELBO ${formatFixed(terms.elbo, 3)}`;
    return figureElement(
      "denoising-terms",
      "Where the bound's nats go.",
      `The denoising terms E KL(q(x_{t−1} | x_{t}, x_{0}) ‖ p_{θ}(x_{t−1} | x_{t})) of the ` +
        `ELBO for data N(1, 0.25) and the default schedule (T = 100), in closed form, for the ` +
        `true reverse chain and for one with every variance doubled (log scale). ` +
        `${models.map(describe).join("; ")} nats. Even the true reverse chain pays at every ` +
        `step, because its Gaussian steps are compared with q(x_{t−1} | x_{t}, x_{0}), which ` +
        `knows x_{0}.`,
      [logCurvesOverT(
        rows.map((r) => ({ t: r.t, value: r.kl, series: r.model })),
        "nats",
        models.map((m) => ({ series: m.model, t: 60, dy: -8 })),
        "Two curves of the per-step KL against t on a log scale; the doubled-variance chain's curve lies above the true chain's at every t.",
      )],
    );
  },
};

/** Chapter 3's figures and tables. */
export const chapter3: FigureSpec[] = [elboGap, termsFigure, estimatorTable, twoStepTable];
