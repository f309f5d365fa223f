/**
 * Points a reader draws for TrainAndSample: how many are kept, how they travel in the URL (a short
 * base64url string of 16-bit integers, 0.01 units each), and a preset shape for keyboard users.
 *
 * @module
 */
import { VIEW } from "./draw.ts";

/** At most this many drawn points are kept (and fit in a URL: 4 bytes each, ~1.4 kB). */
export const MAX_DRAWN_POINTS = 300;
/** A drawn dataset needs at least this many points before it can train. */
export const MIN_DRAWN_POINTS = 3;
/** The URL query key of the drawn points. */
export const POINTS_QUERY = "pts";
/** Coordinates are stored in steps of this size. */
const QUANTUM = 0.01;

/**
 * Clamps a point to the square the canvas shows, and rounds it to the URL's 0.01 grid.
 *
 * @example
 * ```ts
 * import { snapPoint } from "./drawn.ts";
 * const [x, y] = snapPoint(0.12345, 99);
 * if (x !== 0.12 || y !== 2.6) throw new Error(`${x}, ${y}`);
 * ```
 */
export function snapPoint(x: number, y: number): [number, number] {
  const snap = (v: number) => Math.round(Math.max(-VIEW, Math.min(VIEW, v)) / QUANTUM) * QUANTUM;
  return [Number(snap(x).toFixed(2)), Number(snap(y).toFixed(2))];
}

/**
 * Encodes flat [n, 2] points as base64url of little-endian int16 (value / 0.01).
 *
 * @example
 * ```ts
 * import { decodePoints, encodePoints } from "./drawn.ts";
 * const back = decodePoints(encodePoints([0.5, -1.25, 2, 0]));
 * if (back.join() !== "0.5,-1.25,2,0") throw new Error(back.join());
 * ```
 */
export function encodePoints(points: ArrayLike<number>): string {
  const n = Math.min(Math.floor(points.length / 2), MAX_DRAWN_POINTS);
  const view = new DataView(new ArrayBuffer(4 * n));
  for (let i = 0; i < 2 * n; i++) {
    const v = Math.max(-VIEW, Math.min(VIEW, points[i]));
    view.setInt16(2 * i, Math.round(v / QUANTUM), true);
  }
  let binary = "";
  new Uint8Array(view.buffer).forEach((b) => binary += String.fromCharCode(b));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Decodes `encodePoints`' text; throws a RangeError for text that is not such a list.
 *
 * @param text base64url text.
 * @returns Flat [n, 2] points.
 */
export function decodePoints(text: string): number[] {
  const action = "read the drawn points from the URL";
  let binary: string;
  try {
    binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    throw new RangeError(`Cannot ${action} as they must be base64url: current value is ${text}`);
  }
  if (binary.length % 4 !== 0 || binary.length / 4 > MAX_DRAWN_POINTS) {
    throw new RangeError(
      `Cannot ${action} as they must be 1 to ${MAX_DRAWN_POINTS} points of 4 bytes: current value is ${binary.length} bytes`,
    );
  }
  const view = new DataView(Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer);
  const out: number[] = [];
  for (let i = 0; i < binary.length / 2; i++) {
    const v = view.getInt16(2 * i, true) * QUANTUM;
    if (Math.abs(v) > VIEW + 1e-9) {
      throw new RangeError(
        `Cannot ${action} as they must lie in [-${VIEW}, ${VIEW}]: current value is ${v}`,
      );
    }
    out.push(Number(v.toFixed(2)));
  }
  return out;
}

/**
 * A heart outline of `n` points (flat [n, 2]), about 3 units wide: the preset a keyboard user can
 * add instead of drawing.
 *
 * @example
 * ```ts
 * import { heartPoints } from "./drawn.ts";
 * const h = heartPoints(40);
 * if (h.length !== 80 || Math.max(...h.map(Math.abs)) > 2) throw new Error();
 * ```
 */
export function heartPoints(n = 60): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const x = 16 * Math.sin(a) ** 3;
    const y = 13 * Math.cos(a) - 5 * Math.cos(2 * a) - 2 * Math.cos(3 * a) - Math.cos(4 * a);
    out.push(...snapPoint(x / 11, (y + 2) / 11));
  }
  return out;
}
