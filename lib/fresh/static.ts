/**
 * Serves files from folders at the URL root (`static/`, `<buildDir>/static/`, extra ones), first
 * folder first. Weak ETags and 304s; hashed files under `/_frsh/js/` are cached for a year, others
 * revalidate. Compressible files are kept with gzip and brotli copies, each with its own ETag
 * (`encoding.ts`); images and woff/woff2 fonts are sent as they are. Dotfiles, paths that leave the folder (after decoding, `..`, backslashes, NUL) and
 * symlinks pointing outside are never served: the request falls through (to a 404). A malformed
 * escape is a 400; a method other than GET or HEAD on a file is a 405 with `Allow`.
 *
 * @module
 */
import { extname, join, sep } from "node:path";
import { encodeBodies, isCompressible } from "./encoding.ts";
import { KeptResponse, plainText, weakEtag } from "./http.ts";

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

/** Serves a request, or returns `null` when no file answers it. */
export type StaticHandler = (req: Request, url: URL) => Promise<Response | null>;

async function realFolder(folder: string): Promise<string | null> {
  try {
    return await Deno.realPath(folder);
  } catch {
    return null; // a folder that does not exist (yet) serves nothing
  }
}

/** The real path of the file that answers `rel`: in the first folder that has it; null if none. */
async function findFile(folders: string[], rel: string): Promise<string | null> {
  for (const folder of folders) {
    const root = await realFolder(folder);
    if (root === null) continue;
    try {
      const real = await Deno.realPath(join(root, rel));
      if (real.startsWith(root + sep) && (await Deno.stat(real)).isFile) return real;
    } catch {
      continue; // missing, a file used as a folder, a name too long...
    }
  }
  return null;
}

/** Folders nested deeper than this are not listed (a guard, not a limit a site meets). */
const MAX_DEPTH = 32;

/**
 * Every file {@linkcode findFile} would serve, by path relative to the folder (first folder wins):
 * names starting with a dot are skipped, symlinks count only when they resolve inside their folder,
 * and a symlinked folder that leads back to one of its parents is not entered again.
 */
async function listFiles(folders: string[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const folder of folders) {
    const root = await realFolder(folder);
    if (root === null) continue;
    const walk = async (dir: string, rel: string, parents: Set<string>) => {
      if (parents.size > MAX_DEPTH) return;
      const entries = await Array.fromAsync(Deno.readDir(dir)).catch(() => null);
      if (entries === null) return; // removed while listing, or unreadable
      for (const entry of entries) {
        if (entry.name.startsWith(".")) continue;
        const path = join(dir, entry.name);
        const relPath = rel === "" ? entry.name : `${rel}/${entry.name}`;
        const found = await Deno.realPath(path)
          .then(async (real) => ({ real, info: await Deno.stat(real) }))
          .catch(() => null);
        if (found === null) continue; // a dangling symlink
        const { real, info } = found;
        if (!real.startsWith(root + sep)) continue;
        if (info.isFile && !files.has(relPath)) files.set(relPath, real);
        else if (info.isDirectory && !parents.has(real)) {
          await walk(path, relPath, new Set([...parents, real]));
        }
      }
    };
    await walk(root, "", new Set([root]));
  }
  return files;
}

/** The file at `real` (served as `/rel`), ready to answer; compressed copies unless dev. */
async function readEntry(real: string, rel: string, dev: boolean): Promise<KeptResponse> {
  const body = await Deno.readFile(real);
  const type = contentType(rel);
  const bodies = encodeBodies(body, await weakEtag(body), !dev && isCompressible(type));
  return new KeptResponse(bodies, {
    headers: {
      "content-type": type,
      "x-content-type-options": "nosniff",
      "cache-control": !dev && `/${rel}`.startsWith(IMMUTABLE_PREFIX)
        ? "public, max-age=31536000, immutable"
        : "no-cache",
    },
  });
}

/**
 * Makes the static file handler.
 *
 * @param folders Absolute folder paths, searched in order.
 * @param opts `dev: true` looks files up and re-reads them on every request, never compresses
 *   them and never marks them immutable. Otherwise (production, as Fresh does) the folders are
 *   listed once, at the first request, and only the files listed then are served; bytes, ETag and
 *   the gzip and brotli copies of compressible types are kept after the first read, and each
 *   request gets the coding its `Accept-Encoding` likes best.
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
  const cache = new Map<string, KeptResponse>();
  let listing: Promise<Map<string, string>> | undefined;
  return async (req, url) => {
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return plainText("Bad Request: malformed URL escape", 400);
    }
    if (path.includes("\0") || path.includes("\\")) return null;
    const segments = path.split("/").filter((s) => s !== "");
    if (segments.length === 0 || segments.some((s) => s.startsWith("."))) return null;
    const rel = segments.join("/");
    let entry = opts.dev ? undefined : cache.get(rel);
    if (entry === undefined) {
      // Production looks names up in the list made at the first request, so that a path no file
      // answers (every page request passes here first) costs a Map lookup, not file-system calls.
      const real = opts.dev
        ? await findFile(folders, rel)
        : (await (listing ??= listFiles(folders))).get(rel) ?? null;
      if (real === null) return null;
      entry = await readEntry(real, rel, opts.dev ?? false);
      if (!opts.dev) cache.set(rel, entry);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return plainText("Method Not Allowed", 405, { allow: "GET, HEAD" });
    }
    return entry.respond(req);
  };
}
