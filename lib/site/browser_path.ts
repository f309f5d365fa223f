/**
 * The base path as client code sees it: `_app` writes it on `<html data-base-path>`, so island and
 * client modules build asset URLs (tfjs's `.wasm` folder, stylesheets) that work when the site is
 * served under a sub-path, without each island being handed the path as a prop. No DOM (Deno,
 * server rendering): the path is returned as it is.
 *
 * @module
 */

/**
 * A site path with the page's base path in front.
 *
 * @param path A path from the site root, starting with `/`.
 * @param doc The document (default: the page's, when there is one).
 * @returns E.g. `/course/diffusion/vendor/tfjs/` on a page under `/course/diffusion`.
 *
 * @example
 * ```ts
 * import { browserSitePath } from "./browser_path.ts";
 * const doc = { documentElement: { dataset: { basePath: "/course/diffusion" } } };
 * if (browserSitePath("/vendor/tfjs/", doc) !== "/course/diffusion/vendor/tfjs/") throw new Error();
 * if (browserSitePath("/x", undefined) !== "/x") throw new Error();
 * ```
 */
export function browserSitePath(
  path: string,
  doc: { documentElement?: { dataset?: { basePath?: string } } } | undefined =
    (globalThis as { document?: Document }).document,
): string {
  const base = doc?.documentElement?.dataset?.basePath ?? "";
  return /^(\/[A-Za-z0-9._~-]+)*$/.test(base) ? base + path : path;
}
