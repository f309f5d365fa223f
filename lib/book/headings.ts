/**
 * remark plugin: gives every heading a GitHub-style slug id (github-slugger) and records the
 * chapter's table of contents, its h2 and h3 headings, on `file.data.book.toc`.
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import type {} from "remark-rehype"; // data.hProperties
import GithubSlugger from "github-slugger";
import { toString } from "mdast-util-to-string";
import { visit } from "unist-util-visit";
import { bookData } from "./file_data.ts";
import type { TocEntry } from "./types.ts";

/**
 * The plugin.
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import { VFile } from "vfile";
 * import { remarkHeadings } from "./headings.ts";
 * const p = unified().use(remarkParse).use(remarkHeadings);
 * const file = new VFile("# T\n\n## The forward process\n\n### Step one\n\n## Step one\n");
 * await p.run(p.parse(file), file);
 * const ids = file.data.book?.toc?.map((h) => h.id).join(" ");
 * if (ids !== "the-forward-process step-one step-one-1") throw new Error(ids);
 * ```
 */
export function remarkHeadings() {
  return (tree: Root, file: VFile): void => {
    const slugger = new GithubSlugger();
    const toc: TocEntry[] = [];
    visit(tree, "heading", (node) => {
      const text = toString(node).trim();
      const id = slugger.slug(text);
      node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id } };
      if (node.depth === 2 || node.depth === 3) toc.push({ depth: node.depth, id, text });
    });
    bookData(file).toc = toc;
  };
}
