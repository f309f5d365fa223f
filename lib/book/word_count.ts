/**
 * remark plugin: counts the prose words of a chapter (text only: no math, code, front matter or
 * directive attributes) onto `file.data.book.wordCount`.
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import { visit } from "unist-util-visit";
import { bookData } from "./file_data.ts";

/**
 * Counts the words in a run of prose: whitespace-separated tokens holding a letter or digit.
 *
 * @param text prose
 * @returns the number of words
 * @example
 * ```ts
 * import { countWords } from "./word_count.ts";
 * if (countWords("Undo one step — of noise, 2 times.") !== 7) throw new Error("miscounted");
 * ```
 */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * The plugin. Run it before plugins that add text (numbers, titles).
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkMath from "remark-math";
 * import { VFile } from "vfile";
 * import { remarkWordCount } from "./word_count.ts";
 * const p = unified().use(remarkParse).use(remarkMath).use(remarkWordCount);
 * const file = new VFile("Two words $a + b$ and `code here`\n\n~~~ts\nconst x = 1;\n~~~\n");
 * await p.run(p.parse(file), file);
 * if (file.data.book?.wordCount !== 3) throw new Error(String(file.data.book?.wordCount));
 * ```
 */
export function remarkWordCount() {
  return (tree: Root, file: VFile): void => {
    let words = 0;
    // text nodes are prose; math, code and front matter are literal nodes of other types
    visit(tree, "text", (node) => {
      words += countWords(node.value);
    });
    bookData(file).wordCount = words;
  };
}
