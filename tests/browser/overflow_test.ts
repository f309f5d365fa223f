/**
 * Display equations that fit: every chapter at 1280×800 and 390×844 counts the display formulas
 * that are cut (content wider than their box, so they scroll) or reach outside the viewport.
 * At desktop width none may be; on a phone a cut one must say that it scrolls: focusable, named,
 * with the fade at its edge (a background image), and no underbrace label clipped vertically.
 */
import assert from "node:assert/strict";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";

interface Cut {
  name: string;
  scrollWidth: number;
  clientWidth: number;
  outside: boolean;
  tabIndex: number;
  fade: boolean;
  clippedBelow: boolean;
}

Deno.test("Equations fit the column at 1280 px, and those that scroll on a phone say so", async () => {
  const book = await getBook();
  const session = await startSession();
  try {
    const counts: string[] = [];
    for (const [width, height] of [[1280, 800], [390, 844]]) {
      const context = await session.browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      for (const chapter of book.chapters) {
        await page.goto(`${session.base}/chapters/${chapter.slug}`, { waitUntil: "load" });
        const { total, cut } = await page.evaluate(() => {
          const vw = document.documentElement.clientWidth;
          const displays = [...document.querySelectorAll<HTMLElement>(".katex-display")];
          const cut: Cut[] = [];
          for (const el of displays) {
            el.scrollIntoView(); // content-visibility: auto lays out only what is near the view
            const rect = el.getBoundingClientRect();
            const outside = rect.left < -0.5 || rect.right > vw + 0.5;
            if (el.scrollWidth <= el.clientWidth + 1 && !outside) continue;
            const inner = el.querySelector(".katex-html")?.getBoundingClientRect();
            cut.push({
              name: el.getAttribute("aria-label") ?? "",
              scrollWidth: el.scrollWidth,
              clientWidth: el.clientWidth,
              outside,
              tabIndex: el.tabIndex,
              fade: getComputedStyle(el).backgroundImage.includes("gradient"),
              clippedBelow: inner ? inner.bottom > rect.bottom + 1 : false,
            });
          }
          return { total: displays.length, cut };
        });
        counts.push(`${width}px ${chapter.slug}: ${cut.length} of ${total} scroll`);
        for (const c of cut) {
          const where = `${chapter.slug} ${c.name} at ${width}px`;
          assert.ok(!c.outside, `${where} reaches outside the viewport`);
          assert.ok(c.name.startsWith("Equation"), `${where} has no accessible name`);
          assert.equal(c.tabIndex, 0, `${where} scrolls but cannot be focused`);
          assert.ok(c.fade, `${where} scrolls without a fade at its edge`);
          assert.ok(!c.clippedBelow, `${where} clips its lower part (an underbrace label?)`);
        }
        if (width >= 1280) {
          assert.deepEqual(
            cut.map((c) => `${c.name}: ${c.scrollWidth} px in ${c.clientWidth} px`),
            [],
            `display equations cut at ${width}px in ${chapter.slug}`,
          );
        }
      }
      await context.close();
    }
    console.log(counts.join("\n"));
  } finally {
    await session.close();
  }
});
