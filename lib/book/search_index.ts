/**
 * The search index, built with the book: one passage per section (its heading, prose, list items,
 * table cells, exercises and solutions) and one per numbered equation (its label in words and the
 * sentences just before and after it), indexed by MiniSearch with {@link SEARCH_OPTIONS}. The
 * build writes the index as JSON (`search-index.json`); the search page's island loads it on first
 * use (search_query.ts). Math is left out of the text: its words are in the prose around it.
 *
 * @module
 */
import MiniSearch from "minisearch";
import { parseHTML } from "linkedom";
import { SEARCH_OPTIONS, type SearchDoc } from "./search_query.ts";
import type { Book, Chapter } from "./types.ts";

/** Elements whose text is not prose: display math, badges, equation numbers, code. */
const SKIP = new Set(["katex-display", "eq-badge", "eq-number", "shiki", "code-excerpt"]);
/** Elements that end a run of text (a sentence break is added if the text has none). */
const BLOCKS = new Set([
  "P",
  "LI",
  "TD",
  "TH",
  "DIV",
  "SECTION",
  "SUMMARY",
  "FIGCAPTION",
  "H4",
  "BLOCKQUOTE",
  "PRE",
]);

interface Walk {
  docs: SearchDoc[];
  chapter: Chapter;
  chapterName: string;
  section: SearchDoc;
  /** The equations still waiting for the sentence that follows them. */
  pendingEquations: SearchDoc[];
}

/** "eq:posterior-variance" to "posterior variance". */
function labelWords(label: string): string {
  return label.replace(/^eq:/, "").replace(/[-_:]+/g, " ");
}

function lastSentence(text: string): string {
  const sentences = text.trim().split(/(?<=[.!?:;])\s+/);
  return sentences.at(-1) ?? "";
}

const AFTER = " ⟶ "; // marks where the sentence after an equation starts, until it ends

function append(walk: Walk, text: string): void {
  walk.section.text += text;
  for (const eq of walk.pendingEquations) {
    eq.text += text;
    const after = eq.text.slice(eq.text.indexOf(AFTER) + AFTER.length);
    const end = after.search(/[.!?:;](\s|$)/);
    if (end >= 0) finish(eq, end + 1);
  }
  walk.pendingEquations = walk.pendingEquations.filter((eq) => eq.text.includes(AFTER));
}

/** The equation's text is complete: the sentence before, then `length` characters after. */
function finish(eq: SearchDoc, length: number): void {
  const at = eq.text.indexOf(AFTER);
  eq.text = `${eq.text.slice(0, at)} ${eq.text.slice(at + AFTER.length).slice(0, length)}`;
}

function endBlock(walk: Walk): void {
  const t = walk.section.text.trimEnd();
  walk.section.text = t === "" || /[.!?:;]$/.test(t) ? t + " " : t + ". ";
  for (const eq of walk.pendingEquations) {
    const after = eq.text.slice(eq.text.indexOf(AFTER) + AFTER.length);
    if (after.trim() !== "") finish(eq, after.length);
  }
  walk.pendingEquations = walk.pendingEquations.filter((eq) => eq.text.includes(AFTER));
}

function newSection(walk: Walk, id: string, heading: string): void {
  walk.section = {
    id: 0,
    chapter: walk.chapterName,
    title: heading,
    text: "",
    labels: "",
    href: `/chapters/${walk.chapter.slug}#${id}`,
  };
  walk.docs.push(walk.section);
}

// deno-lint-ignore no-explicit-any
function visitNode(walk: Walk, node: any): void {
  if (node.nodeType === 3) { // text
    append(walk, node.textContent.replace(/\s+/g, " "));
    return;
  }
  if (node.nodeType !== 1) return;
  const classes: string[] = (node.getAttribute("class") ?? "").split(/\s+/);
  if (node.tagName === "H2" || node.tagName === "H3") {
    newSection(walk, node.getAttribute("id") ?? "", node.textContent.trim());
    return;
  }
  if (classes.includes("equation")) {
    const label = node.getAttribute("data-label") ?? "";
    const number = node.getAttribute("data-number") ?? "";
    walk.section.labels += ` ${labelWords(label)}`;
    const eq: SearchDoc = {
      id: 0,
      chapter: walk.chapterName,
      title: `Equation (${number}) · ${walk.section.title}`,
      // the sentence before, a marker the sentence after replaces (see endBlock)
      text: `${lastSentence(walk.section.text)}${AFTER}`,
      labels: `${labelWords(label)} ${number}`,
      href: `/chapters/${walk.chapter.slug}#${label}`,
    };
    walk.docs.push(eq);
    walk.pendingEquations.push(eq);
    return;
  }
  if (classes.some((c) => SKIP.has(c))) {
    append(walk, " ");
    return;
  }
  if (classes.includes("katex")) { // inline math: the characters of its MathML, not its TeX
    const math = node.querySelector("math");
    math?.querySelector("annotation")?.remove();
    append(walk, (math?.textContent ?? "").replace(/[\s\u200b]+/g, ""));
    return;
  }
  for (const child of node.childNodes) visitNode(walk, child);
  if (BLOCKS.has(node.tagName)) endBlock(walk);
}

/**
 * The passages of a rendered book.
 *
 * @param book the rendered book
 * @returns one passage per section and per numbered equation, numbered from 1
 * @example
 * ```ts
 * import { searchDocs } from "./search_index.ts";
 * const html = '<p>Intro.</p><section class="part"><h2 id="toy">Toy data</h2>' +
 *   '<p>The swiss roll <span class="katex">x^2</span> is a spiral:</p>' +
 *   '<div class="equation" data-label="eq:roll" data-number="2.1">r = t</div>' +
 *   "<p>Then it is scaled.</p></section>";
 * const book = { equations: [], chapters: [{ slug: "data", title: "Data", number: 2,
 *   parts: [{ kind: "html", html }] }] };
 * // deno-lint-ignore no-explicit-any
 * const docs = searchDocs(book as any);
 * const toy = docs.find((d) => d.title === "Toy data")!;
 * const eq = docs.find((d) => d.href === "/chapters/data#eq:roll")!;
 * if (!toy.text.includes("The swiss roll is a spiral:") || toy.text.includes("x^2")) {
 *   throw new Error(toy.text);
 * }
 * if (eq.title !== "Equation (2.1) · Toy data" || !eq.text.includes("Then it is scaled.")) {
 *   throw new Error(JSON.stringify(eq));
 * }
 * ```
 */
export function searchDocs(book: Book): SearchDoc[] {
  const docs: SearchDoc[] = [];
  for (const chapter of book.chapters) {
    const chapterName = chapter.number > 0 ? `${chapter.number}. ${chapter.title}` : chapter.title;
    const walk: Walk = {
      docs,
      chapter,
      chapterName,
      section: undefined as unknown as SearchDoc,
      pendingEquations: [],
    };
    newSection(walk, "", chapter.title);
    walk.section.href = `/chapters/${chapter.slug}`;
    walk.section.text = `${chapter.summary} ${chapter.question ?? ""} `;
    for (const part of chapter.parts) {
      if (part.kind !== "html") continue;
      const { document } = parseHTML(`<!doctype html><html><body>${part.html}</body></html>`);
      for (const node of document.body.childNodes) visitNode(walk, node);
    }
  }
  for (const [i, d] of docs.entries()) {
    d.id = i + 1;
    d.text = d.text.replace(AFTER, " ").replace(/\s+/g, " ").replace(/ ([.,;:])/g, "$1").trim();
  }
  return docs.filter((d) => d.text !== "" || d.labels !== "");
}

/**
 * The index the build writes: MiniSearch over {@link searchDocs}, as JSON.
 *
 * @param book the rendered book
 * @returns the index's JSON text (load it with `loadSearchIndex`)
 */
export function buildSearchIndex(book: Book): string {
  const index = new MiniSearch<SearchDoc>(SEARCH_OPTIONS);
  index.addAll(searchDocs(book));
  return JSON.stringify(index);
}
