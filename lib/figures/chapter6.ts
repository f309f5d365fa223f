/**
 * Chapter 6's exhibits: the Langevin chain's stationary density next to the three-bump target at
 * two step sizes (figure) and its bias over a range of step sizes (table); and how fast the two
 * probability-flow computations converge: DDIM as Euler's method (first order) and the ODE
 * log-likelihood by RK4 (fourth order). All from `engine/` (langevinStationary1D, ddimStep with the
 * exact mixture noise, probabilityFlowSolve, odeLogLikelihood).
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  createRng,
  klOnGrid,
  langevinStationary1D,
  linearVpSde,
  mixtureLogPdf,
  mixtureSample,
  mixtureScore,
  mixtureScoreDivergence,
  mixtureVariance,
  odeLogLikelihood,
  predictorCorrectorSample,
  probabilityFlowSolve,
  reverseSdeSample,
  threeBumps,
  vpMixtureMarginal,
  vpMixtureScore,
  vpScheduleFromSde,
} from "../../engine/mod.ts";
import { ddimStep } from "../../engine/samplers.ts";
import { mmd2 } from "../../engine/metrics.ts";
import { bookMixture2D } from "../../engine/toy_mixture.ts";
import type { FigureSpec } from "../book/mod.ts";
import { figureElement, plotSvg, SERIES, tableElement } from "./figure.ts";
import { formatFixed, formatNumber, logTick } from "./format.ts";

const LO = -4, HI = 4.5, GRID = 500;
const score1 = (x: number) => mixtureScore(threeBumps, x)[0];

/** The step sizes of the bias table; the figure draws 0.01 and 0.04. */
export const DELTAS = [0.0025, 0.005, 0.01, 0.02, 0.04, 0.06] as const;

/** For each step size: the chain's exact stationary density, its KL to the target, its moments. */
export function langevinBias() {
  return DELTAS.map((delta) => {
    const r = langevinStationary1D(score1, delta, LO, HI, GRID);
    const kl = klOnGrid(r.grid, r.density, (x) => mixtureLogPdf(threeBumps, x));
    // the narrowest bump alone (variance 0.02) by eq:langevin-gaussian-bias
    const narrowRatio = 1 / (1 - delta / (4 * 0.02));
    return {
      delta,
      kl,
      mean: r.mean,
      variance: r.variance,
      narrowRatio,
      grid: r.grid,
      density: r.density,
    };
  });
}

/** Where each density curve is labelled (x, and which side). */
const BIAS_LABELS = [
  { curve: "target q(x)", x: -2, dx: 8 },
  { curve: "chain, δ = 0.01", x: 0.5, dx: 8 },
  { curve: "chain, δ = 0.04", x: 2.9, dx: 6 },
];

/** The point of `curve` closest to x, as a one-row data set for a label. */
function nearest<R extends { x: number; curve: string }>(rows: R[], curve: string, x: number): R[] {
  const own = rows.filter((r) => r.curve === curve);
  return [own.reduce((a, b) => (Math.abs(b.x - x) < Math.abs(a.x - x) ? b : a))];
}

const biasFigure: FigureSpec = {
  name: "langevin-bias",
  kind: "figure",
  render() {
    const rows = langevinBias().filter((r) => r.delta === 0.01 || r.delta === 0.04);
    const target = rows[0].grid.map((x) => Math.exp(mixtureLogPdf(threeBumps, x)));
    const long = [
      ...Array.from(rows[0].grid, (x, i) => ({ x, density: target[i], curve: "target q(x)" })),
      ...rows.flatMap((r) =>
        Array.from(r.grid, (x, i) => ({ x, density: r.density[i], curve: `chain, δ = ${r.delta}` }))
      ),
    ];
    const [a, b] = rows;
    return figureElement(
      "langevin-bias",
      "Langevin's resting shape at two step sizes.",
      `The three-bump data (variances 0.05, 0.2, 0.02) and the stationary density of the ` +
        `unadjusted Langevin chain, found by solving the discretised kernel on ${GRID} points. ` +
        `At δ = ${a.delta} the KL to the target is ${formatNumber(a.kl)} nats; at δ = ${b.delta} ` +
        `it is ${formatNumber(b.kl)}, and the variance falls from ` +
        `${formatFixed(mixtureVariance(threeBumps)[0], 3)} to ${formatFixed(b.variance, 3)}: the ` +
        `narrow bump at 2.5 is smeared out and loses mass.`,
      [plotSvg(
        {
          width: 560,
          height: 240,
          x: { label: "x" },
          y: { label: "density", grid: true },
          color: { domain: [...new Set(long.map((r) => r.curve))], range: [...SERIES] },
          marks: [
            Plot.line(long, { x: "x", y: "density", stroke: "curve" }),
            ...BIAS_LABELS.map(({ curve, x, dx }) =>
              Plot.text(nearest(long, curve, x), {
                x: "x",
                y: "density",
                text: "curve",
                fill: "curve",
                dx,
                dy: -8,
                textAnchor: "start",
              })
            ),
          ],
        },
        "Three bumps of the target density with the chain's resting densities on top: at the small step size it nearly covers the target; at the larger one the tall narrow bump on the right is lower and wider.",
      )],
    );
  },
};

const biasTable: FigureSpec = {
  name: "langevin-bias-numbers",
  kind: "table",
  render() {
    const rows = langevinBias();
    return tableElement(
      "langevin-bias-numbers",
      "The finite-step bias in numbers.",
      `Three-bump data, variance ${formatFixed(mixtureVariance(threeBumps)[0], 4)}. KL and ` +
        "variance of the chain's exact stationary density (engine langevinStationary1D); the last " +
        "column is the excess variance factor 1/(1 − δ/(4s^{2})) the narrowest bump alone " +
        "(s^{2} = 0.02) would have.",
      ["δ", "KL(stationary ‖ target), nats", "mean", "variance", "narrow bump alone: factor"],
      rows.map((r) => [
        String(r.delta),
        formatNumber(r.kl),
        formatFixed(r.mean, 3),
        formatFixed(r.variance, 3),
        formatFixed(r.narrowRatio, 3),
      ]),
    );
  },
};

/** The step counts of the convergence figure. */
export const STEPS = [25, 50, 100, 200, 400] as const;

/**
 * For each step count: the distance from DDIM's endpoint (exact mixture noise, schedule
 * `vpScheduleFromSde(..., "exact")`, from tau = 1 to tau = 0.04) to the RK4 solution of the
 * probability-flow ODE (2,000 steps), and the error of the ODE log-likelihood at x_0 = (0.2, 1)
 * against the closed-form log q(x_0) (RK4 with that many steps, exact q_1 as the prior).
 */
export function flowConvergence() {
  const m = bookMixture2D(), sde = linearVpSde(), score = vpMixtureScore(m, sde);
  const x1 = Float64Array.of(0.3, -0.8), tauEnd = 0.04;
  const reference = probabilityFlowSolve({
    sde,
    score,
    x: x1.slice(),
    dim: 2,
    steps: 2000,
    tauStart: 1,
    tauEnd,
  });
  const q1 = vpMixtureMarginal(m, sde, 1), x0 = [0.2, 1], exact = mixtureLogPdf(m, x0);
  return STEPS.map((T) => {
    const s = vpScheduleFromSde(sde, T, "exact");
    let x: Float64Array = x1.slice();
    for (let t = T; t > tauEnd * T; t--) {
      const eps = Array.from(score(x, t / T), (v) => -Math.sqrt(1 - s.alphaBars[t]) * v);
      x = ddimStep(s, x, eps, t, t - 1, 0);
    }
    const ode = odeLogLikelihood({
      sde,
      x0,
      score,
      scoreDivergence: (p, tau) => mixtureScoreDivergence(vpMixtureMarginal(m, sde, tau), p),
      priorLogPdf: (p) => mixtureLogPdf(q1, p),
      steps: T,
    });
    return {
      steps: T,
      ddimError: Math.hypot(x[0] - reference[0], x[1] - reference[1]),
      likelihoodError: Math.abs(ode.logLikelihood - exact),
    };
  });
}

const convergenceFigure: FigureSpec = {
  name: "flow-convergence",
  kind: "figure",
  render() {
    const rows = flowConvergence();
    const long = rows.flatMap((r) => [
      { steps: r.steps, error: r.ddimError, curve: "DDIM endpoint (Euler in σ)" },
      { steps: r.steps, error: r.likelihoodError, curve: "ODE log-likelihood (RK4), nats" },
    ]);
    const first = rows[0], last = rows[rows.length - 1];
    return figureElement(
      "flow-convergence",
      "Two ways of solving the probability-flow ODE.",
      `The book's 2-D mixture with its exact score. DDIM with η = 0 from x_{1} = (0.3, −0.8) ` +
        `lands ${formatNumber(first.ddimError)} from the ODE's solution with ${first.steps} ` +
        `steps and ${formatNumber(last.ddimError)} with ${last.steps}: halving per doubling, ` +
        `first order. The ODE log-likelihood at x_{0} = (0.2, 1) is off by ` +
        `${formatNumber(first.likelihoodError)} nats with ${first.steps} RK4 steps and ` +
        `${formatNumber(last.likelihoodError)} with ${last.steps}: fourth order.`,
      [plotSvg(
        {
          width: 560,
          height: 250,
          marginLeft: 56,
          x: { type: "log", label: "steps", ticks: [...STEPS] },
          y: { type: "log", label: "error", grid: true, tickFormat: logTick },
          color: { domain: [...new Set(long.map((r) => r.curve))], range: [...SERIES] },
          marks: [
            Plot.line(long, { x: "steps", y: "error", stroke: "curve" }),
            Plot.dot(long, { x: "steps", y: "error", fill: "curve" }),
            Plot.text(long.filter((r) => r.steps === 50), {
              x: "steps",
              y: "error",
              text: "curve",
              fill: "curve",
              dx: 6,
              dy: -10,
              textAnchor: "start",
            }),
          ],
        },
        "Two falling lines on log-log axes against the number of steps: the DDIM error falls with slope about one, the ODE likelihood error with slope about four.",
      )],
    );
  },
};

/** Points per sample in the sampler comparison. */
export const SAMPLE_SIZE = 1000;

/**
 * Samples of the book's 2-D mixture from one shared x_1 ~ N(0, I) by four samplers with the exact
 * score, and their MMD² (h = 0.1) to a fresh data sample; two independent data samples give the
 * noise floor. Computed once per process.
 */
export function samplerComparison(): { name: string; evaluations: number; mmd: number }[] {
  return comparison ??= compareSamplers();
}
let comparison: { name: string; evaluations: number; mmd: number }[] | undefined;

function compareSamplers() {
  const m = bookMixture2D(), sde = linearVpSde(), score = vpMixtureScore(m, sde);
  const rng = createRng(61);
  const x1 = Float64Array.from({ length: 2 * SAMPLE_SIZE }, () => rng.normal());
  const data = mixtureSample(m, SAMPLE_SIZE, createRng(62)).x;
  const run = (name: string, evaluations: number, draw: () => Float64Array) => ({
    name,
    evaluations,
    mmd: mmd2(draw(), data),
  });
  return [
    run(
      "reverse SDE, 20 Euler-Maruyama steps",
      20,
      () => reverseSdeSample({ sde, score, x: x1.slice(), dim: 2, steps: 20 }, createRng(63)),
    ),
    run(
      "predictor-corrector, 20 steps + 20 corrector steps",
      40,
      () =>
        predictorCorrectorSample({ sde, score, x: x1.slice(), dim: 2, steps: 20 }, createRng(63)),
    ),
    run(
      "probability-flow ODE, 4 RK4 steps",
      16,
      () => probabilityFlowSolve({ sde, score, x: x1.slice(), dim: 2, steps: 4 }),
    ),
    run(
      "probability-flow ODE, 20 RK4 steps",
      80,
      () => probabilityFlowSolve({ sde, score, x: x1.slice(), dim: 2, steps: 20 }),
    ),
    run(
      "a second data sample (noise floor)",
      0,
      () => mixtureSample(m, SAMPLE_SIZE, createRng(64)).x,
    ),
  ];
}

const samplerTable: FigureSpec = {
  name: "sampler-comparison",
  kind: "table",
  render() {
    return tableElement(
      "sampler-comparison",
      "SDE, predictor-corrector and ODE from the same noise.",
      `The book's 2-D mixture, its exact score, ${SAMPLE_SIZE} points started from one shared ` +
        "draw of x_{1} ~ N(0, I); MMD² (bandwidth 0.1) to a fresh data sample. Differences " +
        "below the noise floor's size are not meaningful.",
      ["sampler", "score evaluations per point", "MMD² to data"],
      samplerComparison().map((r) => [r.name, String(r.evaluations), formatNumber(r.mmd)]),
    );
  },
};

/** Chapter 6's exhibits. */
export const chapter6: FigureSpec[] = [biasFigure, biasTable, convergenceFigure, samplerTable];
