/**
 * The figures registry with every exhibit drawn as an empty `<figure>`: for builds that need the
 * book's labels, numbers and badges but not its drawings (coverage and badge tests), so they do not
 * pay for computing every figure.
 *
 * @module
 */
import type { FigureSpec } from "../book/mod.ts";
import { figures } from "./mod.ts";

/**
 * Every registered figure and table, by name, each rendering an empty `<figure>`.
 *
 * @returns the registry with the same names and kinds as {@link figures}
 * @example
 * ```ts
 * import { undrawnFigures } from "./undrawn.ts";
 * import { figures } from "./mod.ts";
 * const undrawn = undrawnFigures();
 * if (Object.keys(undrawn).length !== Object.keys(figures).length) throw new Error("same names");
 * const name = Object.keys(undrawn)[0];
 * if (undrawn[name].render().children.length !== 0) throw new Error("drawn empty");
 * ```
 */
export function undrawnFigures(): Record<string, FigureSpec> {
  const empty = () => ({
    type: "element" as const,
    tagName: "figure",
    properties: {},
    children: [],
  });
  return Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, { ...f, render: empty }]));
}
