/**
 * remark plugin: `::code{src="engine/posterior.ts" symbol="posteriorMean"}` pulls, at build time,
 * the declaration of an exported symbol from a project file, so excerpts cannot drift from the
 * engine. It becomes `<figure class="code-excerpt">` holding a `ts` code block (highlighted later
 * by shiki) and a caption linking the file. A missing file or symbol, or a path outside the
 * project, is a `code-excerpt` error.
 *
 * @module
 */
import type { Root, RootContent } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import type {} from "remark-directive"; // the directive nodes
import { extname, isAbsolute, relative, resolve } from "node:path";
import { visit } from "unist-util-visit";
import { extractSymbol } from "./extract_symbol.ts";
import { bookData, htmlBlock, report } from "./file_data.ts";

/** Where excerpts come from and where captions link. */
export interface CodeExcerptOptions {
  /** Project root; `src` is relative to it. */
  root: string;
  /** Prefix of caption links (the file path and `#Lstart-Lend` are appended). */
  sourceBaseUrl: string;
}

const LANGS: Record<string, string> = { ".ts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js" };

/**
 * The plugin.
 *
 * @param options the project root and caption link prefix
 * @returns the (async) transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkDirective from "remark-directive";
 * import { VFile } from "vfile";
 * import { remarkCodeExcerpt } from "./code_excerpt.ts";
 * const root = new URL("../..", import.meta.url).pathname;
 * const p = unified().use(remarkParse).use(remarkDirective)
 *   .use(remarkCodeExcerpt, { root, sourceBaseUrl: "/source/" });
 * const file = new VFile('::code{src="engine/schedule.ts" symbol="linearSchedule"}\n');
 * const tree = await p.run(p.parse(file), file);
 * if (!JSON.stringify(tree).includes("export function linearSchedule(")) throw new Error("no code");
 * if (file.messages.length) throw new Error(String(file.messages[0]));
 * ```
 */
export function remarkCodeExcerpt(options: CodeExcerptOptions) {
  return async (tree: Root, file: VFile): Promise<void> => {
    const jobs: { node: RootContent; index: number; parent: { children: RootContent[] } }[] = [];
    visit(tree, "leafDirective", (node, index, parent) => {
      if (node.name === "code" && parent && index !== undefined) {
        jobs.push({ node, index, parent: parent as { children: RootContent[] } });
      }
    });
    const dependencies = bookData(file).dependencies ??= new Set();
    for (const { node, index, parent } of jobs) {
      const attributes = (node as { attributes?: Record<string, string | null | undefined> })
        .attributes ?? {};
      const src = attributes.src ?? "";
      const symbol = attributes.symbol ?? "";
      const excerpt = await readExcerpt(options.root, src, symbol, dependencies);
      if (excerpt instanceof Error) {
        report(file, excerpt.message, node, "code-excerpt");
        parent.children[index] = htmlBlock("p", { className: ["code-excerpt-missing"] }, []);
        continue;
      }
      const url = `${options.sourceBaseUrl}${src}#L${excerpt.startLine}-L${excerpt.endLine}`;
      parent.children[index] = htmlBlock("figure", { className: ["code-excerpt"] }, [
        { type: "code", lang: LANGS[extname(src)] ?? "ts", value: excerpt.code },
        htmlBlock("figcaption", {}, [
          { type: "link", url, children: [{ type: "inlineCode", value: src }] },
          { type: "text", value: `, lines ${excerpt.startLine}\u2013${excerpt.endLine}` },
        ] as never),
      ]);
    }
  };
}

async function readExcerpt(root: string, src: string, symbol: string, deps: Set<string>) {
  if (src === "" || symbol === "") {
    return new Error(
      `Cannot excerpt code as ::code needs src and symbol: current value is ` +
        JSON.stringify({ src, symbol }),
    );
  }
  const path = resolve(root, src);
  const rel = relative(resolve(root), path);
  if (isAbsolute(src) || rel.startsWith("..") || isAbsolute(rel)) {
    return new Error(`Cannot excerpt code from outside the project: current value is ${src}`);
  }
  deps.add(path);
  let source: string;
  try {
    source = await Deno.readTextFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    return new Error(`Cannot excerpt code as file ${src} does not exist`);
  }
  return extractSymbol(source, symbol) ??
    new Error(`Cannot excerpt code as ${src} exports no declaration named ${symbol}`);
}
