/**
 * Chapter 1's exhibits: the schedules (ᾱ_t and log SNR, linear against cosine), the exact reverse
 * step against its Gaussian fit for a small and a large β_t, and the default schedule's numbers.
 * Every value comes from `engine/`; the captions print the values the drawings show.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import {
  cosineSchedule,
  gaussianFit,
  gaussianGap,
  linearSchedule,
  mixtureLogPdf,
  reverseKernel,
  type Schedule,
  scheduleWithSteps,
  snr,
  threeBumps,
} from "../../engine/mod.ts";
import type { FigureSpec } from "../book/mod.ts";
import { figureElement, plotSvg, SERIES, tableElement } from "./figure.ts";
import { formatNumber } from "./format.ts";

/** The book's default schedule (linear, T = 100, β from 10⁻³ to 0.2) and its cosine partner. */
export function defaultSchedules(): { linear: Schedule; cosine: Schedule } {
  return { linear: linearSchedule(), cosine: cosineSchedule() };
}

/** The steps the schedule figure's caption and the numbers table quote. */
export const QUOTED_STEPS = [1, 2, 10, 50, 100] as const;

/** ᾱ_t and log SNR of a schedule at t = 1..T, as rows for Plot. */
function curveRows(name: string, s: Schedule) {
  return Array.from({ length: s.T }, (_, i) => ({
    schedule: name,
    t: i + 1,
    alphaBar: s.alphaBars[i + 1],
    logSnr: Math.log(snr(s, i + 1)),
  }));
}

/** The schedule figure's values: ᾱ_50, ᾱ_100 and log SNR at t = 1 and 100, per schedule. */
export function scheduleCurveNumbers() {
  const { linear, cosine } = defaultSchedules();
  const of = (s: Schedule) => ({
    alphaBar50: s.alphaBars[50],
    alphaBar100: s.alphaBars[100],
    logSnr1: Math.log(snr(s, 1)),
    logSnr100: Math.log(snr(s, 100)),
  });
  return { linear: of(linear), cosine: of(cosine) };
}

const scheduleCurves: FigureSpec = {
  name: "schedule-curves",
  kind: "figure",
  render() {
    const { linear, cosine } = defaultSchedules();
    const rows = [...curveRows("linear", linear), ...curveRows("cosine", cosine)];
    const color = { domain: ["linear", "cosine"], range: SERIES.slice(0, 2) };
    const n = scheduleCurveNumbers();
    const f = (x: number) => formatNumber(x);
    const label = (key: "alphaBar" | "logSnr", t: number) =>
      Plot.text(
        rows.filter((r) => r.t === t),
        { x: "t", y: key, text: "schedule", fill: "schedule", dx: 4, dy: -8, textAnchor: "start" },
      );
    return figureElement(
      "schedule-curves",
      "How fast the signal goes.",
      `Left: ᾱ_{t}, the share of the data's variance left after t steps (T = 100). The linear ` +
        `schedule keeps ᾱ_{50} = ${f(n.linear.alphaBar50)} and ends at ᾱ_{100} = ` +
        `${f(n.linear.alphaBar100)}; the cosine schedule keeps ᾱ_{50} = ${
          f(n.cosine.alphaBar50)
        } ` +
        `and ends at ᾱ_{100} = ${f(n.cosine.alphaBar100)}. Right: log SNR_{t} = log(ᾱ_{t}/(1 − ` +
        `ᾱ_{t})), from ${f(n.linear.logSnr1)} to ${f(n.linear.logSnr100)} (linear) and from ` +
        `${f(n.cosine.logSnr1)} to ${f(n.cosine.logSnr100)} (cosine): the cosine schedule spends ` +
        `its steps more evenly across noise levels.`,
      [
        plotSvg(
          {
            width: 320,
            height: 220,
            color,
            x: { label: "t" },
            y: { label: "ᾱₜ", domain: [0, 1] },
            marks: [
              Plot.line(rows, { x: "t", y: "alphaBar", stroke: "schedule" }),
              label("alphaBar", 30),
            ],
          },
          "Two curves of alpha-bar sub t against t falling from 1 to near 0; the cosine curve stays higher longer.",
        ),
        plotSvg(
          {
            width: 320,
            height: 220,
            color,
            x: { label: "t" },
            y: { label: "log SNRₜ", grid: true },
            marks: [
              Plot.ruleY([0]),
              Plot.line(rows, { x: "t", y: "logSnr", stroke: "schedule" }),
              label("logSnr", 70),
            ],
          },
          "Two curves of log SNR against t, both falling; the cosine one close to a straight line.",
        ),
      ],
    );
  },
};

/** The two reverse kernels the fit figure compares: same data and x_t, small and large β_t. */
export function reverseFitCases() {
  const xt = 1.5;
  return [
    { label: "small step", schedule: linearSchedule(), t: 10, xt },
    { label: "large step", schedule: scheduleWithSteps("linear", 10), t: 2, xt },
  ].map((c) => {
    const kernel = reverseKernel(threeBumps, c.schedule, c.t, c.xt);
    return { ...c, kernel, beta: c.schedule.betas[c.t], gap: gaussianGap(kernel) };
  });
}

const reverseFit: FigureSpec = {
  name: "reverse-fit",
  kind: "figure",
  render() {
    const cases = reverseFitCases();
    const panels = cases.map((c) => {
      const fit = gaussianFit(c.kernel);
      const mean = c.gap.mean, sd = Math.sqrt(c.gap.variance);
      const xs = Array.from({ length: 301 }, (_, i) => mean - 4 * sd + (8 * sd * i) / 300);
      const rows = xs.flatMap((x) => [
        { x, density: Math.exp(mixtureLogPdf(c.kernel, x)), curve: "exact q(x_{t−1} | x_t)" },
        { x, density: Math.exp(mixtureLogPdf(fit, x)), curve: "Gaussian fit" },
      ]);
      return plotSvg({
        width: 320,
        height: 200,
        x: { label: "xₜ₋₁" },
        y: { label: "density", grid: true },
        marks: [
          Plot.areaY(rows.filter((r) => r.curve !== "Gaussian fit"), {
            x: "x",
            y: "density",
            fill: SERIES[0],
            fillOpacity: 0.2,
          }),
          Plot.line(rows.filter((r) => r.curve !== "Gaussian fit"), {
            x: "x",
            y: "density",
            stroke: SERIES[0],
          }),
          Plot.line(rows.filter((r) => r.curve === "Gaussian fit"), {
            x: "x",
            y: "density",
            stroke: SERIES[1],
            strokeDasharray: "5,3",
          }),
          Plot.text([c.label], { frameAnchor: "top-left", dx: 4, dy: 4 }),
        ],
      }, `The exact reverse density (filled) and its Gaussian fit (dashed) at a ${c.label}.`);
    });
    const [small, large] = cases;
    const f = (x: number) => formatNumber(x);
    return figureElement(
      "reverse-fit",
      "One reverse step, exact and Gaussian.",
      `The exact reverse kernel q(x_{t−1} | x_{t} = ${small.xt}) of the three-bump data ` +
        `(filled) and the Gaussian with its mean and variance (dashed). Left, a small step: ` +
        `t = ${small.t} of the default schedule, β_{t} = ${f(small.beta)}; total variation ` +
        `${f(small.gap.totalVariation)}, KL ${f(small.gap.kl)} nats. Right, a large step: t = ` +
        `${large.t} of the T = ${large.schedule.T} linear schedule, β_{t} = ${
          f(large.beta)
        }; total ` +
        `variation ${f(large.gap.totalVariation)}, KL ${f(large.gap.kl)} nats. No Gaussian ` +
        `reverse step can close the second gap, however well it is trained.`,
      panels,
    );
  },
};

/** The default schedule's numbers at the quoted steps: β_t, α_t, ᾱ_t, β̃_t and SNR_t. */
export function scheduleNumbers() {
  const s = linearSchedule();
  return QUOTED_STEPS.map((t) => ({
    t,
    beta: s.betas[t],
    alpha: s.alphas[t],
    alphaBar: s.alphaBars[t],
    betaTilde: s.betaTildes[t],
    snr: snr(s, t),
  }));
}

const scheduleTable: FigureSpec = {
  name: "schedule-numbers",
  kind: "table",
  render() {
    const f = (x: number) => formatNumber(x, 4);
    return tableElement(
      "schedule-numbers",
      "The default schedule in numbers.",
      "Linear β_{t} from 10^{−3} to 0.2 over T = 100 steps, as the engine computes it. " +
        "β̃_{1} = 0: at t = 1 the step back to a known x_{0} is certain.",
      ["t", "β_{t}", "α_{t}", "ᾱ_{t}", "β̃_{t}", "SNR_{t} = ᾱ_{t}/(1 − ᾱ_{t})"],
      scheduleNumbers().map((r) => [
        String(r.t),
        f(r.beta),
        f(r.alpha),
        f(r.alphaBar),
        f(r.betaTilde),
        f(r.snr),
      ]),
    );
  },
};

/** Chapter 1's figures and tables, by name. */
export const chapter1: FigureSpec[] = [scheduleCurves, reverseFit, scheduleTable];
