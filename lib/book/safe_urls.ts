/**
 * remark plugin: link and image URLs must be relative, fragments, or use http(s)/mailto, so no
 * chapter can carry a `javascript:` or `data:` URL. Others are `unsafe-url` errors and are removed.
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import { visit } from "unist-util-visit";
import { report } from "./file_data.ts";

const SAFE_PROTOCOL = /^(https?|mailto):$/i;

/**
 * Whether a URL is safe to put in `href` or `src`.
 *
 * @param url the URL as written
 * @returns true for relative URLs, fragments, http(s) and mailto
 * @example
 * ```ts
 * import { isSafeUrl } from "./safe_urls.ts";
 * if (!isSafeUrl("#eq:a") || !isSafeUrl("https://x.org") || isSafeUrl(" JavaScript:alert(1)")) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function isSafeUrl(url: string): boolean {
  // browsers ignore ASCII control characters and whitespace inside a scheme
  // deno-lint-ignore no-control-regex
  const clean = url.replace(/[\u0000-\u0020\u007f]/g, "");
  const colon = clean.indexOf(":");
  if (colon === -1) return true;
  const cut = clean.search(/[/?#]/);
  if (cut !== -1 && cut < colon) return true; // the colon is in the path, query or fragment
  return SAFE_PROTOCOL.test(clean.slice(0, colon + 1));
}

/**
 * The plugin.
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import { VFile } from "vfile";
 * import { remarkSafeUrls } from "./safe_urls.ts";
 * const p = unified().use(remarkParse).use(remarkSafeUrls);
 * const file = new VFile("[x](javascript:alert(1))");
 * await p.run(p.parse(file), file);
 * if (file.messages[0]?.ruleId !== "unsafe-url") throw new Error("missed");
 * ```
 */
export function remarkSafeUrls() {
  return (tree: Root, file: VFile): void => {
    visit(tree, (node) => {
      if (node.type !== "link" && node.type !== "image" && node.type !== "definition") return;
      if (isSafeUrl(node.url)) return;
      report(
        file,
        `Cannot link to this URL as only http(s), mailto and relative URLs are allowed: current ` +
          `value is ${JSON.stringify(node.url)}`,
        node,
        "unsafe-url",
      );
      node.url = "#";
    });
  };
}
