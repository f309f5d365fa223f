/**
 * rehype plugin: wraps each `h2` and what follows it, up to the next `h2` or island, in
 * `<section class="part">`, so that the stylesheet can give sections `content-visibility: auto`
 * and the browser skips style, layout and paint of the math far below the fold. Only top-level
 * nodes are grouped, and never across an island marker (the chapter is split into parts there).
 *
 * @module
 */
import type { Element, ElementContent, Root, RootContent } from "npm:@types/hast@3.0.5";

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
 * const want = '<section class="part"><p>a</p></section>' +
 *   '<section class="part"><h2>B</h2><p>b</p></section>';
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
      if (current?.children.length) out.push(current);
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
