/**
 * Chapter 2's exhibits: the forward and reverse chains as a graphical model, the swiss roll pushed
 * through the forward chain, and the entropy terms of Sohl-Dickstein et al.'s bound for three
 * schedules. Every number comes from `engine/`.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  conditionMixture,
  cosineSchedule,
  createRng,
  forwardSample,
  linearSchedule,
  mixtureLogPdf,
  optimalEps,
  replacementInpaint,
  type Schedule,
  sdBoundEntropies,
  sohlDicksteinSchedule,
} from "../../engine/mod.ts";
import { swissRoll } from "../../engine/datasets.ts";
import { bookMixture2D } from "../../engine/toy_mixture.ts";
import type { FigureSpec } from "../book/mod.ts";
import { figureElement, plotSvg, SERIES, tableElement } from "./figure.ts";
import { formatFixed, formatNumber } from "./format.ts";

const chainsGraph: FigureSpec = {
  name: "markov-chains",
  kind: "figure",
  render() {
    const s = linearSchedule();
    // there is no subscript capital T in Unicode: the last node is written xT
    const nodes = ["x₀", "x₁", "x₂", "⋯", "xₜ₋₁", "xₜ", "⋯", "xT"].map((label, i) => ({
      label,
      i,
    }));
    const arrows = nodes.slice(1).map((n, j) => ({ from: j, to: n.i }));
    return figureElement(
      "markov-chains",
      "Two chains over the same points.",
      `Top: the forward chain q, fixed; each arrow is the kernel q(x_{t} | x_{t−1}) = ` +
        `N(√(1 − β_{t}) x_{t−1}, β_{t} I). Bottom: the reverse chain p_{θ}, learned, run from ` +
        `p(x_{T}) = N(0, I) back to x_{0}. With the default schedule the forward chain keeps ` +
        `ᾱ_{T} = ${formatNumber(s.alphaBars[s.T])} of the data's variance at x_{T}, which is ` +
        `why the reverse chain may start from pure noise.`,
      [plotSvg(
        {
          width: 640,
          height: 170,
          x: { axis: null, domain: [-0.5, 7.5] },
          y: { axis: null, domain: [-0.6, 1.6] },
          marks: [
            Plot.arrow(arrows, {
              x1: (a: { from: number }) => a.from + 0.22,
              x2: (a: { to: number }) => a.to - 0.22,
              y1: 1,
              y2: 1,
              stroke: SERIES[0],
            }),
            Plot.arrow(arrows, {
              x1: (a: { to: number }) => a.to - 0.22,
              x2: (a: { from: number }) => a.from + 0.22,
              y1: 0,
              y2: 0,
              stroke: SERIES[1],
            }),
            Plot.dot(
              [...nodes.map((n) => ({ ...n, y: 1 })), ...nodes.map((n) => ({ ...n, y: 0 }))]
                .filter((n) => n.label !== "⋯"),
              { x: "i", y: "y", r: 14, stroke: "currentColor" },
            ),
            Plot.text([
              ...nodes.map((n) => ({ ...n, y: 1 })),
              ...nodes.map((n) => ({ ...n, y: 0 })),
            ], {
              x: "i",
              y: "y",
              text: "label",
              fontSize: 13,
            }),
            Plot.text(["forward q(xₜ | xₜ₋₁): adds noise"], {
              x: 3.5,
              y: 1.45,
              fill: SERIES[0],
              fontSize: 12,
            }),
            Plot.text(["reverse pθ(xₜ₋₁ | xₜ): removes it"], {
              x: 3.5,
              y: -0.45,
              fill: SERIES[1],
              fontSize: 12,
            }),
          ],
        },
        "Two rows of circles x0 to xT: arrows run right along the top row (forward) and left along the bottom row (reverse).",
      )],
    );
  },
};

/** The steps at which the swiss roll is shown. */
export const ROLL_STEPS = [0, 10, 50, 100] as const;

/** The forward-chain swiss roll: 400 points (seed 2) and, per shown t, ᾱ_t and mean ‖x_t‖²/d. */
export function swissRollForward() {
  const s = linearSchedule();
  const n = 400, x0 = swissRoll(n, createRng(2)); // [n * 2]
  const rng = createRng(3);
  return ROLL_STEPS.map((t) => {
    const points: { x: number; y: number; t: string }[] = [];
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const p = [x0[2 * i], x0[2 * i + 1]];
      const xt = t === 0 ? p : Array.from(forwardSample(s, p, t, rng).xt); // [2]
      points.push({ x: xt[0], y: xt[1], t: `t = ${t}` });
      sq += (xt[0] ** 2 + xt[1] ** 2) / 2;
    }
    return { t, alphaBar: s.alphaBars[t], meanSquare: sq / n, points };
  });
}

const swissRollFigure: FigureSpec = {
  name: "swiss-roll-forward",
  kind: "figure",
  render() {
    const rows = swissRollForward();
    const stats = rows.map((r) =>
      `t = ${r.t}: ᾱ_{t} = ${formatNumber(r.alphaBar)}, mean ‖x_{t}‖²/d = ${
        formatNumber(r.meanSquare)
      }`
    ).join("; ");
    return figureElement(
      "swiss-roll-forward",
      "The swiss roll dissolving.",
      `400 points of the standardised swiss roll pushed through the default schedule (one draw ` +
        `of x_{t} ~ q(x_{t} | x_{0}) per point). ${stats}. The signal's share ᾱ_{t} falls, yet ` +
        `the size of the cloud stays near 1 per coordinate: the forward kernel trades signal ` +
        `for noise without inflating the variance, so x_{100} looks like N(0, I).`,
      [plotSvg(
        {
          width: 640,
          height: 200,
          x: { domain: [-3.5, 3.5], label: null, ticks: 3 },
          y: { domain: [-3.5, 3.5], label: null, ticks: 3 },
          fx: { label: null, domain: ROLL_STEPS.map((t) => `t = ${t}`) },
          marks: [
            Plot.frame({ strokeOpacity: 0.3 }),
            Plot.dot(rows.flatMap((r) => r.points), {
              x: "x",
              y: "y",
              fx: "t",
              r: 1,
              fill: SERIES[0],
              fillOpacity: 0.6,
            }),
          ],
        },
        "Four scatter plots: a clear spiral at t = 0, a blurred spiral at t = 10, a faint ring-like blob at t = 50, a round Gaussian cloud at t = 100.",
      )],
    );
  },
};

/** The schedules the entropy table compares. */
export function entropySchedules(): { name: string; schedule: Schedule }[] {
  return [
    { name: "linear, T = 100 (default)", schedule: linearSchedule() },
    { name: "cosine, T = 100", schedule: cosineSchedule() },
    { name: "Sohl-Dickstein, T = 40", schedule: sohlDicksteinSchedule() },
  ];
}

const entropyTable: FigureSpec = {
  name: "entropy-terms",
  kind: "table",
  render() {
    return tableElement(
      "entropy-terms",
      "The entropy terms, per coordinate.",
      "H_{q}(X_{t} | X_{0}) = ½ log(2πe(1 − ᾱ_{t})) and H_{p}(X_{T}) = ½ log(2πe), in nats for " +
        "d = 1, from the engine's sdBoundEntropies. The last column is their sum in the bound; " +
        "none depends on the model. A small β_{1} makes H_{q}(X_{1} | X_{0}) very negative.",
      [
        "schedule",
        "β_{1}",
        "ᾱ_{T}",
        "H_{q}(X_{T} | X_{0})",
        "H_{q}(X_{1} | X_{0})",
        "H_{p}(X_{T})",
        "sum",
      ],
      entropySchedules().map(({ name, schedule }) => {
        const e = sdBoundEntropies(schedule, 1);
        return [
          name,
          formatNumber(schedule.betas[1]),
          formatNumber(schedule.alphaBars[schedule.T]),
          formatFixed(e.hqT, 3),
          formatFixed(e.hq1, 3),
          formatFixed(e.hpT, 3),
          formatFixed(e.total, 3),
        ];
      }),
    );
  },
};

/** A histogram normalised as a density: bins of [lo, hi], each with its height. */
function histogram(xs: number[], lo: number, hi: number, bins: number) {
  const width = (hi - lo) / bins;
  const counts = new Array(bins).fill(0);
  for (const x of xs) if (x >= lo && x < hi) counts[Math.floor((x - lo) / width)]++;
  return counts.map((c, i) => ({
    x1: lo + i * width,
    x2: lo + (i + 1) * width,
    density: c / (xs.length * width),
  }));
}

/** The observed coordinate of the inpainting figure: x = 1.3 in the book's 2-D mixture. */
export const INPAINT_OBSERVATION = { indices: [0], values: [1.3] };

/** Replacement-method draws of the unobserved y with the best Gaussian reverse step, and the exact conditional. */
export function inpaintingSamples() {
  return inpainting ??= computeInpaintingSamples();
}
let inpainting: ReturnType<typeof computeInpaintingSamples> | undefined;

function computeInpaintingSamples() {
  const m = bookMixture2D(), s = linearSchedule();
  const mean = (x: Float64Array, t: number) => {
    const eps = optimalEps(m, s, t, x), c = s.betas[t] / Math.sqrt(1 - s.alphaBars[t]);
    return x.map((xi, i) => (xi - c * eps[i]) / Math.sqrt(s.alphas[t])); // eq:eps-mean, exact eps
  };
  const rng = createRng(11);
  const ys = Array.from(
    { length: 150 },
    () => replacementInpaint(s, 2, mean, INPAINT_OBSERVATION, rng)[1],
  );
  const exact = conditionMixture(m, INPAINT_OBSERVATION);
  const exactUpper = exact.means.reduce((a, mu, k) => a + (mu[0] > 0 ? exact.weights[k] : 0), 0);
  return { ys, exact, exactUpper, replacementUpper: ys.filter((y) => y > 0).length / ys.length };
}

const inpaintingFigure: FigureSpec = {
  name: "inpainting",
  kind: "figure",
  render() {
    const { ys, exact, exactUpper, replacementUpper } = inpaintingSamples();
    const grid = Array.from({ length: 241 }, (_, i) => -2.4 + i / 50);
    const f = (x: number) => formatFixed(x, 2);
    return figureElement(
      "inpainting",
      "Inpainting one coordinate.",
      `The book's 2-D mixture with its first coordinate observed, x = ${
        INPAINT_OBSERVATION.values[0]
      }. Line: the exact conditional density of the other coordinate (the engine's ` +
        `conditionMixture), with ${f(exactUpper)} of its mass above 0. Bars: ${ys.length} ` +
        `samples of the replacement method run with the best Gaussian reverse step (its mean ` +
        `from the exact E[ε | x_{t}]), with ${f(replacementUpper)} above 0. The replacement ` +
        `method pins the observed coordinate exactly but only approximates the conditional.`,
      [plotSvg(
        {
          width: 560,
          height: 220,
          x: { label: "unobserved coordinate y", domain: [-2.4, 2.4] },
          y: { label: "density", grid: true },
          marks: [
            Plot.rectY(histogram(ys, -2.4, 2.4, 30), {
              x1: "x1",
              x2: "x2",
              y: "density",
              fill: SERIES[0],
              fillOpacity: 0.45,
            }),
            Plot.line(
              grid.map((y) => ({ y, density: Math.exp(mixtureLogPdf(exact, y)) })),
              { x: "y", y: "density", stroke: SERIES[1], strokeWidth: 2 },
            ),
            Plot.ruleY([0]),
          ],
        },
        "A histogram of replacement-method samples over the unobserved coordinate, with two bumps, under a line for the exact conditional density with the same two bumps in different proportions.",
      )],
    );
  },
};

/** Chapter 2's figures and tables. */
export const chapter2: FigureSpec[] = [
  chainsGraph,
  swissRollFigure,
  inpaintingFigure,
  entropyTable,
];
