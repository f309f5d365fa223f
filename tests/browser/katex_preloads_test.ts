/**
 * The KaTeX fonts a chapter preloads (`lib/site/katex_preloads.ts`) are the ones its first frame
 * needs: at Lighthouse's phone viewport (412×823), loading a chapter, no KaTeX font is discovered
 * late by layout (a request the KaTeX stylesheet initiates) and every preloaded font is used by a
 * formula; at 1280×800 every preloaded font is used too.
 */
import assert from "node:assert/strict";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";

Deno.test("each chapter preloads exactly the KaTeX fonts its first frame lays out", async () => {
  const book = await getBook();
  const session = await startSession();
  try {
    for (const [width, height] of [[412, 823], [1280, 800]]) {
      const context = await session.browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      let late: string[] = [];
      cdp.on("Network.requestWillBeSent", (e) => {
        const initiator = e.initiator.url ?? "";
        if (e.request.url.endsWith(".woff2") && initiator.endsWith("katex.min.css")) {
          late.push(e.request.url.split("/").pop()!);
        }
      });
      for (const chapter of book.chapters) {
        late = [];
        await page.goto(`${session.base}/chapters/${chapter.slug}`, { waitUntil: "load" });
        const unused = await page.evaluate(async () => {
          // the first frames first: a font is requested when layout meets a glyph set in it, and
          // headless Chromium may draw its first frame only after the load event
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          await document.fonts.ready;
          const loaded = new Set(
            [...document.fonts].filter((f) => f.status === "loaded").map((f) =>
              `${f.family.replaceAll('"', "")}|${f.weight}|${f.style}`
            ),
          );
          const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel="preload"]')];
          return links.map((l) => l.href.split("/").pop()!).filter((file) => {
            const [, family, variant] = file.match(/^(KaTeX_\w+)-(\w+)\.woff2$/)!;
            const weight = variant.startsWith("Bold") ? "700" : "400";
            const style = variant.endsWith("Italic") ? "italic" : "normal";
            return !loaded.has(`${family}|${weight}|${style}`);
          });
        });
        const where = `${chapter.slug} at ${width}×${height}`;
        assert.deepEqual(unused, [], `${where}: preloaded fonts no formula on screen uses`);
        if (width < 600) {
          assert.deepEqual(late, [], `${where}: fonts the first layout discovered late`);
        }
      }
      await context.close();
    }
  } finally {
    await session.close();
  }
});
