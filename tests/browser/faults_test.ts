/**
 * Faults while training in the browser: the WebGL context under tfjs is lost mid-run (simulated
 * with `WEBGL_lose_context` on the very context tfjs draws with, reached in the worker through
 * tfjs's global engine). Training stops within moments with a message that says so, never hangs,
 * Reset frees every tensor (the count returns to the baseline), and the next Train runs on WASM.
 * Non-finite loss and a hidden tab are covered by train_test.ts ("divergence (lr = 1000) ..." and
 * "with WebGL disabled ...": the tab-hidden pause).
 * Run `deno task build` first, then `deno test -A tests/browser/faults_test.ts`.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession, tensorsOf, waitHydrated, webglWorker } from "./harness.ts";

const ISLAND = ".train-sample";

async function text(page: Page, testid: string): Promise<string> {
  return (await page.locator(`${ISLAND} [data-testid=${testid}]`).first().textContent()) ?? "";
}

/** Waits until training has taken a step (software WebGL is slow), or has stopped. */
async function trainingOrStopped(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const el = document.querySelector(".train-sample");
      const step = Number(el?.querySelector("[data-testid=step]")?.textContent);
      return step > 0 || ["error", "diverged", "done"].includes(el?.getAttribute("data-status")!);
    },
    undefined,
    { timeout: 240_000, polling: 250 },
  );
}

Deno.test("WebGL context loss mid-training: stops with a message, Reset frees every tensor, Train goes on on WASM", async () => {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === "TrainAndSample")
  );
  assert.ok(chapter, "No chapter embeds TrainAndSample");
  const session = await startSession();
  try {
    const page = await session.open(`/chapters/${chapter.slug}?backend=webgl`);
    await waitHydrated(page, ISLAND, 30_000);
    await page.locator(`${ISLAND} [data-testid=train]`).click();
    await trainingOrStopped(page);
    assert.equal(await page.locator(ISLAND).getAttribute("data-status"), "training");
    assert.match(await text(page, "backend"), /^webgl/);

    const worker = await webglWorker(page);
    const lost = await worker.evaluate(() => {
      type Engine = { registry: { webgl: { gpgpu: { gl: WebGL2RenderingContext } } } };
      const gl = (globalThis as unknown as { _tfengine: Engine })._tfengine.registry.webgl.gpgpu
        .gl;
      gl.getExtension("WEBGL_lose_context")!.loseContext();
      return gl.isContextLost();
    });
    assert.ok(lost, "the context was not lost");
    const t0 = Date.now();
    await page.locator(`${ISLAND}[data-status=error]`).waitFor({ timeout: 30_000 });
    const stoppedAfterMs = Date.now() - t0;
    const message = await text(page, "message");
    assert.match(message, /WebGL context was lost/);
    assert.match(message, /start again on wasm/);
    const step = await text(page, "step");
    await page.waitForTimeout(1000);
    assert.equal(await text(page, "step"), step, "no step after the context was lost");
    console.log(`context lost at step ${step}: stopped after ${stoppedAfterMs} ms: ${message}`);

    await page.locator(`${ISLAND} [data-testid=reset]`).click();
    await page.locator(`${ISLAND}[data-status=idle]`).waitFor({ timeout: 20_000 });
    const [held, baseline] = await tensorsOf(page, ISLAND);
    assert.equal(held, baseline, "tensor count back to the baseline");

    // Train again: the worker moved to WASM, and training makes progress.
    await page.locator(`${ISLAND} [data-testid=train]`).click();
    await trainingOrStopped(page);
    assert.equal(await page.locator(ISLAND).getAttribute("data-status"), "training");
    const backendNow = await page.workers()[0].evaluate(() =>
      (globalThis as unknown as { _tfengine: { backendName: string } })._tfengine.backendName
    );
    assert.equal(backendNow, "wasm");
    await page.locator(`${ISLAND} [data-testid=pause]`).click();
    const unexpected = session.errors.filter((e) => !/WebGL|CONTEXT_LOST/i.test(e));
    assert.deepEqual(unexpected, [], unexpected.join("\n"));
  } finally {
    await session.close();
  }
});
