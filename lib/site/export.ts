/**
 * The static export: every page the site links to, rendered once through the app itself, written
 * as files that any static host serves (`/chapters/x` -> `chapters/x/index.html`, the 404 page ->
 * `404.html`), next to copies of `static/` and the build's assets (islands, worker bundles, KaTeX's
 * CSS and fonts, tfjs's WASM files). The pages carry the site config's base path, so the folder's
 * contents go at that path on the host.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { createApp } from "../fresh/mod.ts";
import { EXPORT_ORIGIN, siteConfig } from "./config.ts";
import { ROOT } from "./paths.ts";

/** What an export wrote. */
export interface ExportResult {
  /** Site paths (without the base path) rendered by the app, in crawl order. */
  pages: string[];
  /** Files copied as they are (static/ and the build's static/). */
  copied: number;
}

/** Paths rendered even when no page links to them (a 404 answer skips them quietly). */
export const EXPORT_SEEDS: readonly string[] = Object.freeze([
  "/",
  "/robots.txt",
  "/sitemap.xml",
  "/equations.json",
]);

async function copyTree(from: string, to: string): Promise<number> {
  let n = 0;
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(from));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  }
  for (const e of entries) {
    if (e.name.startsWith(".")) continue; // never published, as the server never serves them
    if (e.isDirectory) n += await copyTree(join(from, e.name), join(to, e.name));
    else if (e.isFile) {
      await Deno.mkdir(to, { recursive: true });
      await Deno.copyFile(join(from, e.name), join(to, e.name));
      n++;
    }
  }
  return n;
}

const decodeEntities = (s: string) =>
  s.replace(
    /&(amp|quot|lt|gt|#39);/g,
    (_, e) => ({ amp: "&", quot: '"', lt: "<", gt: ">", "#39": "'" })[e as string]!,
  );

/**
 * Internal page links of an HTML page: `href`/`src`/`action` values under the base path, as site paths
 * (base path, query and hash removed).
 *
 * @example
 * ```ts
 * import { internalLinks } from "./export.ts";
 * const got = internalLinks('<a href="/b/x#y">x</a><a href="https://e.org/">e</a>', "/b");
 * if (got.join() !== "/x") throw new Error(got.join());
 * ```
 */
export function internalLinks(html: string, basePath: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/\s(?:href|src|action)\s*=\s*"([^"]*)"/gi)) {
    const raw = decodeEntities(m[1]).replace(/[?#].*$/, "");
    if (!raw.startsWith(`${basePath}/`) || raw.startsWith("//")) continue;
    out.add(raw.slice(basePath.length));
  }
  return [...out];
}

/** Where a site path's file goes: pages become `index.html` in a folder named after the path. */
function fileFor(path: string, html: boolean): string {
  const rel = decodeURIComponent(path).replace(/^\/+/, "");
  if (rel === "" || rel.endsWith("/")) return `${rel}index.html`;
  return html ? `${rel}/index.html` : rel;
}

const redirectPage = (to: string) => {
  const href = to.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="refresh" content="0; url=${href}"><link rel="canonical" href="${href}">` +
    `<title>Moved</title></head><body><p>This page moved to <a href="${href}">${href}</a>.</p>` +
    `</body></html>`;
};

/**
 * Writes the static site into `outDir` (emptied first).
 *
 * @param opts `buildDir`: a finished build (`manifest.json`, `book.json`, `static/`); `outDir`.
 * @returns The pages rendered and the number of files copied.
 * @throws Error when a page links to a site path that answers neither a file nor a page
 *   (a broken internal link fails the export), or a page fails to render.
 */
export async function exportStaticSite(
  opts: { buildDir: string; outDir: string },
): Promise<ExportResult> {
  const { basePath } = siteConfig();
  const { outDir } = opts;
  await Deno.remove(outDir, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  await Deno.mkdir(outDir, { recursive: true });
  const copied = await copyTree(join(ROOT, "static"), outDir) +
    await copyTree(join(opts.buildDir, "static"), outDir);

  const app = await createApp({ root: ROOT, buildDir: opts.buildDir, basePath });
  const handle = app.handler();
  const get = (path: string) => handle(new Request(`${EXPORT_ORIGIN}${basePath}${path}`));
  const exists = (path: string) =>
    Deno.stat(join(outDir, fileFor(path, false))).then((s) => s.isFile, () => false);

  const pages: string[] = [];
  const seen = new Set<string>();
  const queue: { path: string; from?: string }[] = EXPORT_SEEDS.map((path) => ({ path }));
  while (queue.length > 0) {
    const { path, from } = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    if (await exists(path)) continue; // a static file, already copied
    const res = await get(path);
    if (res.status === 404 && from === undefined) { // an optional seed (sitemap without siteUrl)
      await res.body?.cancel();
      continue;
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const to = res.headers.get("location") ?? `${basePath}/`;
      await write(fileFor(path, true), redirectPage(to));
      pages.push(path);
      if (to.startsWith(`${basePath}/`)) {
        queue.push({ path: to.slice(basePath.length), from: path });
      }
      continue;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(
        `Cannot export ${basePath}${path} as it answers ${res.status}` +
          (from === undefined ? "" : ` (linked from ${basePath}${from})`),
      );
    }
    const html = res.headers.get("content-type")?.startsWith("text/html") ?? false;
    const bytes = new Uint8Array(await res.arrayBuffer());
    await write(fileFor(path, html), bytes);
    pages.push(path);
    if (html) {
      for (const link of internalLinks(new TextDecoder().decode(bytes), basePath)) {
        if (!seen.has(link)) queue.push({ path: link, from: path });
      }
    }
  }
  const missing = await get("/404.html");
  if (missing.status !== 404) throw new Error(`Cannot export the 404 page: got ${missing.status}`);
  await write("404.html", new Uint8Array(await missing.arrayBuffer()));
  return { pages, copied };

  async function write(rel: string, data: string | Uint8Array) {
    const target = join(outDir, rel);
    await Deno.mkdir(dirname(target), { recursive: true });
    if (typeof data === "string") await Deno.writeTextFile(target, data);
    else await Deno.writeFile(target, data);
  }
}
