/**
 * Test helpers: the caption text and the table cells of a rendered exhibit.
 *
 * @module
 */
import type { Element } from "npm:@types/hast@3.0.5";
import { toString } from "hast-util-to-string";
import type { FigureSpec } from "../book/mod.ts";

/** The child elements of `e` with tag `tag`, depth first. */
export function elementsOf(e: Element, tag: string): Element[] {
  const out: Element[] = e.tagName === tag ? [e] : [];
  for (const c of e.children) if (c.type === "element") out.push(...elementsOf(c, tag));
  return out;
}

/**
 * The rendered caption as plain text (sub- and superscripts flattened).
 *
 * @example
 * ```ts
 * import { captionOf } from "./testing.ts";
 * import { figureElement } from "./figure.ts";
 * const spec = { name: "x", kind: "figure" as const, render: () => figureElement("x", "T.", "ᾱ_{1} = 2", []) };
 * if (captionOf(spec) !== "T. ᾱ1 = 2") throw new Error(captionOf(spec));
 * ```
 */
export function captionOf(spec: FigureSpec): string {
  return toString(elementsOf(spec.render(), "figcaption")[0]);
}

/** The body cells of a rendered table, row by row, as plain text. */
export function cellsOf(spec: FigureSpec): string[][] {
  return elementsOf(spec.render(), "tr").slice(1).map((tr) => elementsOf(tr, "td").map(toString));
}
