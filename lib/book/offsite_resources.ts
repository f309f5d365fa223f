/**
 * remark plugin: images must come from the site itself. The site's Content-Security-Policy
 * (`img-src 'self' data: blob:`, `lib/fresh/http.ts`) blocks any other origin, so an off-site image
 * would build and then show as broken: it is a build error (`offsite-resource`) at its place.
 * Links are not resources (following one is a navigation the CSP allows).
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import { visit } from "unist-util-visit";
import { report } from "./file_data.ts";

/**
 * Does `url` name another origin (a scheme such as `https:`, or `//host`)?
 *
 * @example
 * ```ts
 * import { isOffsite } from "./offsite_resources.ts";
 * if (!isOffsite("https://ok.example/x.png") || !isOffsite("//cdn.example/x.png")) throw new Error();
 * if (isOffsite("/figures/a.svg") || isOffsite("a.png") || isOffsite("./x:y.png")) throw new Error();
 * ```
 */
export function isOffsite(url: string): boolean {
  // browsers ignore ASCII control characters and whitespace, and read "\" as "/"
  // deno-lint-ignore no-control-regex
  const clean = url.replace(/[\u0000-\u0020\u007f]/g, "").replaceAll("\\", "/");
  if (clean.startsWith("//")) return true;
  const colon = clean.indexOf(":");
  if (colon === -1) return false;
  const cut = clean.search(/[/?#]/);
  return cut === -1 || cut > colon; // a colon before any / ? # is a scheme
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
 * import { remarkOffsiteResources } from "./offsite_resources.ts";
 * const p = unified().use(remarkParse).use(remarkOffsiteResources);
 * const file = new VFile("Text\n\n![](https://ok.example/x.png)\n");
 * await p.run(p.parse(file), file);
 * if (file.messages[0]?.ruleId !== "offsite-resource" || file.messages[0]?.line !== 3) {
 *   throw new Error(String(file.messages[0]));
 * }
 * ```
 */
export function remarkOffsiteResources() {
  return (tree: Root, file: VFile): void => {
    const definitions = new Map<string, string>();
    visit(tree, "definition", (node) => {
      definitions.set(node.identifier, node.url);
    });
    visit(tree, (node) => {
      const url = node.type === "image"
        ? node.url
        : node.type === "imageReference"
        ? definitions.get(node.identifier)
        : undefined;
      if (url === undefined || !isOffsite(url)) return;
      report(
        file,
        "Cannot show an image from another site as the site's Content-Security-Policy allows " +
          `images from the site itself only (put the file in static/): current value is ${
            JSON.stringify(url)
          }`,
        node,
        "offsite-resource",
      );
      if (node.type === "image") node.url = "#";
    });
  };
}
