/**
 * For the static-export tests: a plain static file server (no app code: files, `index.html` for a
 * folder, a redirect to add a folder's slash, 404 otherwise) mounted under a base path, and a
 * crawler that follows every internal reference a browser would load: `href`/`src`/`action` in HTML, the
 * island state's URLs (island modules, worker bundles, tfjs's WASM folder), `url()` in CSS, and
 * `import`s in JavaScript modules.
 *
 * @module
 */
import { extname, join } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
};

/** A running static server; `close()` stops it. */
export interface StaticServer {
  /** Origin and base path, ending in `/`, e.g. `http://127.0.0.1:1234/course/diffusion/`. */
  root: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `folder` at `basePath` (e.g. `/course/diffusion`, or `""` for the root) on a free port.
 */
export function serveFolder(folder: string, basePath: string): StaticServer {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const notFound = () => new Response("Not Found", { status: 404 });
    if (!url.pathname.startsWith(`${basePath}/`)) return notFound();
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname.slice(basePath.length + 1));
    } catch {
      return new Response("Bad Request", { status: 400 });
    }
    if (rel.split("/").some((s) => s === ".." || s.startsWith("."))) return notFound();
    let file = join(folder, rel);
    try {
      const stat = await Deno.stat(file);
      if (stat.isDirectory) {
        if (!url.pathname.endsWith("/")) {
          return new Response(null, { status: 301, headers: { location: `${url.pathname}/` } });
        }
        file = join(file, "index.html");
      }
      const body = await Deno.readFile(file);
      const type = TYPES[extname(file)] ?? "application/octet-stream";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return notFound();
    }
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return { root: `${origin}${basePath}/`, origin, close: () => server.shutdown() };
}

/** A reference that did not resolve. */
export interface Broken {
  url: string;
  from: string;
  reason: string;
}

/** What a crawl found. */
export interface CrawlResult {
  /** Every URL fetched (after redirects), without query or hash. */
  visited: string[];
  broken: Broken[];
}

const decodeEntities = (s: string) =>
  s.replace(
    /&(amp|quot|lt|gt|#39);/g,
    (_, e) => ({ amp: "&", quot: '"', lt: "<", gt: ">", "#39": "'" })[e as string]!,
  );

/** The references in an HTML page, as written. */
function htmlRefs(html: string): string[] {
  const refs: string[] = [];
  for (const m of html.matchAll(/\s(?:href|src|action)\s*=\s*"([^"]*)"/gi)) {
    refs.push(decodeEntities(m[1]));
  }
  for (const m of html.matchAll(/\ssrcset\s*=\s*"([^"]*)"/gi)) {
    for (const part of decodeEntities(m[1]).split(",")) refs.push(part.trim().split(/\s+/)[0]);
  }
  return refs;
}

const STATE = /<script type="application\/json" id="__FRSH_STATE">([\s\S]*?)<\/script>/;

/** `url()` values in CSS. */
function cssRefs(css: string): string[] {
  return [...css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)].map((m) => m[2]);
}

/** Static and dynamic import specifiers in a JavaScript module (relative or absolute paths). */
function jsRefs(js: string): string[] {
  const refs: string[] = [];
  for (const m of js.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']((?:\.\.?\/|\/)[^"']+)["']/g)) {
    refs.push(m[1]);
  }
  return refs;
}

/** The tfjs WASM binaries a `wasmPaths` folder must hold. */
export const TFJS_WASM_FILES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"];

/**
 * Crawls from `start` (URLs under `root`), following every same-origin reference. A reference is
 * broken when it answers other than 200 (after redirects), or when it leaves `root` (a URL that
 * forgot the base path). A folder URL (ending in `/`) in island state is a WASM folder: it must
 * hold tfjs's binaries.
 */
export async function crawl(root: string, start: string[]): Promise<CrawlResult> {
  const origin = new URL(root).origin;
  const visited = new Set<string>();
  const broken: Broken[] = [];
  const queue: { url: string; from: string }[] = start.map((url) => ({ url, from: "(start)" }));
  while (queue.length > 0) {
    const { url: raw, from } = queue.shift()!;
    const url = raw.replace(/[?#].*$/, "");
    if (visited.has(url)) continue;
    visited.add(url);
    if (!url.startsWith(root)) {
      broken.push({ url, from, reason: "outside the base path" });
      continue;
    }
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      broken.push({ url, from, reason: String(e) });
      continue;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      broken.push({ url, from, reason: `status ${res.status}` });
      continue;
    }
    const final = res.url.replace(/[?#].*$/, "");
    if (!final.startsWith(root)) broken.push({ url, from, reason: `redirected to ${final}` });
    const type = res.headers.get("content-type") ?? "";
    const follow = (refs: string[], isState = false) => {
      for (const ref of refs) {
        if (ref === "" || /^(data|blob|mailto|javascript):/i.test(ref) || ref.startsWith("#")) {
          continue;
        }
        const target = new URL(ref, final);
        if (target.origin !== origin) continue; // an external link
        const href = target.href.replace(/[?#].*$/, "");
        if (isState && href.endsWith("/")) {
          for (const f of TFJS_WASM_FILES) queue.push({ url: href + f, from: final });
        } else queue.push({ url: href, from: final });
      }
    };
    if (type.startsWith("text/html")) {
      const html = await res.text();
      follow(htmlRefs(html));
      // The island state: module URLs and URL-like props (workerUrl; wasmPaths, a folder).
      // Only strings that name a file (`.js`, `.json`...) or a folder (ending in `/`): a prop
      // such as a bare base path is not something the page loads.
      const state = STATE.exec(html)?.[1] ?? "";
      const urls = [...state.matchAll(/"((?:\/|\.\.?\/)[^"\s]*)"/g)].map((m) => m[1]);
      follow(urls.filter((u) => u.endsWith("/") || /\.[A-Za-z0-9]+$/.test(u)), true);
    } else if (type.startsWith("text/css")) follow(cssRefs(await res.text()));
    else if (type.startsWith("text/javascript")) follow(jsRefs(await res.text()));
    else await res.body?.cancel();
  }
  return { visited: [...visited], broken };
}
