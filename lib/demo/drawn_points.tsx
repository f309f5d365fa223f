/**
 * Drawing the Train demo's own data set: pointer handlers that add snapped, spaced points along a
 * stroke on the samples canvas, and the row with the count and the Add a heart / Clear buttons.
 *
 * @module
 */
import type { RefObject } from "preact";
import { useRef } from "preact/hooks";
import { fromPixel } from "./draw.ts";
import { heartPoints, MAX_DRAWN_POINTS, snapPoint } from "./drawn.ts";

/**
 * Pointer handlers for a canvas that adds points while `enabled`.
 *
 * @param canvas The canvas drawn on.
 * @param enabled Whether drawing is allowed now.
 * @param setPoints Updates the points (flat [n, 2]).
 * @param onStroke Called when a stroke ends (e.g. to write the URL).
 * @returns The handlers to spread on the canvas.
 */
export function useDrawing(
  canvas: RefObject<HTMLCanvasElement>,
  enabled: boolean,
  setPoints: (update: (points: number[]) => number[]) => void,
  onStroke: () => void,
) {
  const stroke = useRef<{ active: boolean; last?: [number, number] }>({ active: false });
  const addAt = (e: PointerEvent) => {
    const c = canvas.current;
    if (!c) return;
    const box = c.getBoundingClientRect();
    const px = ((e.clientX - box.left) / box.width) * c.width;
    const py = ((e.clientY - box.top) / box.height) * c.height;
    const [x, y] = snapPoint(...fromPixel(px, py, c.width));
    const last = stroke.current.last;
    if (last && Math.hypot(x - last[0], y - last[1]) < 0.08) return; // spaced along a stroke
    stroke.current.last = [x, y];
    setPoints((p) => [...p, x, y].slice(0, 2 * MAX_DRAWN_POINTS));
  };
  const end = () => {
    if (!stroke.current.active) return;
    stroke.current = { active: false };
    onStroke();
  };
  return {
    onPointerDown(e: PointerEvent) {
      if (!enabled) return;
      stroke.current = { active: true };
      (e.currentTarget as HTMLCanvasElement).setPointerCapture?.(e.pointerId);
      addAt(e);
    },
    onPointerMove(e: PointerEvent) {
      if (enabled && stroke.current.active) addAt(e);
    },
    onPointerUp: end,
    onPointerCancel: end,
  };
}

/** Props of {@link DrawnPointsRow}. */
export interface DrawnPointsRowProps {
  points: number[];
  /** Whether the canvas takes strokes now. */
  canDraw: boolean;
  /** Whether the buttons are locked (training). */
  locked: boolean;
  /** Replaces the points. */
  change(points: number[]): void;
}

/** The count of drawn points and the Add a heart / Clear points buttons. */
export function DrawnPointsRow({ points, canDraw, locked, change }: DrawnPointsRowProps) {
  return (
    <div class="demo-buttons ts-draw" role="group" aria-label="Drawn points">
      <span class="demo-muted" data-testid="drawn-count">
        {points.length / 2} points drawn {canDraw ? "(drag on the picture; " : "("}
        they travel in the URL; each stands for a small Gaussian)
      </span>
      <button
        type="button"
        onClick={() => change([...points, ...heartPoints()].slice(0, 2 * MAX_DRAWN_POINTS))}
        disabled={locked}
        data-testid="add-heart"
      >
        Add a heart
      </button>
      <button
        type="button"
        onClick={() => change([])}
        disabled={locked || points.length === 0}
        data-testid="clear-points"
      >
        Clear points
      </button>
    </div>
  );
}
