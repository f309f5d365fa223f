/**
 * The book's build-time figures and tables, by name: what `::figure{name="..."}` and
 * `::table{name="..."}` may place. Each is computed from `engine/` when the chapter is rendered
 * and drawn to inline SVG (Observable Plot on linkedom); each is drawn once per process.
 *
 * @module
 */
import type { FigureSpec } from "../book/mod.ts";
import { chapter1 } from "./chapter1.ts";
import { chapter2 } from "./chapter2.ts";
import { chapter3 } from "./chapter3.ts";
import { chapter4 } from "./chapter4.ts";
import { chapter5 } from "./chapter5.ts";
import { chapter6 } from "./chapter6.ts";

/** Draws each exhibit at most once: the chapters and the dev server re-render often. */
function once(spec: FigureSpec): FigureSpec {
  let drawn: ReturnType<FigureSpec["render"]> | undefined;
  return { ...spec, render: () => structuredClone(drawn ??= spec.render()) };
}

/** Every figure and table, by name. */
export const figures: Record<string, FigureSpec> = Object.fromEntries(
  [...chapter1, ...chapter2, ...chapter3, ...chapter4, ...chapter5, ...chapter6].map((
    f,
  ) => [f.name, once(f)]),
);
