/**
 * Line charts for the training demos, drawn by uPlot (npm). uPlot is imported dynamically, so it
 * lands in its own chunk, and only when a chart is first needed: when its box comes near the
 * viewport (about half a viewport away) or when it first gets data to show (training started),
 * whichever comes first. A chart below the fold therefore costs nothing at load. Its stylesheet is
 * served from our static files (`/vendor/uplot/uPlot.min.css`, copied there by the build).
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

/** Calls `near` once when `el` comes close to the viewport; returns a function that stops watching. */
type NearWatch = (el: HTMLElement, near: () => void) => () => void;

/** The browser's watch: an IntersectionObserver with half a viewport of margin. */
const watchNear: NearWatch = (el, near) => {
  const io = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      io.disconnect();
      near();
    }
  }, { rootMargin: "50% 0px" });
  io.observe(el);
  return () => io.disconnect();
};

/** What {@linkcode deferredChart} builds: the drawn chart. */
export interface DrawnChart {
  setData(x: number[], ys: (number | null)[][]): void;
  destroy(): void;
}

/**
 * A chart that is built only when needed: when `watch` says it is near (none: at once), or on the
 * first `setData` with at least one x value. Data given before that is kept and drawn once built;
 * a failed build goes to `onError`.
 *
 * @param build Draws the chart (loads the chart library).
 * @param watch Starts watching for the chart's box near the viewport, or undefined.
 * @param logY Whether y is on a log scale (non-positive values become gaps).
 * @param onError Told when `build` fails.
 * @returns The chart.
 *
 * @example
 * ```ts
 * import { deferredChart } from "./charts.ts";
 * let n = 0;
 * const built = () => n;
 * const shown: unknown[] = [];
 * const chart = deferredChart(
 *   () => (n++, Promise.resolve({ setData: (x, ys) => shown.push([x, ys]), destroy() {} })),
 *   () => () => {}, // never near
 *   false,
 *   () => {},
 * );
 * chart.setData([], [[]]);
 * if (built() !== 0) throw new Error("no data yet: nothing to draw");
 * chart.setData([1], [[2]]);
 * if (built() !== 1) throw new Error("data came: the chart is built");
 * ```
 */
export function deferredChart(
  build: () => Promise<DrawnChart>,
  watch: ((near: () => void) => () => void) | undefined,
  logY: boolean,
  onError: (error: unknown) => void,
): LineChart {
  let drawn: DrawnChart | undefined;
  let building = false;
  let destroyed = false;
  let data: [number[], (number | null)[][]] | undefined;
  let stop = () => {};
  const ensure = () => {
    if (building || destroyed) return;
    building = true;
    stop();
    build().then((chart) => {
      if (destroyed) return chart.destroy();
      drawn = chart;
      if (data) chart.setData(...data);
    }).catch(onError);
  };
  if (watch) stop = watch(ensure);
  else ensure();
  return {
    setData(x, ys) {
      data = [Array.from(x), ys.map((y) => chartValues(y, logY))];
      if (drawn) drawn.setData(...data);
      else if (data[0].length > 0) ensure();
    },
    destroy() {
      destroyed = true;
      stop();
      drawn?.destroy();
    },
  };
}

/**
 * Creates a line chart inside `el`. uPlot is loaded, and the chart drawn, when `el` first comes
 * near the viewport or the chart first gets data (at once where IntersectionObserver is missing);
 * until then the box stays as the server rendered it. A failure to draw is written into `el`.
 *
 * @param el The container (its width caps the chart's).
 * @param opts Size, series and axes.
 * @returns The chart.
 */
export function createLineChart(el: HTMLElement, opts: LineChartOptions): Promise<LineChart> {
  const watch = typeof IntersectionObserver === "function"
    ? (near: () => void) => watchNear(el, near)
    : undefined;
  return Promise.resolve(deferredChart(() => drawLineChart(el, opts), watch, opts.logY ?? false, (
    error,
  ) => {
    el.textContent = `Cannot draw the chart: ${error}`;
  }));
}

async function drawLineChart(el: HTMLElement, opts: LineChartOptions): Promise<DrawnChart> {
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
    setData: (x, ys) => plot.setData([x, ...ys] as uPlot.AlignedData),
    destroy: () => plot.destroy(),
  };
}
