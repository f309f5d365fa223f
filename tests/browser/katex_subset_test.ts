/**
 * The subset KaTeX fonts the build ships draw pages exactly as KaTeX's whole fonts do: the same
 * first screen is shot twice, once as served and once with each font request answered by KaTeX's
 * original file, and the screenshots must be identical byte for byte (islands blocked, so that
 * only the server-rendered page is drawn). A glyph missing from a subset would fall back to another
 * font, and a subset without the letters FreeType hints Greek by draws β and α differently
 * (lib/site/autohint_chars.ts): either changes pixels. Needs a build (`_build`).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Browser } from "playwright-core";
import { startSession } from "./harness.ts";

const originals = dirname(
  createRequire(import.meta.url).resolve("katex/dist/fonts/KaTeX_Main-Regular.woff2"),
);

interface Shot {
  path: string;
  width: number;
  height: number;
  scheme: "light" | "dark";
}

async function screenshot(browser: Browser, base: string, shot: Shot, whole: boolean) {
  const context = await browser.newContext({
    viewport: { width: shot.width, height: shot.height },
    colorScheme: shot.scheme,
    deviceScaleFactor: 1,
  });
  try {
    const page = await context.newPage();
    await page.route("**/_frsh/**", (route) => route.abort());
    const served: string[] = [];
    await page.route("**/vendor/katex/fonts/*.woff2", async (route) => {
      const name = new URL(route.request().url()).pathname.split("/").pop()!;
      served.push(name);
      if (!whole) return route.continue();
      await route.fulfill({
        body: Buffer.from(await Deno.readFile(join(originals, name))),
        contentType: "font/woff2",
        headers: { "access-control-allow-origin": "*" },
      });
    });
    await page.goto(base + shot.path, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready);
    const failed = await page.evaluate(() =>
      [...document.fonts].filter((f) => f.status === "error").map((f) => f.family)
    );
    assert.deepEqual(failed, [], `${shot.path}: fonts that failed to load`);
    assert.ok(served.length > 0, `${shot.path}: no KaTeX font was requested`);
    return await page.screenshot();
  } finally {
    await context.close();
  }
}

Deno.test("pages draw the same with the shipped subset fonts as with KaTeX's whole fonts", async () => {
  const session = await startSession();
  try {
    const shots: Shot[] = [
      // the notation page's first screen is where a subset once drew β and α differently
      { path: "/chapters/notation", width: 1280, height: 800, scheme: "light" },
      { path: "/chapters/reverse-step", width: 1280, height: 800, scheme: "light" },
      { path: "/chapters/reverse-step", width: 390, height: 844, scheme: "dark" },
    ];
    for (const shot of shots) {
      const subset = await screenshot(session.browser, session.base, shot, false);
      const whole = await screenshot(session.browser, session.base, shot, true);
      const where = `${shot.path} at ${shot.width} px, ${shot.scheme}`;
      assert.ok(subset.length > 10_000, `${where}: a blank screenshot`);
      assert.ok(subset.equals(whole), `${where}: the subset fonts draw differently`);
    }
  } finally {
    await session.close();
  }
});
