/**
 * Canvas drawing for the Parameterisations and Guidance demos: point clouds in the page's colours
 * (one colour per class from CSS variables, so light and dark themes both work) and Tweedie's
 * denoiser as segments from each noisy point to where the exact and the learned denoiser send it.
 *
 * @module
 */
import { dotInView, type Palette, toPixel } from "./draw.ts";

/** One cloud of points to draw. */
export interface PointLayer {
  /** Flat [n, 2] points. */
  points: ArrayLike<number>;
  colour: string;
  /** Opacity in [0, 1]. */
  alpha: number;
  /** Side of each dot in pixels. */
  size: number;
}

/**
 * The class colours, read from `--class-0`, `--class-1`, ... at `el` (with fallbacks).
 *
 * @param el An element inside the demo.
 * @param count Number of classes.
 * @returns One CSS colour per class.
 */
export function classColours(el: Element, count: number): string[] {
  const css = getComputedStyle(el);
  const fallback = ["#1f77b4", "#c2410c", "#2f8f46", "#7c3aed"];
  return Array.from(
    { length: count },
    (_, k) => css.getPropertyValue(`--class-${k}`).trim() || fallback[k % fallback.length],
  );
}

/** Clears a square canvas and draws its frame. */
function frame(ctx: CanvasRenderingContext2D, palette: Palette): number {
  const size = ctx.canvas.width;
  ctx.clearRect(0, 0, size, ctx.canvas.height);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = palette.rule;
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
  return size;
}

/**
 * Clears the canvas and draws the layers in order.
 *
 * @param ctx A square canvas's context.
 * @param layers Point clouds, bottom first.
 * @param palette Colours of the frame.
 */
export function drawLayers(
  ctx: CanvasRenderingContext2D,
  layers: readonly PointLayer[],
  palette: Palette,
): void {
  const size = frame(ctx, palette);
  for (const layer of layers) {
    ctx.globalAlpha = layer.alpha;
    ctx.fillStyle = layer.colour;
    for (let i = 0; i + 1 < layer.points.length; i += 2) {
      dotInView(ctx, layer.points[i], layer.points[i + 1], size, layer.size);
    }
  }
  ctx.globalAlpha = 1;
}

/**
 * Tweedie's denoiser: the data faintly, each noisy point x_t, a thin segment to the exact
 * E[x_0 | x_t] (ink ring) and, when given, one to the learned one (accent dot).
 *
 * @param ctx A square canvas's context.
 * @param data Flat [m, 2] data points (background).
 * @param xt Flat [n, 2] noisy points.
 * @param exact Flat [n, 2] exact denoised points.
 * @param learned Flat [n, 2] learned denoised points, or undefined before training.
 * @param palette Colours.
 */
export function drawTweedie(
  ctx: CanvasRenderingContext2D,
  data: ArrayLike<number>,
  xt: ArrayLike<number>,
  exact: ArrayLike<number>,
  learned: ArrayLike<number> | undefined,
  palette: Palette,
): void {
  drawLayers(ctx, [{ points: data, colour: palette.muted, alpha: 0.18, size: 2 }], palette);
  const size = ctx.canvas.width;
  const segments = (to: ArrayLike<number>, colour: string, alpha: number) => {
    ctx.strokeStyle = colour;
    ctx.globalAlpha = alpha;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = 0; i + 1 < xt.length; i += 2) {
      const [ax, ay] = toPixel(xt[i], xt[i + 1], size);
      const [bx, by] = toPixel(to[i], to[i + 1], size);
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
    }
    ctx.stroke();
  };
  segments(exact, palette.ink, 0.35);
  if (learned) segments(learned, palette.accent, 0.5);
  ctx.globalAlpha = 0.7;
  ctx.fillStyle = palette.muted;
  for (let i = 0; i + 1 < xt.length; i += 2) {
    const [px, py] = toPixel(xt[i], xt[i + 1], size);
    ctx.fillRect(px - 1, py - 1, 2, 2);
  }
  ctx.globalAlpha = 1;
  const dots = (points: ArrayLike<number>, radius: number, paint: "fill" | "stroke") => {
    for (let i = 0; i + 1 < points.length; i += 2) {
      const [px, py] = toPixel(points[i], points[i + 1], size);
      ctx.beginPath();
      ctx.arc(px, py, radius, 0, 2 * Math.PI);
      ctx[paint]();
    }
  };
  ctx.strokeStyle = palette.ink;
  dots(exact, 3, "stroke"); // the exact estimates, as rings
  ctx.fillStyle = palette.accent;
  if (learned) dots(learned, 2, "fill");
}
