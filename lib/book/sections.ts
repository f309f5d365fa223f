/**
 * rehype plugin: wraps each `h2` and what follows it, up to the next `h2` or island, in
 * `<section class="part">`, so that the stylesheet can give sections `content-visibility: auto`
 * and the browser skips style, layout and paint of the math far below the fold. Only top-level
 * nodes are grouped, and never across an island marker (the chapter is split into parts there).
 *
 * Inside a section the blocks are grouped again, into `<div class="chunk">`s with
 * `content-visibility: auto` too: a section is several screens long, and without chunks the first
 * frame laid out the whole of the first one (about 2,000 elements of math on a phone before the
 * first paint). A chunk starts at each `h3`, and after {@linkcode CHUNK_BLOCKS} blocks at the next
 * paragraph that follows a paragraph. A chunk's content is laid out on its own, so the margins at
 * its edges no longer collapse with its neighbours': the stylesheet drops the bottom margin of a
 * chunk's last block, and the boundaries are chosen where that leaves the same gap (a paragraph's
 * margins are equal; an `h3`'s top margin is the larger one).
 *
 * @module
 */
import type { Element, ElementContent, Root, RootContent } from "npm:@types/hast@3.0.5";

/** How many blocks a chunk holds before the next paragraph after a paragraph starts a new one. */
export const CHUNK_BLOCKS = 6;

function isTag(node: ElementContent | undefined, tagName: string): boolean {
  return node?.type === "element" && node.tagName === tagName;
}

/** Groups a section's blocks into chunks (see the module doc); text between blocks stays with them. */
function chunks(children: ElementContent[]): Element[] {
  const out: Element[] = [];
  let chunk: Element | undefined;
  let blocks = 0;
  let previous: ElementContent | undefined;
  for (const node of children) {
    const element = node.type === "element";
    const starts = !chunk || (element && (node.tagName === "h3" ||
      (blocks >= CHUNK_BLOCKS && node.tagName === "p" && isTag(previous, "p"))));
    if (starts) {
      chunk = {
        type: "element",
        tagName: "div",
        properties: { className: ["chunk"] },
        children: [],
      };
      out.push(chunk);
      blocks = 0;
    }
    chunk!.children.push(node);
    if (element) {
      blocks++;
      previous = node;
    }
  }
  return out;
}

/**
 * The plugin.
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkRehype from "remark-rehype";
 * import rehypeStringify from "rehype-stringify";
 * import { rehypeSections } from "./sections.ts";
 * const p = unified().use(remarkParse).use(remarkRehype).use(rehypeSections).use(rehypeStringify);
 * const html = String(await p.process("a\n\n## B\n\nb\n")).replaceAll("\n", "");
 * const want = '<section class="part"><div class="chunk"><p>a</p></div></section>' +
 *   '<section class="part"><div class="chunk"><h2>B</h2><p>b</p></div></section>';
 * if (html !== want) throw new Error(html);
 * ```
 */
export function rehypeSections() {
  return (tree: Root): void => {
    const out: RootContent[] = [];
    let current: Element | undefined;
    const blank = (c: ElementContent | undefined) => c?.type === "text" && c.value.trim() === "";
    const close = () => {
      while (current && blank(current.children.at(-1))) current.children.pop();
      if (current?.children.length) {
        current.children = chunks(current.children);
        out.push(current);
      }
      current = undefined;
    };
    for (const node of tree.children) {
      if (node.type === "comment" || node.type === "doctype") {
        close();
        out.push(node);
        continue;
      }
      if (node.type === "element" && node.tagName === "h2") close();
      if (!current && node.type === "text" && node.value.trim() === "") {
        out.push(node); // whitespace between sections stays outside them
        continue;
      }
      current ??= {
        type: "element",
        tagName: "section",
        properties: { className: ["part"] },
        children: [],
      };
      current.children.push(node as ElementContent);
    }
    close();
    tree.children = out;
  };
}
