/**
 * Serves files from folders at the URL root (`static/`, `<buildDir>/static/`, extra ones), first
 * folder first. Weak ETags and 304s; hashed files under `/_frsh/js/` are cached for a year, others
 * revalidate. Dotfiles, paths that leave the folder (after decoding, `..`, backslashes, NUL) and
 * symlinks pointing outside are never served: the request falls through (to a 404). A malformed
 * escape is a 400.
 *
 * @module
 */
import { extname, join, sep } from "node:path";
import { respondWithEtag, weakEtag } from "./http.ts";

/** Content types by extension. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".pdf": "application/pdf",
  ".webmanifest": "application/manifest+json",
};

/**
 * The Content-Type for a file name, `application/octet-stream` when unknown.
 *
 * @example
 * ```ts
 * import { contentType } from "./static.ts";
 * if (contentType("a/b.WASM") !== "application/wasm") throw new Error();
 * ```
 */
export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/** URLs under this prefix carry a build id and never change. */
export const IMMUTABLE_PREFIX = "/_frsh/js/";

interface Entry {
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
  type: string;
}

/** Serves a request, or returns `null` when no file answers it. */
export type StaticHandler = (req: Request, url: URL) => Promise<Response | null>;

async function realFolder(folder: string): Promise<string | null> {
  try {
    return await Deno.realPath(folder);
  } catch {
    return null; // a folder that does not exist (yet) serves nothing
  }
}

async function load(folders: string[], rel: string): Promise<Entry | null> {
  for (const folder of folders) {
    const root = await realFolder(folder);
    if (root === null) continue;
    let real: string;
    try {
      real = await Deno.realPath(join(root, rel));
      if (!real.startsWith(root + sep) || !(await Deno.stat(real)).isFile) continue;
    } catch {
      continue; // missing, a file used as a folder, a name too long...
    }
    const bytes = await Deno.readFile(real);
    return { bytes, etag: await weakEtag(bytes), type: contentType(rel) };
  }
  return null;
}

/**
 * Makes the static file handler.
 *
 * @param folders Absolute folder paths, searched in order.
 * @param opts `dev: true` re-reads files on every request and never marks them immutable;
 *   otherwise bytes and ETag are cached after the first read.
 * @returns A handler giving a Response, or `null` to fall through.
 *
 * @example
 * ```ts
 * import { staticFiles } from "./static.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "hi");
 * const serve = staticFiles([dir]);
 * const res = await serve(new Request("http://x/a.txt"), new URL("http://x/a.txt"));
 * if (await res?.text() !== "hi") throw new Error("not served");
 * if (await serve(new Request("http://x/b.txt"), new URL("http://x/b.txt")) !== null) throw new Error();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function staticFiles(folders: string[], opts: { dev?: boolean } = {}): StaticHandler {
  const cache = new Map<string, Entry>();
  return async (req, url) => {
    if (req.method !== "GET" && req.method !== "HEAD") return null;
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return new Response("Bad Request: malformed URL escape", { status: 400 });
    }
    if (path.includes("\0") || path.includes("\\")) return null;
    const segments = path.split("/").filter((s) => s !== "");
    if (segments.length === 0 || segments.some((s) => s.startsWith("."))) return null;
    const rel = segments.join("/");
    let entry = opts.dev ? undefined : cache.get(rel);
    if (entry === undefined) {
      const loaded = await load(folders, rel);
      if (loaded === null) return null;
      entry = loaded;
      if (!opts.dev) cache.set(rel, entry);
    }
    const headers = new Headers({
      "content-type": entry.type,
      "x-content-type-options": "nosniff",
      "cache-control": !opts.dev && url.pathname.startsWith(IMMUTABLE_PREFIX)
        ? "public, max-age=31536000, immutable"
        : "no-cache",
    });
    return respondWithEtag(req, entry.bytes, { headers, etag: entry.etag });
  };
}
