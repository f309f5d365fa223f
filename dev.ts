/**
 * `deno task dev`: builds the islands at start-up, renders chapters on demand (no cache between
 * restarts), and serves with the live-reload client. `deno run --watch` restarts this process when
 * a source file changes, and open pages reload themselves.
 *
 * @module
 */
import { createApp } from "./lib/fresh/mod.ts";
import { buildDir, ROOT } from "./lib/site/paths.ts";
import { copyVendor } from "./scripts/build.ts";
import { BUNDLE_ENTRIES } from "./lib/site/assets.ts";
import { siteConfig } from "./lib/site/config.ts";
import { serveGuarded } from "./lib/fresh/guard.ts";
import { listenPlan } from "./main.ts";

Deno.env.set("DEV", "1");
const app = await createApp({
  root: ROOT,
  buildDir: buildDir(),
  dev: true,
  entries: { ...BUNDLE_ENTRIES },
  basePath: siteConfig().basePath,
});
await copyVendor(buildDir());
serveGuarded(app.handler(), {
  ...listenPlan(Deno.env.toObject()),
  onListen: (a) => console.log(`Listening on http://${a.hostname}:${a.port}/`),
});
