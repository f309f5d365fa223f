/**
 * Page cost per chapter: HTML bytes, JavaScript fetched before any interaction (gzip: the goal
 * figure; islands hydrate when they come near the viewport, so this is what the first screen
 * needs), JavaScript after scrolling the whole page (gzip: every island hydrated, charts drawn, so
 * the full cost is reported too), what starting the training demo adds (the worker bundle and
 * tfjs's WASM), and the server's time to first byte for a chapter it has already served.
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { getBook, shownChapters } from "../lib/site/book.ts";
import { type LoggedSite, type Served, serveLoggedSite } from "./site_server.ts";
import { median } from "./table.ts";

/** One chapter's cost. */
export interface PageCost {
  slug: string;
  islands: string[];
  htmlBytes: number;
  htmlGzipBytes: number;
  /** JavaScript the page fetched up to `load` plus one second, gzip, without scrolling. */
  initialJsGzipBytes: number;
  initialJsFiles: number;
  /** Those files: path and gzip bytes, in the order they were served. */
  initialJs: { path: string; gzipBytes: number }[];
  /** JavaScript fetched from the start up to one second after scrolling to the bottom, gzip. */
  scrolledJsGzipBytes: number;
  scrolledJsFiles: number;
  /** After pressing Train on a TrainAndSample island: everything fetched since, raw and gzip. */
  demoBytes?: number;
  demoGzipBytes?: number;
  /** Median milliseconds to the response headers for the (already served) chapter. */
  ttfbMs: number;
}

const isJs = (s: Served) => s.contentType.includes("javascript") || s.path.endsWith(".js");
const gzipOf = (served: Served[]) => served.reduce((n, s) => n + s.gzipBytes, 0);

/** Scrolls to the bottom half a viewport at a time, as a reader skimming would, then waits 1 s. */
async function scrollWholePage(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
      scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    scrollTo(0, document.documentElement.scrollHeight);
  });
  await page.waitForTimeout(1000);
}

async function ttfb(base: string, path: string, runs: number): Promise<number> {
  await (await fetch(base + path)).arrayBuffer(); // the cached copy now exists
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = await fetch(base + path);
    times.push(performance.now() - t0);
    await res.arrayBuffer();
  }
  return median(times);
}

/**
 * Measures every shown chapter.
 *
 * @param browser Chromium (pages are opened and closed here).
 * @param ttfbRuns Requests per chapter for the time to first byte.
 * @returns One cost per chapter.
 */
export async function measurePageCost(browser: Browser, ttfbRuns = 30): Promise<PageCost[]> {
  const site: LoggedSite = await serveLoggedSite();
  const out: PageCost[] = [];
  try {
    for (const chapter of shownChapters(await getBook())) {
      const path = `/chapters/${chapter.slug}`;
      const islands = [
        ...new Set(chapter.parts.flatMap((p) => p.kind === "island" ? [p.name] : [])),
      ];
      const page = await browser.newPage();
      try {
        site.clear();
        await page.goto(site.base + path, { waitUntil: "load" });
        await page.waitForTimeout(1000); // hydration imports after load
        const html = site.log.find((s) => s.path === path);
        const js = site.log.filter(isJs);
        await scrollWholePage(page);
        const scrolled = site.log.filter(isJs); // since the page was opened
        const cost: PageCost = {
          slug: chapter.slug,
          islands,
          htmlBytes: html?.bytes ?? NaN,
          htmlGzipBytes: html?.gzipBytes ?? NaN,
          initialJsGzipBytes: gzipOf(js),
          initialJsFiles: js.length,
          initialJs: js.map((s) => ({ path: s.path, gzipBytes: s.gzipBytes })),
          scrolledJsGzipBytes: gzipOf(scrolled),
          scrolledJsFiles: scrolled.length,
          ttfbMs: NaN,
        };
        if (islands.includes("TrainAndSample")) {
          const island = page.locator(".train-sample").first();
          await island.scrollIntoViewIfNeeded();
          await page.locator(".train-sample[data-hydrated=true]").waitFor({ timeout: 30_000 });
          site.clear();
          await page.locator(".train-sample [data-testid=train]").click();
          await page.waitForFunction(
            () =>
              Number(document.querySelector(".train-sample [data-testid=step]")?.textContent) > 0,
            undefined,
            { timeout: 120_000 },
          );
          cost.demoBytes = site.log.reduce((n, s) => n + s.bytes, 0);
          cost.demoGzipBytes = site.log.reduce((n, s) => n + s.gzipBytes, 0);
        }
        site.logging = false;
        cost.ttfbMs = await ttfb(site.base, path, ttfbRuns);
        site.logging = true;
        out.push(cost);
      } finally {
        await page.close();
      }
    }
  } finally {
    await site.close();
  }
  return out;
}
