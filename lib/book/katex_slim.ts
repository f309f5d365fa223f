/**
 * rehype plugin: fewer elements for the same math. KaTeX's output is most of a chapter's DOM
 * (about 20k of 28k elements in Chapter 4), and every element costs parsing, style and layout on a
 * phone. This pass removes the elements that change neither what is drawn nor what is read:
 *
 * - MathML (what screen readers read): the `<annotation>` holding the TeX source and its
 *   `<semantics>` wrapper (read by no screen reader; search reads the MathML's characters), and
 *   every attribute-less `<mrow>` with one child, which MathML defines as equal to that child.
 * - HTML (what is drawn): the empty `<span>` inside a script's depth cell (`.vlist` with a
 *   height) is dropped: a table cell keeps its height without it. Each empty `pstrut` and each
 *   `vlist-s` cell become a `::before` and an `::after` drawn by `static/styles.css` (scoped to
 *   the marks this pass leaves, so KaTeX rendered elsewhere, e.g. in a badge or a demo's chart,
 *   keeps its own elements).
 *
 * - HTML, inline styles: `style="margin-right:0.2778em;"` (KaTeX's spaces `\,` `\:` `\;` and the
 *   italic corrections of its fonts, about 30% of all inline styles in the book) becomes a class,
 *   `mr2778`, whose rule in `static/styles.css` sets the same margin ({@linkcode MARGIN_RIGHT_EMS}).
 *   Fewer bytes, and elements without an inline style of their own share their computed style.
 *
 * Full-page screenshots of every chapter before and after this pass are identical pixel for pixel
 * (1280 px and 390 px, light and dark). Folding KaTeX's empty `mspace` spans into the margin of
 * the element before them was tried too and left out: it moved glyphs by a fraction of a pixel.
 *
 * @module
 */
import type { Element, ElementContent, Root } from "npm:@types/hast@3.0.5";

/**
 * rehype plugin: see the module doc.
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkMath from "remark-math";
 * import remarkRehype from "remark-rehype";
 * import rehypeStringify from "rehype-stringify";
 * import { rehypeMath } from "./katex.ts";
 * import { rehypeKatexSlim } from "./katex_slim.ts";
 * const render = (slim: boolean) => {
 *   const p = unified().use(remarkParse).use(remarkMath).use(remarkRehype).use(rehypeMath);
 *   if (slim) p.use(rehypeKatexSlim);
 *   return p.use(rehypeStringify).process("$a = b_t$").then(String);
 * };
 * const [full, slim] = await Promise.all([render(false), render(true)]);
 * const count = (html: string) => html.split("<").length;
 * if (slim.includes("annotation") || count(slim) >= count(full)) throw new Error(slim);
 * const mathml = "<mo>=</mo><msub><mi>b</mi><mi>t</mi></msub></mrow></math>";
 * if (!slim.includes(mathml) || !slim.includes('style="height:0.15em;"></span>')) {
 *   throw new Error(slim);
 * }
 * ```
 */
export function rehypeKatexSlim() {
  return (tree: Root): void => {
    slim(tree);
  };
}

function slim(node: Root | Element): void {
  const out: ElementContent[] = [];
  for (const child of node.children as ElementContent[]) {
    if (child.type !== "element") {
      out.push(child);
      continue;
    }
    slim(child);
    const replaced = replacement(child);
    if (replaced === null) continue;
    if (replaced !== child) {
      out.push(replaced);
      continue;
    }
    out.push(child);
  }
  node.children = out;
  if (node.type !== "element") return;
  if (isDepthCell(node)) node.children = out.filter((c) => !isEmptySpan(c));
  marginClass(node);
  foldStrut(node);
  foldSafariCell(node);
}

/**
 * `<span style="top:…"><span class="pstrut" style="height:Xem"></span>…` → the row's own
 * `style="--pstrut:Xem;top:…"`, drawn by `static/styles.css` as the row's `::before`, an empty
 * inline-block of that height as the pstrut was.
 */
function foldStrut(row: Element): void {
  const first = row.children[0];
  if (row.tagName !== "span" || first?.type !== "element" || !isEmptyStrut(first)) return;
  const height = /^height:([\d.]+em);?$/.exec(String(first.properties.style ?? ""));
  if (!height || classList(row).length > 0) return;
  row.children = row.children.slice(1);
  row.properties.style = `--pstrut:${height[1]};${row.properties.style ?? ""}`;
}

function isEmptyStrut(e: Element): boolean {
  const classes = classList(e);
  return classes.length === 1 && classes[0] === "pstrut" && e.children.length === 0;
}

/**
 * KaTeX's `<span class="vlist-s">&#8203;</span>` (a 2 px cell that works around a browser bug)
 * ends the first row of every two-row `vlist-t2`; the table is marked `vlist-t2s` instead and
 * `static/styles.css` draws the same cell as the row's `::after`.
 */
function foldSafariCell(table: Element): void {
  if (!classList(table).includes("vlist-t2")) return;
  const row = table.children[0];
  if (row?.type !== "element") return;
  const last = row.children.at(-1);
  if (last?.type !== "element" || classList(last).join(" ") !== "vlist-s") return;
  row.children = row.children.slice(0, -1);
  table.properties.className = [...classList(table), "vlist-t2s"];
}

/**
 * The right margins (in em) that KaTeX writes most often as an element's whole inline style: its
 * spaces (thin, medium, thick, negative thin, quad, qquad) and its fonts' italic corrections. Each
 * has a rule `.katex .mrNNNN { margin-right: … }` in `static/styles.css` ({@linkcode marginClassName}).
 */
export const MARGIN_RIGHT_EMS = [
  "0.2778",
  "0.1667",
  "0.2222",
  "-0.1667",
  "1",
  "2",
  "0.0359",
  "0.0037",
  "0.1389",
  "0.0278",
  "0.0139",
  "0.0528",
  "0.044",
  "0.1132",
  "0.1474",
  "0.0785",
  "0.0315",
  "0.0556",
] as const;

/**
 * The class for a right margin: `mr` + the margin in ten-thousandths of an em (`n` for negative).
 *
 * @param em the margin, as KaTeX writes it without the unit
 * @returns the class name
 * @example
 * ```ts
 * import { marginClassName } from "./katex_slim.ts";
 * if (marginClassName("0.2778") !== "mr2778" || marginClassName("-0.1667") !== "mrn1667" ||
 *   marginClassName("2") !== "mr20000") throw new Error("class names");
 * ```
 */
export function marginClassName(em: string): string {
  const n = Math.round(Number(em) * 10_000);
  if (!Number.isFinite(n)) {
    throw new RangeError(
      `Cannot name a margin class as the margin is not a number: current value is ${em}`,
    );
  }
  return `mr${n < 0 ? "n" : ""}${Math.abs(n)}`;
}

/** KaTeX classes whose own stylesheet rules set a right margin: their inline style stays. */
const OWN_MARGIN = new Set(["vlist-t2", "root", "cancel-lap", "angl", "inner"]);
const MARGIN_STYLE = /^margin-right:(-?[\d.]+)em;?$/;

/** `<span class="mspace" style="margin-right:0.2778em;">` → `<span class="mspace mr2778">`. */
function marginClass(e: Element): void {
  const m = MARGIN_STYLE.exec(String(e.properties.style ?? ""));
  if (!m || !(MARGIN_RIGHT_EMS as readonly string[]).includes(m[1])) return;
  const classes = classList(e);
  if (e.tagName !== "span" || classes.some((c) => OWN_MARGIN.has(c))) return;
  e.properties.className = [...classes, marginClassName(m[1])];
  delete e.properties.style;
}

/** What an element becomes: itself, its one child (`mrow`, `semantics`), or nothing. */
function replacement(e: Element): Element | null {
  if (e.tagName === "annotation") return null;
  if (e.tagName === "semantics") {
    const first = e.children.find((c): c is Element => c.type === "element");
    return first ?? e;
  }
  if (e.tagName === "mrow" && Object.keys(e.properties).length === 0) {
    const elements = e.children.filter((c) => c.type === "element");
    const text = e.children.some((c) => c.type === "text" && c.value.trim() !== "");
    if (elements.length === 1 && !text) return elements[0] as Element;
  }
  return e;
}

/** `.vlist` with a height of its own: a script's depth cell, whose inner span is empty. */
function isDepthCell(e: Element): boolean {
  const classes = classList(e);
  return classes.length === 1 && classes[0] === "vlist" &&
    /^height:[\d.]+em;?$/.test(String(e.properties.style ?? ""));
}

function isEmptySpan(c: ElementContent): boolean {
  return c.type === "element" && c.tagName === "span" && c.children.length === 0 &&
    Object.keys(c.properties).length === 0;
}

function classList(e: Element): string[] {
  const c = e.properties.className;
  return Array.isArray(c) ? c.map(String) : [];
}
