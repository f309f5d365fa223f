/**
 * The two shapes every exhibit takes: a figure (an Observable Plot drawn on a server-side DOM,
 * kept as inline SVG) and a table of numbers, each inside `<figure>` with its caption. Colours
 * are CSS variables and `currentColor`, set by the book's stylesheet for light, dark and print.
 *
 * @module
 */
import { smartQuotes } from "../book/smart_quotes.ts";
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { Element } from "npm:@types/hast@3.0.5";
import { domToHast, h, rich } from "./hast.ts";
import { logTick } from "./format.ts";

/** Series colours: `var(--fig-1)` … `var(--fig-4)`, defined in static/styles.css. */
export const SERIES = ["var(--fig-1)", "var(--fig-2)", "var(--fig-3)", "var(--fig-4)"] as const;

/**
 * Draws a plot to hast SVG. Plot's own `<style>` (a white background) is dropped: the
 * stylesheet's figure section sizes and colours the SVG.
 *
 * @param options Observable Plot options (without `document`)
 * @param alt the alt text, on the SVG as `role="img"` and `aria-label`
 * @returns the SVG element
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { plotSvg } from "./figure.ts";
 * const svg = plotSvg({ marks: [Plot.lineY([1, 2, 3])] }, "A rising line");
 * if (svg.tagName !== "svg" || svg.properties["aria-label"] !== "A rising line") throw new Error();
 * ```
 */
export function plotSvg(options: Plot.PlotOptions, alt: string): Element {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const node = Plot.plot({
    ...options,
    document: document as unknown as Document,
    className: "book-plot",
  }) as unknown as Parameters<typeof domToHast>[0];
  const svg = domToHast(node);
  if (svg.tagName !== "svg") {
    throw new Error(
      `Cannot draw the plot as it must be one SVG (no legend): current value is <${svg.tagName}>`,
    );
  }
  svg.children = svg.children.filter((c) => !(c.type === "element" && c.tagName === "style"));
  roundCoordinates(svg);
  mergeDots(svg);
  dropInnerLabels(svg);
  svg.properties = { ...svg.properties, role: "img", "aria-label": smartQuotes(alt) };
  return svg;
}

/**
 * Plot names its mark groups (`<g aria-label="dot">`); inside a `role="img"` they are not read,
 * and on an element without a role axe counts the label as prohibited (aria-prohibited-attr).
 */
function dropInnerLabels(node: Element): void {
  for (const c of node.children) {
    if (c.type !== "element") continue;
    delete c.properties["aria-label"];
    delete c.properties.ariaLabel;
    dropInnerLabels(c);
  }
}

/** Rounds the coordinates in every attribute to 0.1 px (Plot writes 15 digits): a smaller page. */
function roundCoordinates(e: Element): void {
  for (const [key, value] of Object.entries(e.properties)) {
    if (typeof value === "string") {
      e.properties[key] = value.replace(
        /\d+\.\d{2,}/g,
        (x) => String(Number(Number(x).toFixed(1))),
      );
    }
  }
  for (const c of e.children) if (c.type === "element") roundCoordinates(c);
}

/** Paths a group of dots is dealt to ({@linkcode mergeDots}). */
export const DOT_LAYERS = 8;

/**
 * Draws a group of filled dots as a few paths: each dot a zero-length segment with a round cap as
 * wide as the dot (`M x,y h0`), the group's fill becoming the stroke. A scatter of 400 points is
 * then {@linkcode DOT_LAYERS} elements instead of 400, which the browser parses, styles and paints
 * far faster (chapter 2's swiss roll: 1,600 circles). A path is stroked once, so two of its dots
 * that overlap do not darken each other under a translucent fill; the dots are dealt in turn to
 * {@linkcode DOT_LAYERS} paths so that overlapping dots, as in a dense spiral, still mostly lie in
 * different paths and darken as separate circles did. Only a `<g>` whose children are all
 * `<circle>`s with the same radius and nothing but `cx`, `cy` and `r` is merged, and only when the
 * group has a fill and no stroke of its own.
 *
 * @param e an SVG element, changed in place
 * @example
 * ```ts
 * import { mergeDots } from "./figure.ts";
 * import { h } from "./hast.ts";
 * const dot = (cx: number, cy: number) => h("circle", { r: "1", cx: String(cx), cy: String(cy) });
 * const dots = Array.from({ length: 10 }, (_, i) => dot(i, 2 * i));
 * const g = h("g", { fill: "red", "fill-opacity": "0.6" }, dots);
 * mergeDots(h("svg", {}, [g]));
 * const path = g.children[1];
 * if (g.children.length !== 8 || path.type !== "element" || path.properties.d !== "M1,2h0M9,18h0" ||
 *   g.properties.stroke !== "red" || g.properties["stroke-width"] !== "2" ||
 *   g.properties["stroke-opacity"] !== "0.6" || g.properties.fill !== "none") {
 *   throw new Error(JSON.stringify(g));
 * }
 * ```
 */
export function mergeDots(e: Element): void {
  for (const c of e.children) if (c.type === "element") mergeDots(c);
  if (e.tagName !== "g" || e.children.length < 2 || e.properties.stroke !== undefined) return;
  const dots = e.children.filter((c) => c.type === "element");
  const r = dots[0]?.type === "element" ? dots[0].properties.r : undefined;
  const plain = dots.length === e.children.length &&
    dots.every((c) =>
      c.type === "element" && c.tagName === "circle" && c.children.length === 0 &&
      c.properties.r === r && Object.keys(c.properties).every((k) => ["cx", "cy", "r"].includes(k))
    );
  if (!plain || r === undefined || e.properties.fill === undefined) return;
  const layers = Array.from({ length: Math.min(DOT_LAYERS, dots.length) }, () => "");
  dots.forEach((c, i) => {
    if (c.type === "element") {
      layers[i % layers.length] += `M${c.properties.cx},${c.properties.cy}h0`;
    }
  });
  // attribute names as domToHast keeps them (`fill-opacity`, not hast's `fillOpacity`)
  const { fill, "fill-opacity": opacity, ...rest } = e.properties;
  e.properties = {
    ...rest,
    fill: "none",
    stroke: fill,
    ...(opacity === undefined ? {} : { "stroke-opacity": opacity }),
    "stroke-width": String(2 * Number(r)),
    "stroke-linecap": "round",
  };
  e.children = layers.map((d) => h("path", { d }));
}

/**
 * A figure: its drawing and a caption (`_{}`/`^{}` marks allowed).
 *
 * @param name the registry name (the element's id is `fig-NAME`)
 * @param title the caption's opening words, in bold
 * @param caption the rest of the caption: what the figure shows, with its numbers
 * @param drawing the SVG (or several, side by side)
 * @returns the `<figure>` element
 * @example
 * ```ts
 * import { figureElement } from "./figure.ts";
 * import { h } from "./hast.ts";
 * const f = figureElement("x", "Title.", "ᾱ_{1} = 0.999", [h("svg")]);
 * if (f.properties.id !== "fig-x" || f.children.length !== 2) throw new Error();
 * ```
 */
export function figureElement(
  name: string,
  title: string,
  caption: string,
  drawing: Element[],
): Element {
  return h("figure", { className: ["book-figure"], id: `fig-${name}` }, [
    h("div", { className: ["book-figure-panels"] }, drawing),
    h("figcaption", {}, [h("strong", {}, rich(title)), " ", ...rich(caption)]),
  ]);
}

/**
 * A table of numbers in a figure, with a caption, header cells (`_{}` marks allowed) and rows of
 * already formatted text.
 *
 * @param name the registry name (the element's id is `table-NAME`)
 * @param title the caption's opening words
 * @param caption the rest of the caption
 * @param head the column headers
 * @param rows the cells, row by row
 * @returns the `<figure>` element holding a `<table>`
 * @throws {RangeError} when a row's length differs from the header's
 * @example
 * ```ts
 * import { tableElement } from "./figure.ts";
 * const f = tableElement("n", "Numbers.", "", ["t", "β_{t}"], [["1", "0.001"]]);
 * if (f.tagName !== "figure" || f.properties.id !== "table-n") throw new Error();
 * ```
 */
export function tableElement(
  name: string,
  title: string,
  caption: string,
  head: string[],
  rows: string[][],
): Element {
  for (const row of rows) {
    if (row.length !== head.length) {
      throw new RangeError(
        `Cannot build table ${name} as every row needs ${head.length} cells: current value is ${row.length}`,
      );
    }
  }
  return h("figure", { className: ["book-figure", "book-table"], id: `table-${name}` }, [
    h("figcaption", {}, [h("strong", {}, rich(title)), " ", ...rich(caption)]),
    h("table", {}, [
      h("thead", {}, [h("tr", {}, head.map((c) => h("th", { scope: "col" }, rich(c))))]),
      h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, rich(c)))))),
    ]),
  ]);
}

/** Where one series of {@link logCurvesOverT} is labelled: at step t, dy pixels below the curve. */
export interface CurveLabel {
  series: string;
  t: number;
  dy: number;
}

/**
 * Several series against t on a log y axis, one colour each, each labelled on the curve (no
 * legend, so it prints in black and white too).
 *
 * @param rows one row per series and t: `{ t, value, series }`
 * @param yLabel the y axis label
 * @param labels where each series' name goes
 * @param alt the alt text
 * @param extra marks drawn under the curves (e.g. a reference line)
 * @returns the SVG element
 * @example
 * ```ts
 * import { logCurvesOverT } from "./figure.ts";
 * const rows = [1, 2, 3].map((t) => ({ t, value: 10 ** -t, series: "a" }));
 * const svg = logCurvesOverT(rows, "y", [{ series: "a", t: 2, dy: -8 }], "One falling line");
 * if (svg.tagName !== "svg") throw new Error();
 * ```
 */
export function logCurvesOverT(
  rows: { t: number; value: number; series: string }[],
  yLabel: string,
  labels: CurveLabel[],
  alt: string,
  extra: Plot.Markish[] = [],
): Element {
  const domain = [...new Set(rows.map((r) => r.series))];
  return plotSvg({
    width: 560,
    height: 260,
    marginLeft: 60,
    x: { label: "t" },
    y: { type: "log", label: yLabel, grid: true, tickFormat: logTick },
    color: { domain, range: SERIES.slice(0, domain.length) },
    marks: [
      ...extra,
      Plot.line(rows, { x: "t", y: "value", stroke: "series" }),
      ...labels.map(({ series, t, dy }) =>
        Plot.text(rows.filter((r) => r.series === series && r.t === t), {
          x: "t",
          y: "value",
          text: "series",
          fill: "series",
          dx: 4,
          dy,
          textAnchor: "start",
        })
      ),
    ],
  }, alt);
}
