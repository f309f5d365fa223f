/**
 * A chapter's sections are cut into chunks (lib/book/sections.ts) so that the first frame lays
 * out only what is near the view; the cut must not move anything. Every chapter at 1280 and 390 px
 * is laid out twice with everything rendered: with the chunks' boxes, and with the chunks reduced
 * to `display: contents` (as if the blocks stood straight in their section). Every block must stand
 * at the same place with the same width: a chunk's margins do not collapse with its neighbours',
 * and a cut in the wrong place would open or close a gap there.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";
import { SKIPPED_BOXES } from "./skipped_boxes.ts";

/** Everything rendered, each box contained as `content-visibility: auto` contains it near the view. */
const RENDER_ALL =
  `${SKIPPED_BOXES} { content-visibility: visible !important; contain: layout style paint !important; }`;
const NO_CHUNKS = ".prose section.part > .chunk { display: contents !important; }";

/** Each block's tag, page top, left and width, in document order. */
function blocks(page: Page): Promise<[string, number, number, number][]> {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll(
        ".prose section.part :is(p, h2, h3, ul, ol, figure, details, table, .katex-display)",
      ),
    ].map((e) => {
      const r = e.getBoundingClientRect();
      return [e.tagName, r.top + scrollY, r.left, r.width] as [string, number, number, number];
    })
  );
}

Deno.test("cutting sections into chunks moves no block, on any chapter, at 1280 or 390 px", async () => {
  const book = await getBook();
  const session = await startSession();
  let chunks = 0;
  try {
    for (const [width, height] of [[1280, 800], [390, 844]]) {
      const context = await session.browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await page.route("**/_frsh/**", (route) => route.abort()); // islands' previews are enough
      for (const chapter of book.chapters) {
        const url = `${session.base}/chapters/${chapter.slug}`;
        const laidOut = async (extra: string) => {
          await page.goto(url, { waitUntil: "load" });
          await page.addStyleTag({ content: RENDER_ALL + extra });
          await page.evaluate(() => document.fonts.ready);
          return await blocks(page);
        };
        const chunked = await laidOut("");
        chunks += await page.locator(".prose section.part > .chunk").count();
        const whole = await laidOut(NO_CHUNKS);
        assert.equal(chunked.length, whole.length);
        for (const [i, [tag, top, left, w]] of chunked.entries()) {
          const [, top0, left0, w0] = whole[i];
          const moved = Math.max(Math.abs(top - top0), Math.abs(left - left0), Math.abs(w - w0));
          assert.ok(
            moved < 0.5,
            `${chapter.slug} at ${width} px: block ${i} (${tag}) is at (${left}, ${top}) ${w} px ` +
              `wide in its chunk, (${left0}, ${top0}) ${w0} px without chunks`,
          );
        }
      }
      await context.close();
    }
    assert.ok(chunks > 2 * book.chapters.length, `only ${chunks} chunks`);
  } finally {
    await session.close();
  }
});
