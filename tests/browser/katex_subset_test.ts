/**
 * The subset KaTeX fonts the build ships draw the book's math exactly as KaTeX's whole fonts do.
 * Each page is drawn twice, once as served and once with each font request answered by KaTeX's
 * original file, with every `<details>` open (exercise solutions, check lists) and everything but
 * the math made invisible; the page is shot from top to bottom, and the shots must be identical
 * byte for byte. A glyph missing from a subset would fall back to another font, and a subset
 * without the letters FreeType hints Greek by draws β and α differently
 * (lib/site/autohint_chars.ts): either changes pixels. Islands are blocked, so that only the
 * server-rendered page is drawn. Needs a build (`_build`).
 *
 * Only the math is compared because the rest of the page is not drawn the same way every time:
 * headless Chromium's software rasteriser antialiases the search box's rounded corners
 * differently from one load to the next (12 pixels, whatever the fonts), which once failed this
 * test on a page whose first screen held no math at all.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";
import { RENDER_SKIPPED } from "./skipped_boxes.ts";

const originals = dirname(
  createRequire(import.meta.url).resolve("katex/dist/fonts/KaTeX_Main-Regular.woff2"),
);

/** Where a failing pair of shots is written, for a contributor to look at. */
const reportDir = new URL("../report/katex_subset/", import.meta.url);

interface Shot {
  path: string;
  width: number;
  height: number;
  scheme: "light" | "dark";
}

/** A page drawn top to bottom: one screenshot per viewport height, and the fonts requested. */
interface Drawn {
  screens: Buffer[];
  fonts: string[];
  height: number;
}

const ONLY_MATH = `
  ${RENDER_SKIPPED}
  body * { visibility: hidden !important; }
  .katex, .katex * { visibility: visible !important; }
`;

async function draw(browser: Browser, base: string, shot: Shot, whole: boolean): Promise<Drawn> {
  const context = await browser.newContext({
    viewport: { width: shot.width, height: shot.height },
    colorScheme: shot.scheme,
    deviceScaleFactor: 1,
  });
  try {
    const page = await context.newPage();
    await page.route("**/_frsh/**", (route) => route.abort());
    const fonts = new Set<string>();
    await page.route("**/vendor/katex/fonts/*.woff2", async (route) => {
      const name = new URL(route.request().url()).pathname.split("/").pop()!;
      fonts.add(name);
      if (!whole) return route.continue();
      await route.fulfill({
        body: Buffer.from(await Deno.readFile(join(originals, name))),
        contentType: "font/woff2",
        headers: { "access-control-allow-origin": "*" },
      });
    });
    await page.goto(base + shot.path, { waitUntil: "load" });
    await page.addStyleTag({ content: ONLY_MATH });
    const height = await page.evaluate(async () => {
      for (const d of document.querySelectorAll("details")) d.open = true;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      await document.fonts.ready;
      return document.documentElement.scrollHeight;
    });
    const failed = await page.evaluate(() =>
      [...document.fonts].filter((f) => f.status === "error").map((f) => f.family)
    );
    assert.deepEqual(failed, [], `${shot.path}: fonts that failed to load`);
    const screens: Buffer[] = [];
    for (let y = 0; y < height; y += shot.height) {
      await page.evaluate(async (y) => {
        scrollTo(0, y);
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        await document.fonts.ready;
      }, y);
      screens.push(await page.screenshot());
    }
    return { screens, fonts: [...fonts].sort(), height };
  } finally {
    await context.close();
  }
}

/** The box around the pixels where two same-sized PNGs differ, decoded by the browser. */
function differingBox(page: Page, a: Buffer, b: Buffer) {
  return page.evaluate(async ([a, b]) => {
    const pixels = async (base64: string) => {
      const image = new Image();
      image.src = "data:image/png;base64," + base64;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      return context.getImageData(0, 0, image.width, image.height);
    };
    const [p, q] = [await pixels(a), await pixels(b)];
    let count = 0, left = Infinity, top = Infinity, right = -1, bottom = -1;
    for (let y = 0; y < p.height; y++) {
      for (let x = 0; x < p.width; x++) {
        const k = 4 * (y * p.width + x);
        if (
          p.data[k] === q.data[k] && p.data[k + 1] === q.data[k + 1] &&
          p.data[k + 2] === q.data[k + 2]
        ) continue;
        count++;
        [left, top] = [Math.min(left, x), Math.min(top, y)];
        [right, bottom] = [Math.max(right, x), Math.max(bottom, y)];
      }
    }
    return { count, left, top, right, bottom };
  }, [a.toString("base64"), b.toString("base64")]);
}

Deno.test("the book's math draws the same with the shipped subset fonts as with KaTeX's whole fonts", async () => {
  const book = await getBook();
  const session = await startSession();
  try {
    const shots: Shot[] = [
      // every page at desktop width; the notation page is where a subset once drew β and α
      // differently
      ...book.chapters.map((c) => ({
        path: `/chapters/${c.slug}`,
        width: 1280,
        height: 2400,
        scheme: "light" as const,
      })),
      { path: "/chapters/reverse-step", width: 390, height: 2400, scheme: "dark" },
    ];
    const compare = await session.browser.newPage();
    let screens = 0;
    for (const shot of shots) {
      const where = `${shot.path} at ${shot.width} px, ${shot.scheme}`;
      const subset = await draw(session.browser, session.base, shot, false);
      const whole = await draw(session.browser, session.base, shot, true);
      assert.ok(subset.fonts.length > 0, `${where}: no KaTeX font was requested`);
      assert.deepEqual(subset.fonts, whole.fonts, `${where}: different fonts were requested`);
      assert.equal(subset.height, whole.height, `${where}: the page's height changed`);
      assert.equal(subset.screens.length, whole.screens.length);
      assert.ok(
        subset.screens.some((s) => s.length > 10_000),
        `${where}: no screen shows any math`,
      );
      for (const [i, shotOfSubset] of subset.screens.entries()) {
        screens++;
        if (shotOfSubset.equals(whole.screens[i])) continue;
        const box = await differingBox(compare, shotOfSubset, whole.screens[i]);
        await Deno.mkdir(reportDir, { recursive: true });
        const name = `${shot.path.split("/").pop()}-${shot.width}-${i}`;
        await Deno.writeFile(new URL(`${name}-subset.png`, reportDir), shotOfSubset);
        await Deno.writeFile(new URL(`${name}-whole.png`, reportDir), whole.screens[i]);
        const y = i * shot.height;
        assert.fail(
          `${where}: the subset fonts draw ${box.count} pixels differently, between ` +
            `(${box.left}, ${y + box.top}) and (${box.right}, ${y + box.bottom}) on the page; ` +
            `both shots are in tests/report/katex_subset/${name}-*.png`,
        );
      }
    }
    console.log(`${shots.length} pages, ${screens} screens of math drawn alike`);
  } finally {
    await session.close();
  }
});
