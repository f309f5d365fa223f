/**
 * Time to quality: press Train on the TrainAndSample demo in headless Chromium (the page picks
 * the backend, in its worker) and wait until the demo's own MMD^2 readout falls below the
 * threshold the demo and its tests use (`MMD2_THRESHOLD`, docs/quality.md), for each data set.
 *
 * Two ways to press Train: as a reader does (the demo scrolled into view, then
 * {@link READING_MS} of reading its caption before the click: the page may use that time to warm
 * the worker up), and cold (the click as soon as the demo has hydrated, nothing warmed yet).
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { getBook, shownChapters } from "../lib/site/book.ts";
import { MMD2_THRESHOLD } from "../lib/demo/config.ts";
import { serveLoggedSite } from "./site_server.ts";
import { formatNumber, median, meets, type Row } from "./table.ts";

/** The goal: seconds from pressing Train to the readout below the threshold (issue #22). */
export const SECONDS_GOAL = "<= 5";

/**
 * How long the bench's reader looks at the demo before pressing Train: a few seconds to read the
 * caption and the button's label (a reader who has just scrolled to a demo rarely clicks sooner).
 */
export const READING_MS = 3000;

/**
 * The measured peer, Diffusion Explorer (tfjs in a worker, its default network, its swiss roll):
 * the best MMD^2 it reached, and when (it never got below 2e-3).
 */
export const PEER = { name: "Diffusion Explorer", bestMmd2: 0.0031, seconds: 165 } as const;

/**
 * The bench table's rows for time-to-quality results: per data set, the median of its runs (each
 * run listed) of seconds, steps and steps/s to the threshold and of the MMD^2 at the end of the
 * budget; the same for Train pressed cold (seconds only); then the peer's figure.
 *
 * @param results Runs of {@link measureTimeToQuality}, several per data set.
 * @returns The rows.
 * @example
 * ```ts
 * import { qualityRows } from "./quality.ts";
 * const run = { dataset: "moons", seconds: 4, steps: 400, mmd2: 1e-3, stepsPerSecond: 200,
 *   finalMmd2: 5e-4, finalStep: 4000, backend: "wasm", threshold: 2e-3, readingMs: 3000,
 *   warmBeforeTrain: true };
 * const rows = qualityRows([run, { ...run, seconds: 6 }, { ...run, seconds: NaN }]);
 * if (rows[0].value !== 6 || rows[0].ok !== false) throw new Error("median 6 s misses 5 s");
 * const cold = qualityRows([{ ...run, readingMs: 0, seconds: 5.5 }]);
 * if (cold[0].value !== 5.5 || cold[0].goal !== undefined) throw new Error("cold: no goal");
 * ```
 */
export function qualityRows(results: readonly QualityResult[]): Row[] {
  const rows: Row[] = [];
  const each = (values: number[], digits: number) =>
    values.map((v) => Number.isNaN(v) ? "not reached" : v.toFixed(digits)).join(", ");
  // A run that never got there counts as the slowest.
  const slowest = (v: number) => Number.isNaN(v) ? Infinity : v;
  const groups = [...new Set(results.map((r) => `${r.dataset}\u0000${r.readingMs}`))];
  for (const group of groups) {
    const runs = results.filter((r) => `${r.dataset}\u0000${r.readingMs}` === group);
    const { dataset, readingMs } = runs[0];
    const n = runs.length === 1 ? "1 run" : `median of ${runs.length} runs`;
    const seconds = median(runs.map((r) => slowest(r.seconds)));
    const reached = Number.isFinite(seconds);
    const threshold = runs[0].threshold;
    const warmed = runs.filter((r) => r.warmBeforeTrain).length;
    // The goal is the reader's: Train pressed after reading; the cold figure stands beside it.
    const cold = readingMs === 0;
    const label = cold ? `${dataset}, Train at hydration (cold)` : dataset;
    rows.push({
      section: "quality",
      name: `${label}: s to MMD² < ${threshold}`,
      value: reached
        ? seconds
        : `not reached (MMD² ${formatNumber(median(runs.map((r) => r.mmd2)))})`,
      unit: "s",
      ...(cold ? {} : { goal: SECONDS_GOAL, ok: reached && meets(seconds, SECONDS_GOAL) === true }),
      note: `${runs[0].backend}; ${
        cold ? "Train pressed once hydrated" : `Train pressed after ${readingMs / 1000} s in view`
      }; backend warm at the click in ${warmed} of ${runs.length}; ${n}; runs: ${
        each(runs.map((r) => r.seconds), 1)
      } s`,
    });
    if (cold) continue; // steps and steps/s do not depend on when Train was pressed
    rows.push({
      section: "quality",
      name: `${dataset}: steps to MMD² < ${threshold}`,
      value: median(runs.map((r) => slowest(r.steps))),
      unit: "steps",
      note: `the readout's step; runs: ${each(runs.map((r) => r.steps), 0)}`,
    }, {
      section: "quality",
      name: `${dataset}: steps/s while training`,
      value: median(runs.map((r) => Number.isNaN(r.stepsPerSecond) ? 0 : r.stepsPerSecond)),
      unit: "steps/s",
      note: `as the demo shows it; runs: ${each(runs.map((r) => r.stepsPerSecond), 0)}`,
    });
    const finals = runs.filter((r) => Number.isFinite(r.finalMmd2));
    if (finals.length > 0) {
      rows.push({
        section: "quality",
        name: `${dataset}: MMD² at the end of the budget`,
        value: median(finals.map((r) => r.finalMmd2)),
        unit: "",
        note: `step ${finals[0].finalStep}; runs: ${
          finals.map((r) => formatNumber(r.finalMmd2)).join(", ")
        }`,
      });
    }
  }
  rows.push({
    section: "quality",
    name: `peer: ${PEER.name} (swiss roll)`,
    value: PEER.bestMmd2,
    unit: "",
    note: `its best MMD² after ${PEER.seconds} s; it never gets below 2e-3 (measured once)`,
  });
  return rows;
}

/** The Train demo's latest scored MMD^2 and its step (NaN: none yet). */
interface Score {
  mmd2: number;
  step: number;
}

/**
 * Reads the MMD^2 readout's raw number and step from its data attributes (its text prints U+2212,
 * and an MMD^2 estimate may be slightly negative).
 */
async function readScore(page: Page): Promise<Score> {
  const readout = page.locator(".train-sample [data-testid=mmd2]");
  const read = async (name: string) => Number(await readout.getAttribute(name) || NaN);
  return { mmd2: await read("data-value"), step: await read("data-step") };
}

/** One data set's result. */
export interface QualityResult {
  dataset: string;
  /** Seconds from the click on Train to the readout below the threshold (NaN: not reached). */
  seconds: number;
  /** The step of the scored sample below the threshold (the readout's "at step"). */
  steps: number;
  mmd2: number;
  /** Training steps per second as the demo showed them at that moment. */
  stepsPerSecond: number;
  /** The MMD^2 the readout shows once the run reaches its step budget (NaN: not measured). */
  finalMmd2: number;
  /** The step budget's last step, as the readout shows it (NaN: not measured). */
  finalStep: number;
  backend: string;
  threshold: number;
  /** Milliseconds the demo was in view before the click (0: clicked as soon as it hydrated). */
  readingMs: number;
  /** Whether the page had started the worker's backend before the click (its readout showed). */
  warmBeforeTrain: boolean;
}

/**
 * Trains each data set until MMD^2 < threshold or the run stops or `timeoutS` passes, then (with
 * `toBudget`) on to the end of its step budget, where it reads the final MMD^2.
 *
 * @param browser Chromium.
 * @param datasets The demo's data set names (swissroll, moons, ring).
 * @param timeoutS Give up after this many seconds per data set (and as long again for the rest
 *   of the budget).
 * @param toBudget Train on to the budget and read the final MMD^2 (default: yes).
 * @param readingMs How long the demo stays in view before the click ({@link READING_MS}; 0:
 *   cold, the click as soon as it has hydrated).
 * @returns One result per data set.
 */
export async function measureTimeToQuality(
  browser: Browser,
  datasets: readonly string[],
  timeoutS: number,
  toBudget = true,
  readingMs = READING_MS,
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
        if (readingMs > 0) await page.waitForTimeout(readingMs);
        const warmBeforeTrain =
          await page.locator(".train-sample [data-testid=backend]").count() > 0;
        const t0 = Date.now();
        await page.locator(".train-sample [data-testid=train]").click();
        const handle = await page.waitForFunction(
          (threshold) => {
            const el = document.querySelector(".train-sample");
            // The raw number (the text prints U+2212 and may be negative: MMD^2 is an estimate).
            const readout = el?.querySelector("[data-testid=mmd2]");
            const [mmd2, step] = ["data-value", "data-step"].map((name) =>
              Number(readout?.getAttribute(name) || NaN)
            );
            const status = el?.getAttribute("data-status") ?? "";
            if (mmd2 < threshold) return { ok: true, mmd2, step };
            if (["done", "diverged", "error", "paused"].includes(status)) {
              return { ok: false, mmd2, step };
            }
            return null;
          },
          MMD2_THRESHOLD,
          { timeout: timeoutS * 1000, polling: 200 },
        ).catch(() => null);
        const seconds = (Date.now() - t0) / 1000;
        const result = handle ? await handle.jsonValue() as Score & { ok: boolean } : null;
        const score = await readScore(page);
        const backend = (await page.locator(".train-sample [data-testid=backend]").textContent() ??
          "").split(" — ")[0].trim();
        const stepsPerSecond = Number(
          await page.locator(".train-sample [data-testid=steps-per-second]").textContent(),
        );
        let finalMmd2 = NaN, finalStep = NaN;
        if (toBudget && result?.ok) {
          const done = await page.locator(".train-sample[data-status=done]")
            .waitFor({ timeout: timeoutS * 1000 }).then(() => true, () => false);
          if (done) {
            // The final, scored sample follows the last step; wait for its readout.
            finalStep = Number(
              await page.locator(".train-sample [data-testid=step]").textContent(),
            );
            await page.waitForFunction(
              (step) =>
                document.querySelector(".train-sample [data-testid=mmd2]")
                  ?.getAttribute("data-step") === String(step),
              finalStep,
              { timeout: 30_000, polling: 200 },
            ).catch(() => {});
            finalMmd2 = (await readScore(page)).mmd2;
          }
        }
        out.push({
          dataset,
          seconds: result?.ok ? seconds : NaN,
          steps: result?.step ?? score.step,
          mmd2: result?.mmd2 ?? score.mmd2,
          stepsPerSecond,
          finalMmd2,
          finalStep,
          backend,
          threshold: MMD2_THRESHOLD,
          readingMs,
          warmBeforeTrain,
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
