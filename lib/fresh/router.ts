/**
 * File-system routing as Fresh does it: which files in `routes/` are routes, their URL patterns
 * (`index`, `[param]`, `[...rest]`, `(group)`), the special files (`_app`, `_layout`, `_404`,
 * `_error`), the order in which routes are tried, and matching a path against them.
 *
 * @module
 */
import { join } from "node:path";

/** One URL segment of a route. */
export type Segment =
  | { kind: "static"; value: string }
  | { kind: "param"; name: string }
  | { kind: "rest"; name: string };

/** A route file: its path relative to `routes/`, the folder it sits in, and its URL segments. */
export interface RouteFile {
  file: string;
  dir: string;
  segments: Segment[];
  pattern: string;
}

/** What {@linkcode scanRoutes} found, paths relative to `routes/`. */
export interface RouteTree {
  /** Routes in the order they are tried: static segments before params before catch-alls. */
  routes: RouteFile[];
  /** `_layout` files by folder ("" is the root folder). */
  layouts: Map<string, string>;
  app?: string;
  notFound?: string;
  error?: string;
}

const EXTENSION = /\.(tsx|jsx|ts|js)$/;
const TEST_FILE = /[._]test\.(tsx|jsx|ts|js)$/;

/** Is this file name one the router looks at (a module, and not a test)? */
export function isModuleFile(name: string): boolean {
  return EXTENSION.test(name) && !TEST_FILE.test(name) && !name.startsWith(".");
}

/**
 * Turns a route file's path (relative to `routes/`, without extension) into URL segments.
 *
 * @param path E.g. `"(docs)/chapters/[slug]"`.
 * @returns The segments; `index` and `(group)` folders add none.
 *
 * @example
 * ```ts
 * import { routeSegments, routePattern } from "./router.ts";
 * const p = routePattern(routeSegments("(g)/blog/[slug]/index"));
 * if (p !== "/blog/:slug") throw new Error(p);
 * ```
 */
export function routeSegments(path: string): Segment[] {
  const parts = path.split("/");
  if (parts.at(-1) === "index") parts.pop();
  return parts.filter((p) => p !== "" && !/^\(.*\)$/.test(p)).map((p): Segment => {
    const rest = /^\[\.\.\.(.+)\]$/.exec(p);
    if (rest) return { kind: "rest", name: rest[1] };
    const param = /^\[(.+)\]$/.exec(p);
    return param ? { kind: "param", name: param[1] } : { kind: "static", value: p };
  });
}

/** The URLPattern-style text of a route: `/chapters/:slug`, `/files/:path*`. */
export function routePattern(segments: Segment[]): string {
  return "/" +
    segments.map((s) =>
      s.kind === "static" ? s.value : s.kind === "param" ? `:${s.name}` : `:${s.name}*`
    ).join("/");
}

const RANK = { static: 3, param: 2, rest: 1 } as const;

/** Orders routes so that the first match wins: static > param > catch-all, segment by segment. */
export function compareRoutes(a: RouteFile, b: RouteFile): number {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = RANK[b.segments[i].kind] - RANK[a.segments[i].kind];
    if (d !== 0) return d;
  }
  return a.segments.length - b.segments.length || (a.pattern < b.pattern ? -1 : 1);
}

/**
 * Splits a URL path into percent-decoded segments, dropping empty ones.
 *
 * @param pathname The raw (encoded) path of a URL.
 * @returns The decoded segments.
 * @throws URIError on a malformed escape such as `%E0%A4%A` (the caller answers 400).
 *
 * @example
 * ```ts
 * import { splitPath } from "./router.ts";
 * const s = splitPath("/a%20b//c");
 * if (s.join("|") !== "a b|c") throw new Error(s.join("|"));
 * ```
 */
export function splitPath(pathname: string): string[] {
  return pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
}

/**
 * Matches decoded path segments against one route.
 *
 * @returns The parameters, or `null` when the route does not match.
 *
 * @example
 * ```ts
 * import { matchSegments, routeSegments } from "./router.ts";
 * const params = matchSegments(routeSegments("docs/[...path]"), ["docs", "a", "b"]);
 * if (params?.path !== "a/b") throw new Error("catch-all did not match");
 * ```
 */
export function matchSegments(
  segments: Segment[],
  path: string[],
): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s.kind === "rest") {
      params[s.name] = path.slice(i).join("/");
      return params;
    }
    if (i >= path.length) return null;
    if (s.kind === "static" && s.value !== path[i]) return null;
    if (s.kind === "param") params[s.name] = path[i];
  }
  return path.length === segments.length ? params : null;
}

async function walk(dir: string, rel: string, out: string[]): Promise<void> {
  const entries = [];
  for await (const e of Deno.readDir(join(dir, rel))) entries.push(e);
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory && !e.name.startsWith(".") && e.name !== "node_modules") {
      await walk(dir, path, out);
    } else if (e.isFile && isModuleFile(e.name)) out.push(path);
  }
}

/**
 * Reads a `routes/` folder: every route file with its pattern, and the special files.
 *
 * @param routesDir Absolute path of the `routes/` folder.
 * @returns The route tree; routes sorted in matching order.
 * @throws Error when two files map to the same pattern.
 */
export async function scanRoutes(routesDir: string): Promise<RouteTree> {
  const files: string[] = [];
  await walk(routesDir, "", files);
  const tree: RouteTree = { routes: [], layouts: new Map() };
  const byPattern = new Map<string, string>();
  for (const file of files) {
    const noExt = file.replace(EXTENSION, "");
    const slash = noExt.lastIndexOf("/");
    const dir = slash < 0 ? "" : noExt.slice(0, slash);
    const base = noExt.slice(slash + 1);
    if (base === "_layout") tree.layouts.set(dir, file);
    else if (base === "_app" && dir === "") tree.app = file;
    else if (base === "_404" && dir === "") tree.notFound = file;
    else if (base === "_error" && dir === "") tree.error = file;
    if (base.startsWith("_")) continue; // _middleware and other private files are not routes
    const segments = routeSegments(noExt);
    const pattern = routePattern(segments);
    const other = byPattern.get(pattern);
    if (other) {
      throw new Error(
        `Cannot add route routes/${file} as its pattern ${pattern} is already used by routes/${other}`,
      );
    }
    byPattern.set(pattern, file);
    tree.routes.push({ file, dir, segments, pattern });
  }
  tree.routes.sort(compareRoutes);
  return tree;
}

/** The folders whose `_layout` applies to a route in `dir`, outermost first: "", "a", "a/b". */
export function layoutDirs(dir: string): string[] {
  const parts = dir === "" ? [] : dir.split("/");
  return [""].concat(parts.map((_, i) => parts.slice(0, i + 1).join("/")));
}
