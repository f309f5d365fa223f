/**
 * Time to quality: press Train on the TrainAndSample demo in headless Chromium (the page picks
 * the backend, in its worker) and wait until the demo's own MMD^2 readout falls below the
 * threshold the demo and its tests use (`MMD2_THRESHOLD`, QUALITY.md), for each data set.
 *
 * @module
 */
import type { Browser } from "playwright-core";
import { getBook, shownChapters } from "../lib/site/book.ts";
import { MMD2_THRESHOLD } from "../lib/demo/config.ts";
import { serveLoggedSite } from "./site_server.ts";

/** One data set's result. */
export interface QualityResult {
  dataset: string;
  /** Seconds from the click on Train to the readout below the threshold (NaN: not reached). */
  seconds: number;
  /** The step of the scored sample below the threshold (the readout's "at step"). */
  steps: number;
  mmd2: number;
  backend: string;
  threshold: number;
}

/**
 * Trains each data set until MMD^2 < threshold or the run stops or `timeoutS` passes.
 *
 * @param browser Chromium.
 * @param datasets The demo's data set names (swissroll, moons, ring).
 * @param timeoutS Give up after this many seconds per data set.
 * @returns One result per data set.
 */
export async function measureTimeToQuality(
  browser: Browser,
  datasets: readonly string[],
  timeoutS: number,
): Promise<QualityResult[]> {
  const chapter = shownChapters(await getBook()).find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === "TrainAndSample")
  );
  if (!chapter) {
    throw new Error("Cannot measure time to quality as no chapter embeds TrainAndSample");
  }
  const site = await serveLoggedSite();
  const out: QualityResult[] = [];
  try {
    for (const dataset of datasets) {
      const page = await browser.newPage();
      try {
        await page.goto(`${site.base}/chapters/${chapter.slug}?dataset=${dataset}`);
        // Islands hydrate when they come near the viewport: bring the demo into view first.
        await page.locator(".train-sample").first().scrollIntoViewIfNeeded({ timeout: 30_000 });
        await page.locator(".train-sample[data-hydrated=true]").waitFor({ timeout: 30_000 });
        const t0 = Date.now();
        await page.locator(".train-sample [data-testid=train]").click();
        const handle = await page.waitForFunction(
          (threshold) => {
            const el = document.querySelector(".train-sample");
            const text = el?.querySelector("[data-testid=mmd2]")?.textContent ?? "";
            const m = text.match(/MMD² (-?[\d.e-]+)/);
            const status = el?.getAttribute("data-status") ?? "";
            if (m && Number(m[1]) < threshold) return { ok: true, mmd2: Number(m[1]) };
            if (["done", "diverged", "error", "paused"].includes(status)) {
              return { ok: false, mmd2: m ? Number(m[1]) : NaN };
            }
            return null;
          },
          MMD2_THRESHOLD,
          { timeout: timeoutS * 1000, polling: 200 },
        ).catch(() => null);
        const seconds = (Date.now() - t0) / 1000;
        const result = handle ? await handle.jsonValue() as { ok: boolean; mmd2: number } : null;
        const muted = await page.locator(".train-sample [data-testid=mmd2] + .ts-muted")
          .textContent() ?? "";
        const backend = (await page.locator(".train-sample [data-testid=backend]").textContent() ??
          "").split(" — ")[0].trim();
        out.push({
          dataset,
          seconds: result?.ok ? seconds : NaN,
          steps: Number(muted.match(/at step (\d+)/)?.[1] ?? NaN),
          mmd2: result?.mmd2 ??
            Number(
              (await page.locator(".train-sample [data-testid=mmd2]").textContent() ?? "")
                .match(/MMD² (-?[\d.e-]+)/)?.[1] ?? NaN,
            ),
          backend,
          threshold: MMD2_THRESHOLD,
        });
        await page.locator(".train-sample [data-testid=pause]").click().catch(() => {});
      } finally {
        await page.close();
      }
    }
  } finally {
    await site.close();
  }
  return out;
}
