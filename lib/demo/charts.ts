/**
 * Line charts for the training demos, drawn by uPlot (npm). uPlot is imported dynamically, so it
 * lands in its own chunk that loads with the first chart (after the reader presses Train), not
 * in the page's initial JavaScript; its stylesheet is served from our static files
 * (`/vendor/uplot/uPlot.min.css`, copied there by the build).
 *
 * @module
 */
import type uPlot from "uplot";
import { paletteOf } from "./draw.ts";

/** Where the build puts uPlot's stylesheet. */
export const UPLOT_CSS = "/vendor/uplot/uPlot.min.css";

/** One line of a chart. */
export interface LineSeries {
  label: string;
  /** A palette name (`ink`, `muted`, `accent`, `rule`) or a CSS colour. */
  colour: string;
  width?: number;
  dash?: number[];
  /** Draw points instead of a line (sparse series such as MMD²). */
  points?: boolean;
}

/** What a chart shows. */
export interface LineChartOptions {
  width: number;
  height: number;
  series: LineSeries[];
  /** A base-10 log scale on y (values must be positive; others are gaps). */
  logY?: boolean;
  xLabel: string;
  yLabel: string;
}

/** A live chart. */
export interface LineChart {
  /** Replaces the data: x values, and one y array per series (null or non-positive: a gap). */
  setData(x: ArrayLike<number>, ys: ArrayLike<number | null>[]): void;
  destroy(): void;
}

/**
 * Adds uPlot's stylesheet to the page once.
 *
 * @param doc The document.
 */
export function ensureChartStyles(doc: Document): void {
  if (doc.querySelector("link[data-uplot]")) return;
  // Next to KaTeX's stylesheet when the page has one (so a site under a base path works too).
  const katex = doc.querySelector<HTMLLinkElement>('link[href$="vendor/katex/katex.min.css"]');
  const link = doc.createElement("link");
  link.rel = "stylesheet";
  link.dataset.uplot = "";
  link.href = katex
    ? katex.getAttribute("href")!.replace(/katex\/katex\.min\.css$/, "uplot/uPlot.min.css")
    : UPLOT_CSS;
  doc.head.append(link);
}

/**
 * Turns y values into what uPlot draws: non-finite values become gaps, and so do non-positive
 * ones on a log scale.
 *
 * @example
 * ```ts
 * import { chartValues } from "./charts.ts";
 * const v = chartValues([1, 0, NaN, 2], true);
 * if (v.join() !== "1,,,2") throw new Error(v.join());
 * ```
 */
export function chartValues(values: ArrayLike<number | null>, logY: boolean): (number | null)[] {
  return Array.from(
    values,
    (v) => v === null || !Number.isFinite(v) || (logY && v <= 0) ? null : v,
  );
}

/**
 * Creates a line chart inside `el` (uPlot is loaded on first use).
 *
 * @param el The container (its width caps the chart's).
 * @param opts Size, series and axes.
 * @returns The chart.
 */
export async function createLineChart(el: HTMLElement, opts: LineChartOptions): Promise<LineChart> {
  const { default: UPlot } = await import("uplot");
  ensureChartStyles(el.ownerDocument);
  const palette = paletteOf(el);
  const colour = (c: string) => (palette as unknown as Record<string, string>)[c] ?? c;
  const axis = (label: string): uPlot.Axis => ({
    label,
    stroke: palette.muted,
    grid: { stroke: palette.rule, width: 1 },
    ticks: { stroke: palette.rule, width: 1 },
    font: "11px system-ui, sans-serif",
    labelFont: "11px system-ui, sans-serif",
    size: 42,
    labelSize: 16,
  });
  const width = Math.max(200, Math.min(opts.width, el.clientWidth || opts.width));
  const plot = new UPlot(
    {
      width,
      height: opts.height,
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: opts.logY ? { distr: 3, log: 10 } : {} },
      axes: [axis(opts.xLabel), axis(opts.yLabel)],
      series: [
        {},
        ...opts.series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: colour(s.colour),
          width: s.width ?? 1.5,
          dash: s.dash,
          spanGaps: true,
          points: s.points ? { show: true, size: 5, fill: colour(s.colour) } : { show: false },
        })),
      ],
    },
    [[], ...opts.series.map(() => [])],
    el,
  );
  return {
    setData(x, ys) {
      plot.setData([
        Array.from(x),
        ...ys.map((y) => chartValues(y, opts.logY ?? false)),
      ] as uPlot.AlignedData);
    },
    destroy: () => plot.destroy(),
  };
}
