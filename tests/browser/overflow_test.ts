/**
 * Display equations that fit: every chapter at 1280×800 and 390×844 counts the display formulas
 * that are cut (content wider than their box, so they scroll) or reach outside the viewport.
 * At desktop width none may be; on a phone a cut one must say that it scrolls: focusable, named,
 * with the fade at its edge (a background image), and no underbrace label clipped vertically.
 * Tables likewise: none is cut at desktop width, one that scrolls on a phone is focusable and
 * shaded at its edge, and each is named after the heading it stands under.
 *
 * And demo selects that fit: on every chapter with a demo, at both widths and with every island
 * hydrated, no `<select>` is narrower than any of its options needs (a chosen option would be cut
 * mid-word, as "Sohl-Dickstein (β = 1/40 …" was).
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";

const WIDTHS = [[1280, 800], [390, 844]] as const;

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
    for (const [width, height] of WIDTHS) {
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
        // tables: one that scrolls says so as an equation does, named after its heading
        const tables = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>(".table-scroll")].map((el) => {
            el.scrollIntoView();
            return {
              name: el.getAttribute("aria-label") ?? "",
              scrolls: el.scrollWidth > el.clientWidth + 1,
              tabIndex: el.tabIndex,
              fade: getComputedStyle(el).backgroundImage.includes("gradient"),
            };
          })
        );
        for (const t of tables) {
          const where = `${chapter.slug} table "${t.name}" at ${width}px`;
          assert.match(t.name, /^Table: \S/, `${where} is not named after its heading`);
          if (!t.scrolls) continue;
          assert.equal(t.tabIndex, 0, `${where} scrolls but cannot be focused`);
          assert.ok(t.fade, `${where} scrolls without a fade at its edge`);
          assert.ok(width < 1280, `${where} is cut at desktop width`);
        }
        counts.push(
          `${width}px ${chapter.slug}: ${tables.filter((t) => t.scrolls).length} of ` +
            `${tables.length} tables scroll`,
        );
      }
      await context.close();
    }
    console.log(counts.join("\n"));
  } finally {
    await session.close();
  }
});

/** Scrolls to each island of the page and waits until it has hydrated (islands hydrate lazily). */
async function hydrateAll(page: Page): Promise<void> {
  const islands = page.locator("frsh-island");
  for (let i = 0; i < await islands.count(); i++) {
    const island = islands.nth(i);
    await island.scrollIntoViewIfNeeded();
    // an island whose root says data-hydrated (nearly all) is waited for; others only scrolled to
    if (await island.locator("[data-hydrated]").count() > 0) {
      await island.locator("[data-hydrated=true]").first().waitFor({ timeout: 20_000 });
    }
  }
}

Deno.test("Demo selects are as wide as each of their options needs, at 1280 and 390 px", async () => {
  const book = await getBook();
  const withDemos = book.chapters.filter((c) => c.parts.some((p) => p.kind === "island"));
  assert.ok(withDemos.length > 0, "no chapter embeds a demo");
  const session = await startSession();
  const problems: string[] = [];
  let selects = 0;
  try {
    for (const [width, height] of WIDTHS) {
      const context = await session.browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      for (const chapter of withDemos) {
        await page.goto(`${session.base}/chapters/${chapter.slug}`, { waitUntil: "load" });
        await hydrateAll(page);
        const found = await page.evaluate(() => {
          // A select whose width is auto is as wide as its widest option needs: a copy of it with
          // one option, laid out by the browser beside it, says how wide that option needs.
          const cut: string[] = [];
          const all = [...document.querySelectorAll("main select")] as HTMLSelectElement[];
          for (const select of all) {
            const have = select.getBoundingClientRect().width;
            for (const option of select.options) {
              const copy = select.cloneNode(false) as HTMLSelectElement;
              copy.append(option.cloneNode(true));
              copy.style.cssText =
                "position:absolute;visibility:hidden;width:auto;min-width:0;max-width:none";
              select.parentElement!.append(copy);
              const need = copy.getBoundingClientRect().width;
              copy.remove();
              if (need > have + 0.5) {
                cut.push(
                  `"${option.text}" needs ${need.toFixed(0)} px, the select has ${have.toFixed(0)}`,
                );
              }
            }
          }
          return { count: all.length, cut };
        });
        selects += found.count;
        for (const c of found.cut) problems.push(`${chapter.slug} at ${width}px: ${c}`);
      }
      await context.close();
    }
  } finally {
    await session.close();
  }
  assert.ok(selects > 0, "no select was found: the walk over the demos found nothing to check");
  assert.deepEqual(problems, [], "selects that cut an option's text");
});
