/**
 * Canvas drawing for TrainAndSample: the sample scatter with a few reverse trajectories, and the
 * loss curve on a log scale. Plain 2-D canvas (no plotting library), colours from the page's CSS
 * variables so light and dark themes both work.
 *
 * @module
 */

/** Colours taken from the page's CSS variables. */
export interface Palette {
  ink: string;
  muted: string;
  accent: string;
  rule: string;
  panel: string;
}

/**
 * Reads the palette from the CSS variables in effect at `el`.
 *
 * @param el Any element on the page (the canvas).
 * @returns The colours, with fallbacks when a variable is unset.
 */
export function paletteOf(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    ink: v("--ink", "#1f2328"),
    muted: v("--muted", "#5b6169"),
    accent: v("--accent", "#b4460f"),
    rule: v("--rule", "#dedad2"),
    panel: v("--panel", "#f3f1ec"),
  };
}

/**
 * Exponential moving average of a series (the smoothed loss line).
 *
 * @param values The raw series.
 * @param decay Weight of the past, in [0, 1).
 * @returns The smoothed series, bias-corrected so that it starts at `values[0]`.
 * @example
 * ```ts
 * import { smooth } from "./draw.ts";
 * const s = smooth(new Float32Array([2, 2, 2]), 0.9);
 * if (Math.abs(s[2] - 2) > 1e-6) throw new Error("a constant series stays constant");
 * ```
 */
export function smooth(values: ArrayLike<number>, decay: number): Float32Array {
  const out = new Float32Array(values.length);
  let m = 0;
  let weight = 0;
  for (let i = 0; i < values.length; i++) {
    m = decay * m + (1 - decay) * values[i];
    weight = decay * weight + (1 - decay);
    out[i] = m / weight; // bias correction, as in Adam
  }
  return out;
}

/**
 * The y-range of a log-scale loss chart: half-decades (..., 0.1, 0.3, 1, 3, ...) that contain the
 * finite positive values.
 *
 * @param values Loss values (non-positive and non-finite ones are skipped).
 * @returns `[lo, hi]` as exponents of ten, multiples of 0.5, with `hi > lo`.
 * @example
 * ```ts
 * import { logRange } from "./draw.ts";
 * const [lo, hi] = logRange([0.35, 1.2, 0.04]); // 10^-1.5 = 0.032 ... 10^0.5 = 3.2
 * if (lo !== -1.5 || hi !== 0.5) throw new Error(`expected [-1.5, 0.5], got [${lo}, ${hi}]`);
 * ```
 */
export function logRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v > 0) || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === Infinity) return [-1, 0];
  const a = Math.floor(2 * Math.log10(lo)) / 2 + 0; // + 0 turns -0 into 0
  const b = Math.ceil(2 * Math.log10(hi)) / 2 + 0;
  return [a, b > a ? b : a + 0.5];
}

/**
 * Draws the loss curve: raw losses faint, smoothed losses in the accent colour, x from 0 to the
 * step budget, log-scale y with a label at each power of ten.
 *
 * @param ctx The canvas context.
 * @param steps The step of each loss, increasing.
 * @param losses The losses reported at those steps.
 * @param budget The step budget (the x-axis end).
 * @param palette Colours.
 */
export function drawLoss(
  ctx: CanvasRenderingContext2D,
  steps: ArrayLike<number>,
  losses: ArrayLike<number>,
  budget: number,
  palette: Palette,
): void {
  const { width, height } = ctx.canvas;
  const left = 34;
  const bottom = height - 14;
  ctx.clearRect(0, 0, width, height);
  ctx.font = "10px system-ui, sans-serif";
  const [lo, hi] = logRange(losses);
  const x = (i: number) => left + ((width - left - 4) * i) / Math.max(budget, 1);
  const y = (v: number) => 4 + ((bottom - 4) * (hi - Math.log10(v))) / (hi - lo);
  ctx.strokeStyle = palette.rule;
  ctx.fillStyle = palette.muted;
  ctx.lineWidth = 1;
  for (let e = lo; e <= hi; e += 0.5) {
    const py = Math.round(y(10 ** e)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, py);
    ctx.lineTo(width, py);
    ctx.stroke();
    ctx.fillText(Number((10 ** e).toPrecision(1)).toString(), 2, Math.min(py + 3, bottom));
  }
  ctx.fillText("0", left, height - 2);
  const budgetLabel = `${budget} steps`;
  ctx.fillText(budgetLabel, width - ctx.measureText(budgetLabel).width - 2, height - 2);
  const line = (values: ArrayLike<number>, colour: string, widthPx: number) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = widthPx;
    ctx.beginPath();
    // At most about one vertex per pixel column: take every k-th point.
    const k = Math.max(1, Math.floor(values.length / (width - left)));
    let started = false;
    for (let i = 0; i < values.length; i += k) {
      const v = values[i];
      if (!(v > 0) || !Number.isFinite(v)) continue;
      if (started) ctx.lineTo(x(steps[i]), y(v));
      else ctx.moveTo(x(steps[i]), y(v));
      started = true;
    }
    ctx.stroke();
  };
  line(losses, palette.rule, 1);
  line(smooth(losses, 0.9), palette.accent, 1.5);
}

/** The half-width of the square the scatter shows, in standardised data units. */
export const VIEW = 2.6;

/**
 * Maps a data coordinate to a pixel on a square canvas showing [-VIEW, VIEW]^2 (y up).
 *
 * @example
 * ```ts
 * import { toPixel, VIEW } from "./draw.ts";
 * const [px, py] = toPixel(VIEW, VIEW, 200);
 * if (px !== 200 || py !== 0) throw new Error("the top-right corner maps to (200, 0)");
 * ```
 */
export function toPixel(x: number, y: number, size: number): [number, number] {
  return [((x + VIEW) / (2 * VIEW)) * size, ((VIEW - y) / (2 * VIEW)) * size];
}

/**
 * Draws a square dot at data point (x, y); a point outside the view is kept in it as a small
 * triangle on the nearest edge, pointing towards where the point lies.
 *
 * @param ctx The canvas context (square), fill style set.
 * @param x Data x.
 * @param y Data y.
 * @param size Canvas side in pixels.
 * @param dot Dot side in pixels.
 * @returns Whether the point lies in the view.
 */
export function dotInView(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  size: number,
  dot: number,
): boolean {
  const [px, py] = toPixel(x, y, size);
  if (px >= 0 && px <= size && py >= 0 && py <= size) {
    ctx.fillRect(px - dot / 2, py - dot / 2, dot, dot);
    return true;
  }
  if (!Number.isFinite(px) || !Number.isFinite(py)) return false;
  const m = 4;
  const cx = Math.min(size - m, Math.max(m, px)), cy = Math.min(size - m, Math.max(m, py));
  const a = Math.atan2(py - cy, px - cx);
  ctx.beginPath();
  ctx.moveTo(cx + m * Math.cos(a), cy + m * Math.sin(a));
  ctx.lineTo(cx + m * Math.cos(a + 2.4), cy + m * Math.sin(a + 2.4));
  ctx.lineTo(cx + m * Math.cos(a - 2.4), cy + m * Math.sin(a - 2.4));
  ctx.fill();
  return false;
}

/**
 * Draws the samples as dots (those outside the view as edge markers) and the trajectories as thin
 * faint lines from x_T to x_0 (dot).
 *
 * @param ctx The canvas context (square).
 * @param points [n, 2] row-major samples.
 * @param trajectories [k, L, 2] paths, x_T first.
 * @param trajectoryCount k.
 * @param trajectoryLength L.
 * @param palette Colours.
 */
export function drawSamples(
  ctx: CanvasRenderingContext2D,
  points: Float32Array,
  trajectories: Float32Array,
  trajectoryCount: number,
  trajectoryLength: number,
  palette: Palette,
): void {
  const size = ctx.canvas.width;
  ctx.clearRect(0, 0, size, ctx.canvas.height);
  ctx.strokeStyle = palette.rule;
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
  ctx.fillStyle = palette.ink;
  ctx.globalAlpha = 0.55;
  for (let i = 0; i + 1 < points.length; i += 2) dotInView(ctx, points[i], points[i + 1], size, 2);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = palette.accent;
  ctx.fillStyle = palette.accent;
  for (let k = 0; k < trajectoryCount; k++) {
    const base = k * trajectoryLength * 2;
    ctx.lineWidth = 0.75;
    ctx.globalAlpha = 0.22;
    ctx.beginPath();
    for (let l = 0; l < trajectoryLength; l++) {
      const [px, py] = toPixel(trajectories[base + 2 * l], trajectories[base + 2 * l + 1], size);
      if (l === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    const end = base + 2 * (trajectoryLength - 1);
    const [ex, ey] = toPixel(trajectories[end], trajectories[end + 1], size);
    ctx.beginPath();
    ctx.arc(ex, ey, 3, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/**
 * Maps a pixel on a square canvas showing [-VIEW, VIEW]^2 back to data coordinates (y up); the
 * inverse of {@link toPixel}.
 *
 * @example
 * ```ts
 * import { fromPixel, toPixel } from "./draw.ts";
 * const [x, y] = fromPixel(...toPixel(0.5, -1, 300), 300);
 * if (Math.abs(x - 0.5) > 1e-12 || Math.abs(y + 1) > 1e-12) throw new Error();
 * ```
 */
export function fromPixel(px: number, py: number, size: number): [number, number] {
  return [(px / size) * 2 * VIEW - VIEW, VIEW - (py / size) * 2 * VIEW];
}

/**
 * Draws the points a reader drew, as accent dots with a faint halo of the jitter they stand for.
 *
 * @param ctx The canvas context (square).
 * @param points Flat [n, 2] points.
 * @param haloStd Standard deviation of the Gaussian around each point (data units).
 * @param palette Colours.
 */
export function drawDrawnPoints(
  ctx: CanvasRenderingContext2D,
  points: ArrayLike<number>,
  haloStd: number,
  palette: Palette,
): void {
  const size = ctx.canvas.width;
  const halo = (2 * haloStd * size) / (2 * VIEW); // 2 sd in pixels
  ctx.clearRect(0, 0, size, ctx.canvas.height);
  ctx.strokeStyle = palette.rule;
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
  ctx.fillStyle = palette.accent;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const [px, py] = toPixel(points[i], points[i + 1], size);
    ctx.globalAlpha = 0.15;
    ctx.beginPath();
    ctx.arc(px, py, halo, 0, 2 * Math.PI);
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
  }
}

/**
 * Arrow length in pixels for a vector of norm `norm` in a grid cell of `cell` pixels: grows with
 * the norm and saturates at 0.9 cell, so strong and weak regions both read (one rule for the
 * learned and the exact field, so the panels compare).
 *
 * @example
 * ```ts
 * import { arrowLength } from "./draw.ts";
 * if (arrowLength(0, 20) !== 0 || !(arrowLength(1e6, 20) <= 18)) throw new Error();
 * ```
 */
export function arrowLength(norm: number, cell: number): number {
  return 0.9 * cell * Math.tanh(norm / 4);
}

/**
 * Draws a vector field on a `side` x `side` grid (as `field.ts` lays it out) as arrows.
 *
 * @param ctx The canvas context (square).
 * @param vectors Flat [side^2, 2] vectors in data units (y up).
 * @param side Grid points per side.
 * @param colour Arrow colour.
 * @param palette Colours (frame).
 */
export function drawField(
  ctx: CanvasRenderingContext2D,
  vectors: ArrayLike<number>,
  side: number,
  colour: string,
  palette: Palette,
): void {
  const size = ctx.canvas.width;
  const cell = size / side;
  ctx.clearRect(0, 0, size, ctx.canvas.height);
  ctx.strokeStyle = palette.rule;
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.2;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const i = r * side + c;
      const vx = vectors[2 * i], vy = vectors[2 * i + 1];
      const norm = Math.hypot(vx, vy);
      if (!(norm > 0) || !Number.isFinite(norm)) continue;
      const len = arrowLength(norm, cell);
      const ux = vx / norm, uy = -vy / norm; // pixel y points down
      const x0 = (c + 0.5) * cell - (ux * len) / 2, y0 = (r + 0.5) * cell - (uy * len) / 2;
      const x1 = x0 + ux * len, y1 = y0 + uy * len;
      const head = Math.min(4, len / 2);
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      ctx.lineTo(x1 - head * (ux - 0.5 * uy), y1 - head * (uy + 0.5 * ux));
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - head * (ux + 0.5 * uy), y1 - head * (uy - 0.5 * ux));
      ctx.stroke();
    }
  }
}
