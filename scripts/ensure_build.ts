/**
 * Used by `deno task start`: builds the site unless `_build/manifest.json` is already there, so the
 * first `start` on a fresh clone works without a separate build step.
 *
 * @module
 */
import { buildDir } from "../lib/site/paths.ts";

try {
  await Deno.stat(`${buildDir()}/manifest.json`);
  await Deno.stat(`${buildDir()}/book.json`);
} catch {
  console.log("No build found: building first (deno task build)...");
  const { buildSite } = await import("./build.ts");
  const { ms } = await buildSite();
  console.log(`Built in ${(ms / 1000).toFixed(1)} s`);
}
