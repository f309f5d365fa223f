/**
 * The site's entry point: `deno task start` (after `deno task build`) and Deno Deploy run this.
 * It serves the pre-built islands and pre-rendered chapters from `_build/` under the site config's
 * base path; it bundles nothing, renders no Markdown and writes nothing at run time, and uses only
 * APIs Deno 2.5 has (`Deno.serve`, `Deno.readTextFile`, `Deno.env`). A missing build is an error
 * that says to run `deno task build`.
 *
 * @module
 */
import { createApp } from "./lib/fresh/mod.ts";
import { siteConfig } from "./lib/site/config.ts";
import { buildDir, ROOT } from "./lib/site/paths.ts";
import { getBook } from "./lib/site/book.ts";

/** The app, for tests and for `Deno.serve`. */
export async function createSite(opts: { dev?: boolean } = {}) {
  return await createApp({
    root: ROOT,
    buildDir: buildDir(),
    dev: opts.dev ?? false,
    basePath: siteConfig().basePath,
  });
}

if (import.meta.main) {
  await getBook(); // fail at start-up, not per request, when the build is missing or stale
  const app = await createSite();
  const port = Number(Deno.env.get("PORT") ?? 8000);
  Deno.serve({ port, hostname: Deno.env.get("HOST") ?? "0.0.0.0" }, app.handler());
}
