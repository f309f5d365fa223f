/**
 * Parameterisations in a real browser: a reader trains the eps-, x0- and score-models side by
 * side, then moves the t slider and sees the learned Tweedie denoiser agree with the exact one at
 * small t (and drift at large t, most for the eps- and score-models, which divide by
 * sqrt(alphaBar_t)). Run `deno task build` first (with the same BUILD_DIR), then
 * `deno test -A tests/browser/parameterisations_test.ts`.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession, tensorsOf, waitHydrated } from "./harness.ts";

const ISLAND = ".parameterisations";

async function chapterPath(): Promise<string> {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === "Parameterisations")
  );
  assert.ok(chapter, "No chapter embeds Parameterisations");
  return `/chapters/${chapter.slug}`;
}

const el = (page: Page, testid: string) => page.locator(`${ISLAND} [data-testid=${testid}]`);

/** The Tweedie errors of the three models once the worker has answered for step t. */
async function errorsAt(page: Page, t: number): Promise<number[]> {
  await page.locator(`${ISLAND} [data-testid=tweedie-eps][data-t="${t}"]`).waitFor({
    timeout: 60_000,
  });
  const out: number[] = [];
  for (const target of ["eps", "x0", "score"]) {
    out.push(Number(await el(page, `tweedie-${target}`).textContent()));
  }
  return out;
}

Deno.test("parameterisations: three models train; Tweedie's learned denoiser is close to the exact one at small t", async () => {
  const session = await startSession();
  try {
    const page = await session.open(await chapterPath());
    await waitHydrated(page, ISLAND, 30_000);
    await el(page, "train").click();
    await page.waitForFunction(
      () =>
        Number(document.querySelector(".parameterisations [data-testid=step]")?.textContent) >=
          300,
      undefined,
      { timeout: 240_000, polling: 500 },
    );
    // Pause (unless the run has already reached its budget).
    await el(page, "pause").evaluate((b) => {
      const button = b as HTMLButtonElement;
      if (!button.disabled) button.click();
    });
    await page.locator(`${ISLAND}:is([data-status=paused], [data-status=done])`).waitFor({
      timeout: 60_000,
    });
    const step = Number(await el(page, "step").textContent());
    const losses = [];
    for (const target of ["eps", "x0", "score"]) {
      losses.push(Number(await el(page, `loss-${target}`).textContent()));
    }
    assert.ok(losses.every((l) => l > 0 && Number.isFinite(l)), `losses ${losses}`);
    // Pausing draws every model's samples and scores them.
    const mmd = [];
    for (const target of ["eps", "x0", "score"]) {
      await page.waitForFunction(
        (id) =>
          /\d/.test(
            document.querySelector(`.parameterisations [data-testid=${id}]`)!
              .textContent ?? "",
          ),
        `mmd2-${target}`,
        { timeout: 60_000 },
      );
      mmd.push(Number(await el(page, `mmd2-${target}`).textContent()));
    }

    // The t slider from the keyboard: Home is t = 1, End is t = T = 100.
    const slider = el(page, "t-slider");
    await slider.focus();
    await slider.press("Home");
    await slider.press("ArrowRight");
    const small = await errorsAt(page, 2);
    await slider.press("End");
    const large = await errorsAt(page, 100);
    console.log(
      `step ${step}: losses ${losses}; MMD² ${mmd}; Tweedie error at t = 2: ${small}, ` +
        `at t = 100: ${large}`,
    );
    // The eps-model's x0 = (x_t - sqrt(1 - alphaBar_t) eps) / sqrt(alphaBar_t): at t = 2 an eps
    // error is scaled by sqrt(1 - alphaBar_2) = 0.05, so the error is small; at t = T it is scaled
    // by 1 / sqrt(alphaBar_T) = 150, so it is large.
    assert.ok(small[0] < 0.05, `eps-model Tweedie error at t = 2 is ${small[0]}`);
    assert.ok(small[2] < 0.05, `score-model Tweedie error at t = 2 is ${small[2]}`);
    assert.ok(large[0] > 10 * small[0], `eps-model: ${small[0]} at t = 2, ${large[0]} at t = T`);
    // The x0-model predicts x_0 directly: no division, so at t = T it beats the eps-model.
    assert.ok(large[1] < large[0], `x0-model ${large[1]} vs eps-model ${large[0]} at t = T`);

    // The orange points follow the chosen model (a radio, by mouse).
    await el(page, "show-x0").click();
    assert.equal(await el(page, "show-x0").isChecked(), true);

    await el(page, "reset").click();
    await page.locator(`${ISLAND}[data-status=idle]`).waitFor({ timeout: 30_000 });
    const [held, baseline] = await tensorsOf(page, ISLAND);
    assert.equal(held, baseline, "Reset frees every tensor");
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});

Deno.test("parameterisations at phone width: no horizontal scroll; the exact denoiser is drawn before training", async () => {
  const session = await startSession();
  try {
    const context = await session.browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => session.errors.push(e.message));
    await page.goto(session.base + (await chapterPath()), { waitUntil: "load" });
    await waitHydrated(page, ISLAND, 30_000);
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth > document.documentElement.clientWidth
    );
    assert.equal(overflow, false, "no horizontal scroll at 375 px");
    const ink = () =>
      page.locator(`${ISLAND} canvas`).first().evaluate((c) => {
        const d = (c as HTMLCanvasElement).getContext("2d")!.getImageData(0, 0, 360, 360).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      });
    const before = await ink();
    assert.ok(before > 1000, `${before} inked pixels before training`);
    // Moving t redraws: at t = 100 the noisy points spread far wider than at t = 10.
    await el(page, "t-slider").fill("100");
    assert.equal(await el(page, "t").textContent(), "100");
    assert.notEqual(await ink(), before, "the picture changes with t");
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});
