/**
 * Drawing for chapter 2's sampling demos, on top of `draw.ts`'s scatter: the painted region.
 *
 * @module
 */
import type { Region } from "../../engine/region.ts";
import { type Palette, toPixel, VIEW } from "./draw.ts";

/**
 * Shades the region's discs (translucent accent) and marks a keyboard cursor when given.
 *
 * @param ctx The canvas context (square).
 * @param region The discs, in data coordinates (may be empty).
 * @param palette Colours.
 * @param cursor A point to outline (the keyboard brush), or undefined.
 */
export function drawRegion(
  ctx: CanvasRenderingContext2D,
  region: Region,
  palette: Palette,
  cursor?: [number, number],
): void {
  const size = ctx.canvas.width;
  const r = (region.radius / (2 * VIEW)) * size;
  ctx.save();
  ctx.globalAlpha = 0.22;
  ctx.fillStyle = palette.accent;
  ctx.beginPath();
  for (let k = 0; 2 * k + 1 < region.centres.length; k++) {
    const [px, py] = toPixel(region.centres[2 * k], region.centres[2 * k + 1], size);
    ctx.moveTo(px + r, py);
    ctx.arc(px, py, r, 0, 2 * Math.PI);
  }
  ctx.fill();
  if (cursor) {
    ctx.globalAlpha = 1;
    ctx.strokeStyle = palette.ink;
    ctx.setLineDash([3, 3]);
    const [cx, cy] = toPixel(cursor[0], cursor[1], size);
    ctx.beginPath();
    ctx.arc(cx, cy, r, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
}
