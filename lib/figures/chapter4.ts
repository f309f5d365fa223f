/**
 * Chapter 4's exhibits: VAE → hierarchical VAE → VDM as graphs, and the loss weights of the three
 * parameterisations over t (figure and table), from the engine's `lossWeight`.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { linearSchedule, lossWeight, type PredictionTarget, snr } from "../../engine/mod.ts";
import type { FigureSpec } from "../book/mod.ts";
import { figureElement, logCurvesOverT, plotSvg, SERIES, tableElement } from "./figure.ts";
import { formatNumber } from "./format.ts";

interface Node {
  row: string;
  i: number;
  label: string;
}

const modelGraphs: FigureSpec = {
  name: "vae-hvae-vdm",
  kind: "figure",
  render() {
    const s = linearSchedule();
    const rows: [string, string[], string][] = [
      ["VAE", ["x", "z"], "encoder qφ and decoder pθ both learned"],
      ["hierarchical VAE", ["x", "z₁", "z₂", "⋯", "zT"], "a Markov stack of latents, all learned"],
      [
        "VDM",
        ["x₀", "x₁", "x₂", "⋯", "xT"],
        "encoder fixed (the forward process), latents as big as x",
      ],
    ];
    const ys: Record<string, number> = { VAE: 2, "hierarchical VAE": 1, VDM: 0 };
    const nodes: Node[] = rows.flatMap(([row, labels]) =>
      labels.map((label, i) => ({ row, i, label }))
    );
    const edges = rows.flatMap(([row, labels]) =>
      labels.slice(1).map((_, j) => ({ row, from: j, to: j + 1, y: ys[row] }))
    );
    return figureElement(
      "vae-hvae-vdm",
      "From VAE to VDM.",
      `Each row is a generative model: upper arrows (blue) are the encoder q, lower arrows ` +
        `(red) the decoder p_{θ}. A VAE has one latent z; a hierarchical VAE stacks T of them in ` +
        `a Markov chain, with a learned encoder q_{φ}; a VDM keeps the chain but fixes every ` +
        `encoder step to the forward kernel N(√α_{t} x_{t−1}, (1 − α_{t}) I), gives every latent ` +
        `the data's dimension, and chooses the schedule so that x_{T} is pure noise (ᾱ_{T} = ` +
        `${formatNumber(s.alphaBars[s.T])} for the default schedule). Only the decoder is learned.`,
      [plotSvg(
        {
          width: 640,
          height: 260,
          x: { axis: null, domain: [-1.4, 4.4] },
          y: { axis: null, domain: [-0.5, 2.5] },
          marks: [
            Plot.arrow(edges, {
              x1: (e: { from: number }) => e.from + 0.15,
              x2: (e: { to: number }) => e.to - 0.15,
              y1: (e: { y: number }) => e.y + 0.08,
              y2: (e: { y: number }) => e.y + 0.08,
              bend: 25,
              stroke: SERIES[0],
            }),
            Plot.arrow(edges, {
              x1: (e: { to: number }) => e.to - 0.15,
              x2: (e: { from: number }) => e.from + 0.15,
              y1: (e: { y: number }) => e.y - 0.08,
              y2: (e: { y: number }) => e.y - 0.08,
              bend: 25,
              stroke: SERIES[1],
            }),
            Plot.dot(nodes.filter((n) => n.label !== "⋯"), {
              x: "i",
              y: (n: Node) => ys[n.row],
              r: 13,
              stroke: "currentColor",
              strokeWidth: (n: Node) => n.i === 0 ? 2.5 : 1,
              fill: "none",
            }),
            Plot.text(nodes, { x: "i", y: (n: Node) => ys[n.row], text: "label", fontSize: 13 }),
            Plot.text(rows, {
              x: -1.3,
              y: (r: [string]) => ys[r[0]] + 0.12,
              text: (r: [string]) => r[0],
              textAnchor: "start",
              fontWeight: "bold",
              fontSize: 12,
            }),
            Plot.text(rows, {
              x: -1.3,
              y: (r: [string]) => ys[r[0]] - 0.12,
              text: (r: [string, string[], string]) => r[2],
              textAnchor: "start",
              lineWidth: 12,
              fontSize: 10,
              lineAnchor: "top",
            }),
          ],
        },
        "Three rows of circles joined by arrows in both directions: x and z (VAE); x, z1, z2 up to zT (hierarchical VAE); x0, x1, x2 up to xT (VDM).",
      )],
    );
  },
};

/** The parameterisations, with their names in the book. */
export const TARGETS: { target: PredictionTarget; name: string }[] = [
  { target: "eps", name: "noise ε" },
  { target: "x0", name: "clean point x₀" },
  { target: "score", name: "score" },
];

/** Where along t each curve of the weights figure is labelled. */
const LABEL_AT: Record<string, number> = { "noise ε": 8, "clean point x₀": 45, score: 75 };

/** λ_t = c_t²/(2σ_q²(t)) with σ_q² = β̃_t, for t = 2..T of the default schedule. */
export function lossWeightCurve() {
  const s = linearSchedule();
  return TARGETS.flatMap(({ target, name }) =>
    Array.from({ length: s.T - 1 }, (_, i) => ({
      t: i + 2,
      name,
      weight: lossWeight(s, i + 2, target, "betaTilde"),
    }))
  );
}

/** The steps the weights table quotes. */
export const WEIGHT_STEPS = [2, 3, 10, 50, 99, 100] as const;

const weightsFigure: FigureSpec = {
  name: "loss-weights",
  kind: "figure",
  render() {
    const rows = lossWeightCurve();
    const at = (name: string, t: number) => rows.find((r) => r.name === name && r.t === t)!.weight;
    const f = (x: number) => formatNumber(x);
    const eps = TARGETS[0].name, x0 = TARGETS[1].name;
    const minEps = rows.filter((r) => r.name === eps).reduce((a, b) => b.weight < a.weight ? b : a);
    return figureElement(
      "loss-weights",
      "What the ELBO weighs, in three units.",
      `The weight λ_{t} in front of each squared error of the denoising term, for t = 2..100 of the default ` +
        `schedule with σ_{q}²(t) = β̃_{t} (log scale). The noise weight starts at ${
          f(at(eps, 2))
        } ` +
        `at t = 2, falls to ${f(minEps.weight)} at t = ${minEps.t} and rises again to ` +
        `${f(at(eps, 100))} at t = 100; the clean-point weight (the noise weight times SNR_{t}) ` +
        `falls from ${f(at(x0, 2))} to ${f(at(x0, 100))}. The simple loss sets the noise weight ` +
        `to 1 everywhere.`,
      [logCurvesOverT(
        rows.map((r) => ({ t: r.t, value: r.weight, series: r.name })),
        "λₜ",
        TARGETS.map(({ name }) => ({ series: name, t: LABEL_AT[name], dy: -8 })),
        "Three falling curves on a log scale against t; the noise weight dips and rises again near t = 100, the clean-point weight falls by many orders of magnitude.",
        [Plot.ruleY([1], { strokeDasharray: "3,3", strokeOpacity: 0.6 })],
      )],
    );
  },
};

const weightsTable: FigureSpec = {
  name: "loss-weight-numbers",
  kind: "table",
  render() {
    const s = linearSchedule();
    return tableElement(
      "loss-weight-numbers",
      "The weights in numbers.",
      "λ_{t} of each parameterisation with σ_{q}²(t) = β̃_{t} (the book's equations) and, for " +
        "comparison, the noise weight with σ_{t}² = β_{t} (the engine's default reverse " +
        "variance). The last column is how much an error in ε̂ grows when turned into an error " +
        "in x̂_{0}: the factor √(1 − ᾱ_{t})/√ᾱ_{t}.",
      [
        "t",
        "SNR_{t}",
        "λ_{t}, noise",
        "λ_{t}, clean point",
        "λ_{t}, score",
        "λ_{t}, noise (σ_{t}² = β_{t})",
        "√(1 − ᾱ_{t})/√ᾱ_{t}",
      ],
      WEIGHT_STEPS.map((t) => [
        String(t),
        formatNumber(snr(s, t)),
        ...TARGETS.map(({ target }) => formatNumber(lossWeight(s, t, target, "betaTilde"))),
        formatNumber(lossWeight(s, t, "eps", "beta")),
        formatNumber(Math.sqrt(1 - s.alphaBars[t]) / Math.sqrt(s.alphaBars[t])),
      ]),
    );
  },
};

/** Chapter 4's figures and tables. */
export const chapter4: FigureSpec[] = [modelGraphs, weightsFigure, weightsTable];
