/**
 * FlowSamplers in a real browser (chapter 6): the reader trains the islands' model, and the
 * reverse SDE and the probability-flow ODE sample from one x_T. Re-running from the same x_T
 * moves the SDE's samples and not the ODE's; the ODE's paths swap places far less often than the
 * SDE's; both are scored; Reset brings the tensors back to the baseline.
 * Run `deno task build` first (or set BUILD_DIR), then
 * `deno test -A tests/browser/flow_samplers_test.ts`.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { chapterOf, resetTensors, startSession, waitHydrated } from "./harness.ts";

const ISLAND = "figure[data-demo=FlowSamplers] .flow-samplers";
/** Any model shows the properties; a short run keeps the test quick (`?trainsteps=`). */
const TRAIN_STEPS = 300;
const TRAIN_TIMEOUT_MS = 480_000;
const DRAW_TIMEOUT_MS = 120_000;

async function text(page: Page, testid: string): Promise<string> {
  return (await page.locator(`${ISLAND} [data-testid=${testid}]`).first().textContent()) ?? "";
}

/** Runs `action` (if any), then waits until the island has drawn `n` times and is idle. */
async function drawn(page: Page, n: number, action?: () => Promise<void>): Promise<void> {
  await action?.();
  await page.waitForFunction(
    ([sel, k]) => Number(document.querySelector(sel as string)?.getAttribute("data-draws")) >= k,
    [ISLAND, n] as const,
    { timeout: DRAW_TIMEOUT_MS },
  );
  await page.locator(`${ISLAND}:not([data-busy])`).waitFor({ timeout: DRAW_TIMEOUT_MS });
}

Deno.test("FlowSamplers: from one x_T the ODE repeats itself and its paths do not swap; the SDE moves", async () => {
  const session = await startSession();
  try {
    const page = await session.open(await chapterOf("FlowSamplers", `?trainsteps=${TRAIN_STEPS}`));
    await waitHydrated(page, ISLAND, 20_000);
    assert.equal(await page.locator(`${ISLAND} [data-testid=rerun]`).isDisabled(), true);
    assert.equal(await text(page, "ode-mmd2"), "–", "no readout before a model");

    const t0 = Date.now();
    await page.locator(`${ISLAND} [data-testid=train]`).click();
    await page.locator(`${ISLAND}[data-phase=ready]`).waitFor({ timeout: TRAIN_TIMEOUT_MS });
    const trainS = (Date.now() - t0) / 1000;
    await drawn(page, 1);
    const [sdeCross, odeCross] = [
      Number(await text(page, "sde-crossings")),
      Number(await text(page, "ode-crossings")),
    ];
    const [sdeMmd, odeMmd] = [await text(page, "sde-mmd2"), await text(page, "ode-mmd2")];

    await drawn(page, 2, () => page.locator(`${ISLAND} [data-testid=rerun]`).click());
    const sdeMoved = Number(await text(page, "sde-moved"));
    console.log(
      `FlowSamplers after ${TRAIN_STEPS} steps (${trainS.toFixed(1)} s): SDE MMD² ${sdeMmd}, ` +
        `crossings ${sdeCross}, moved ${sdeMoved}; ODE MMD² ${odeMmd}, crossings ${odeCross}`,
    );
    assert.equal(await text(page, "ode-moved"), "0", "the ODE is deterministic given x_T");
    assert.ok(sdeMoved > 0.05, `the SDE's samples move between runs: ${sdeMoved}`);
    assert.ok(Number.isFinite(parseFloat(sdeMmd)) && Number.isFinite(parseFloat(odeMmd)));
    assert.ok(odeCross * 10 < sdeCross, `ODE crossings ${odeCross} vs SDE ${sdeCross}`);

    // Reset frees every tensor: a sampling question that leaked would leave some behind.
    const [held, baseline] = await resetTensors(page, ISLAND);
    assert.equal(held, baseline, "Reset frees every tensor");
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});
