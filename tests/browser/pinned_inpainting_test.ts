/**
 * PinnedInpainting in a real browser (chapter 2): with a short-trained model the replacement
 * method answers, both 1-D MMD² readouts are numbers, a new observed value draws again, and Reset
 * brings the tensors back to the baseline with no console errors.
 * Run `deno task build` first (or set BUILD_DIR), then
 * `deno test -A tests/browser/pinned_inpainting_test.ts`.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { chapterOf, resetTensors, startSession, waitHydrated } from "./harness.ts";

const ISLAND = "figure[data-demo=PinnedInpainting] .pinned-inpainting";
const TRAIN_STEPS = 300;

async function drawn(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    ([sel, k]) => Number(document.querySelector(sel as string)?.getAttribute("data-draws")) >= k,
    [ISLAND, n] as const,
    { timeout: 120_000 },
  );
  await page.locator(`${ISLAND}:not([data-busy])`).waitFor({ timeout: 120_000 });
}

const value = (page: Page, testid: string) =>
  page.locator(`${ISLAND} [data-testid=${testid}]`).getAttribute("data-value").then(Number);

Deno.test("PinnedInpainting: the replacement method answers from a trained model; Reset frees every tensor", async () => {
  const session = await startSession();
  try {
    const page = await session.open(
      await chapterOf("PinnedInpainting", `?trainsteps=${TRAIN_STEPS}`),
    );
    await waitHydrated(page, ISLAND, 20_000);
    await page.locator(`${ISLAND} [data-testid=train]`).click();
    await page.locator(`${ISLAND}[data-phase=ready]`).waitFor({ timeout: 480_000 });
    await drawn(page, 1);
    const [pinned, own] = [await value(page, "pinned-mmd2"), await value(page, "model-mmd2")];
    console.log(`PinnedInpainting after ${TRAIN_STEPS} steps: MMD² pinned ${pinned}, own ${own}`);
    assert.ok(Number.isFinite(pinned) && pinned > -0.05, `pinned MMD² ${pinned}`);
    // Another observed value, by keyboard: a new draw.
    await page.locator(`${ISLAND} [data-testid=value-slider]`).focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.locator(`${ISLAND} [data-testid=value]`).textContent(), "0.6");
    await drawn(page, 2);
    const [held, baseline] = await resetTensors(page, ISLAND);
    assert.equal(held, baseline, "Reset frees every tensor");
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});
