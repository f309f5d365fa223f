/**
 * ReverseTrajectories in a real browser: the reader trains the shared model (both chapter 2
 * sampling demos follow it), then re-runs DDPM and DDIM from the same x_T. DDIM with eta = 0 must
 * land on exactly the same samples ("moved 0"); DDPM, and DDIM with eta = 1, must not.
 * Run `deno task build` first (or set BUILD_DIR), then
 * `deno test -A tests/browser/reverse_trajectories_test.ts`.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession, waitHydrated } from "./harness.ts";

const ISLAND = "figure[data-demo=ReverseTrajectories] .trajectories";
const OTHER = "figure[data-demo=MultiplyDistributions] .trajectories";
/**
 * The property holds for any model, so the test trains a short run (`?trainsteps=`): 300 steps take
 * a few seconds alone on WASM, but minutes when several test suites share the two cores.
 */
const TRAIN_STEPS = 300;
const TRAIN_TIMEOUT_MS = 480_000;
const DRAW_TIMEOUT_MS = 120_000;

async function chapterPath(): Promise<string> {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === "ReverseTrajectories")
  );
  assert.ok(chapter, "No chapter embeds ReverseTrajectories");
  return `/chapters/${chapter.slug}?trainsteps=${TRAIN_STEPS}`;
}

async function text(page: Page, testid: string): Promise<string> {
  return (await page.locator(`${ISLAND} [data-testid=${testid}]`).first().textContent()) ?? "";
}

async function draws(page: Page): Promise<number> {
  return Number(await page.locator(ISLAND).getAttribute("data-draws"));
}

/** Runs `action`, then waits until the island has drawn once more. */
async function afterDraw(page: Page, action: () => Promise<void>): Promise<void> {
  const before = await draws(page);
  await action();
  await page.waitForFunction(
    ([sel, n]) => Number(document.querySelector(sel as string)?.getAttribute("data-draws")) > n,
    [ISLAND, before] as const,
    { timeout: DRAW_TIMEOUT_MS },
  );
  await page.locator(`${ISLAND}:not([data-busy])`).waitFor({ timeout: DRAW_TIMEOUT_MS });
}

Deno.test("ReverseTrajectories: DDIM (eta = 0) repeats itself from the same x_T, DDPM does not", async () => {
  const session = await startSession();
  try {
    const page = await session.open(await chapterPath());
    await waitHydrated(page, ISLAND, 20_000);
    await waitHydrated(page, OTHER, 20_000);
    assert.equal(await page.locator(`${ISLAND} [data-testid=rerun]`).isDisabled(), true);

    // Train from this island, by keyboard; the other demo shares the model and shows it too.
    const t0 = Date.now();
    await page.locator(`${ISLAND} [data-testid=train]`).focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      (sel) => Number(document.querySelector(`${sel} [data-testid=step]`)?.textContent) > 0,
      OTHER,
      { timeout: 60_000 },
    );
    await page.locator(`${ISLAND}[data-phase=ready]`).waitFor({ timeout: TRAIN_TIMEOUT_MS });
    const trainS = (Date.now() - t0) / 1000;
    await page.locator(`${OTHER}[data-phase=ready]`).waitFor({ timeout: 5_000 });
    assert.equal(await text(page, "step"), String(TRAIN_STEPS));
    console.log(`trained ${TRAIN_STEPS} steps in ${trainS.toFixed(1)} s (wall)`);

    // The first draw comes on its own once the model is ready.
    await page.waitForFunction(
      (sel) => Number(document.querySelector(sel)?.getAttribute("data-draws")) >= 1,
      ISLAND,
      {
        timeout: DRAW_TIMEOUT_MS,
      },
    );
    await page.locator(`${ISLAND}:not([data-busy])`).waitFor({ timeout: DRAW_TIMEOUT_MS });
    assert.equal(await text(page, "ddpm-moved"), "–", "nothing to compare with yet");
    const tensorsAtReady = await text(page, "tensors");

    // Same x_T, fresh step noise: DDPM moves, DDIM with eta = 0 lands on the same points.
    await afterDraw(page, () => page.locator(`${ISLAND} [data-testid=rerun]`).click());
    const ddpmMoved = Number(await text(page, "ddpm-moved"));
    assert.equal(await text(page, "ddim-moved"), "0", "DDIM eta = 0 is deterministic given x_T");
    assert.ok(ddpmMoved > 0.05, `DDPM's samples move between runs: ${ddpmMoved}`);

    // eta = 1 by keyboard (End on the slider), then re-run: now DDIM moves too.
    await afterDraw(page, async () => {
      await page.locator(`${ISLAND} [data-testid=eta]`).focus();
      await page.keyboard.press("End");
    });
    assert.equal(await text(page, "eta-value"), "1.0");
    assert.equal(await text(page, "ddpm-moved"), "0", "changing eta leaves DDPM's run as it was");
    await afterDraw(page, () => page.locator(`${ISLAND} [data-testid=rerun]`).click());
    const ddimMoved = Number(await text(page, "ddim-moved"));
    assert.ok(ddimMoved > 0.05, `DDIM with eta = 1 adds noise: moved ${ddimMoved}`);

    // A new x_T has nothing to compare with; the worker holds as many tensors as at the start.
    await afterDraw(page, () => page.locator(`${ISLAND} [data-testid=new-noise]`).click());
    assert.equal(await text(page, "ddim-moved"), "–");
    assert.equal(await text(page, "tensors"), tensorsAtReady, "sampling leaks no tensors");

    // Something was drawn: the canvases are not blank.
    const inked = await page.locator(`${ISLAND} canvas`).first().evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    assert.ok(inked > 1000, `the DDPM panel shows samples: ${inked} painted pixels`);

    // Phone width: the two panels stack and fit.
    await page.setViewportSize({ width: 375, height: 800 });
    const widths = await page.locator(`${ISLAND} canvas`).evaluateAll((cs) =>
      cs.map((c) => c.getBoundingClientRect().width)
    );
    assert.ok(widths.every((w) => w > 200 && w <= 375), `canvas widths ${widths}`);
    // The model's MMD² (scored after "ready", between the draws) is shown as a number.
    await page.waitForFunction(
      (sel) =>
        Number.isFinite(
          parseFloat(document.querySelector(`${sel} [data-testid=mmd2]`)?.textContent ?? ""),
        ),
      ISLAND,
      { timeout: DRAW_TIMEOUT_MS },
    );
    console.log(`MMD² after ${TRAIN_STEPS} steps: ${await text(page, "mmd2")}`);
    assert.deepEqual(session.errors, [], "no console errors");
  } finally {
    await session.close();
  }
});
