/**
 * Used by `deno task start`: builds the site unless `_build/` already holds a build for the site
 * config's base path (`manifest.json`, `book.json`, `site.json`), so the first `start` on a fresh
 * clone works without a separate build step and a changed `BASE_PATH` rebuilds.
 *
 * @module
 */
import { siteConfig } from "../lib/site/config.ts";
import { buildDir } from "../lib/site/paths.ts";

async function builtFor(): Promise<string | undefined> {
  try {
    await Deno.stat(`${buildDir()}/manifest.json`);
    await Deno.stat(`${buildDir()}/book.json`);
    return JSON.parse(await Deno.readTextFile(`${buildDir()}/site.json`)).basePath;
  } catch {
    return undefined;
  }
}

const built = await builtFor();
if (built !== siteConfig().basePath) {
  console.log(
    built === undefined
      ? "No build found: building first (deno task build)..."
      : `The build is for base path "${built}": building again (deno task build)...`,
  );
  const { buildSite } = await import("./build.ts");
  const { ms } = await buildSite();
  console.log(`Built in ${(ms / 1000).toFixed(1)} s`);
}
