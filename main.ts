/**
 * The site's entry point: `deno task start` (after `deno task build`) and Deno Deploy run this.
 * It serves the pre-built islands and pre-rendered chapters from `_build/`; it bundles nothing and
 * writes nothing at run time.
 *
 * @module
 */
import { createApp } from "./lib/fresh/mod.ts";
import { buildDir, ROOT } from "./lib/site/paths.ts";

/** The app, for tests and for `Deno.serve`. */
export async function createSite(opts: { dev?: boolean } = {}) {
  return await createApp({ root: ROOT, buildDir: buildDir(), dev: opts.dev ?? false });
}

if (import.meta.main) {
  const app = await createSite();
  const port = Number(Deno.env.get("PORT") ?? 8000);
  Deno.serve({ port, hostname: Deno.env.get("HOST") ?? "0.0.0.0" }, app.handler());
}
