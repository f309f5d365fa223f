/**
 * hast for figures: a small element builder, caption text with `_{sub}` and `^{sup}` marks, and the
 * conversion of a server-side DOM tree (linkedom, where Observable Plot draws) into hast, so that
 * the chapter pipeline serialises figures like any other HTML it makes.
 *
 * @module
 */
import type { Element, ElementContent, Properties } from "npm:@types/hast@3.0.5";
import { smartQuotes } from "../book/smart_quotes.ts";

/**
 * An element.
 *
 * @param tagName the tag
 * @param properties hast properties (`className: ["x"]`)
 * @param children elements, or strings for text
 * @returns the element
 * @example
 * ```ts
 * import { h } from "./hast.ts";
 * const e = h("p", { className: ["x"] }, ["hi"]);
 * if (e.children[0].type !== "text") throw new Error("text child");
 * ```
 */
export function h(
  tagName: string,
  properties: Properties = {},
  children: (ElementContent | string)[] = [],
): Element {
  return {
    type: "element",
    tagName,
    properties,
    children: children.map((c) => typeof c === "string" ? { type: "text", value: c } : c),
  };
}

/**
 * Caption text with subscripts and superscripts: `ᾱ_{t}` becomes ᾱ<sub>t</sub>, `10^{3}` 10<sup>3</sup>,
 * and typographic quotes as in the prose (captions are written in code: "the data's" reads
 * "the data’s").
 *
 * @param caption the text
 * @returns hast children
 * @example
 * ```ts
 * import { rich } from "./hast.ts";
 * const c = rich("ᾱ_{100} = 4");
 * if (c.length !== 3 || c[1].type !== "element" || c[1].tagName !== "sub") throw new Error("no sub");
 * const q = rich("the data's share");
 * if (q[0].type !== "text" || q[0].value !== "the data’s share") throw new Error("straight quote");
 * ```
 */
export function rich(caption: string): ElementContent[] {
  const text = smartQuotes(caption);
  const out: ElementContent[] = [];
  const mark = /([_^])\{([^}]*)\}/g;
  let last = 0;
  for (const m of text.matchAll(mark)) {
    if (m.index > last) out.push({ type: "text", value: text.slice(last, m.index) });
    out.push(h(m[1] === "_" ? "sub" : "sup", {}, [m[2]]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ type: "text", value: text.slice(last) });
  return out;
}

/** The DOM node shapes the conversion reads (linkedom's and the browser's nodes have them). */
interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  attributes?: ArrayLike<{ name: string; value: string }>;
}

/**
 * Converts a DOM element (and its subtree) to hast: elements, attributes as they are, text.
 * Comments are dropped.
 *
 * @param node a DOM element
 * @returns the hast element
 * @example
 * ```ts
 * import { parseHTML } from "linkedom";
 * import { domToHast } from "./hast.ts";
 * const { document } = parseHTML("<svg viewBox='0 0 1 1'><text x='1'>a</text></svg>");
 * const e = domToHast(document.querySelector("svg")!);
 * if (e.properties.viewBox !== "0 0 1 1" || e.children.length !== 1) throw new Error("lost");
 * ```
 */
export function domToHast(node: DomNode): Element {
  const properties: Properties = {};
  for (const { name, value } of Array.from(node.attributes ?? [])) properties[name] = value;
  const children: ElementContent[] = [];
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === 1) children.push(domToHast(child));
    else if (child.nodeType === 3) children.push({ type: "text", value: child.textContent ?? "" });
  }
  return { type: "element", tagName: node.nodeName.toLowerCase(), properties, children };
}
