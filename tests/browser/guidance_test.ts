/**
 * Guidance in a real browser: a reader trains the conditional model, then raises the guidance
 * strength gamma with the keyboard and sees fidelity rise and diversity fall, for classifier-free
 * guidance and for classifier guidance with the exact noisy classifier. Run `deno task build`
 * first (with the same BUILD_DIR), then `deno test -A tests/browser/guidance_test.ts`.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession, tensorsOf, waitHydrated } from "./harness.ts";

const ISLAND = ".guidance";

async function chapterPath(): Promise<string> {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === "Guidance")
  );
  assert.ok(chapter, "No chapter embeds Guidance");
  return `/chapters/${chapter.slug}`;
}

const el = (page: Page, testid: string) => page.locator(`${ISLAND} [data-testid=${testid}]`);

/** Waits for the fidelity of the current settings and returns [fidelity, diversity]. */
async function readAt(page: Page, gamma: number, method: string): Promise<[number, number]> {
  const fidelity = page.locator(
    `${ISLAND} [data-testid=fidelity][data-gamma="${gamma}"][data-method="${method}"]`,
  );
  await fidelity.waitFor({ timeout: 120_000 });
  return [Number(await fidelity.textContent()), Number(await el(page, "diversity").textContent())];
}

Deno.test("guidance: fidelity rises and diversity falls with gamma; keyboard works; no leaks", async () => {
  const session = await startSession();
  try {
    const page = await session.open(await chapterPath());
    await waitHydrated(page, ISLAND, 30_000);
    // tfjs is not in the page's own JavaScript: the worker loads it on Train.
    const tfjsOnPage = await page.evaluate(() =>
      performance.getEntriesByType("resource").some((e) => /train-worker|tfjs/.test(e.name))
    );
    assert.equal(tfjsOnPage, false, "no worker or tfjs before Train");

    await el(page, "train").click();
    await page.waitForFunction(
      () => Number(document.querySelector(".guidance [data-testid=step]")?.textContent) >= 500,
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

    // The slider from the keyboard: Home is gamma = 0, then End is gamma = 5.
    const slider = el(page, "gamma-slider");
    await slider.focus();
    await slider.press("Home");
    const [f0, d0] = await readAt(page, 0, "cfg");
    await slider.press("End");
    const [f5, d5] = await readAt(page, 5, "cfg");
    // gamma = 1 sits between them (arrows: 0.25 a press).
    await slider.press("Home");
    for (let i = 0; i < 4; i++) await slider.press("ArrowRight");
    const [f1, d1] = await readAt(page, 1, "cfg");
    console.log(
      `classifier-free at step ${step}: gamma 0 -> ${f0} / ${d0}, 1 -> ${f1} / ${d1}, ` +
        `5 -> ${f5} / ${d5}`,
    );
    // gamma = 0 ignores y: about a third of the samples fall in the class's region (3 equal classes).
    assert.ok(f0 < 0.5, `gamma 0 fidelity ${f0}`);
    assert.ok(f1 > f0 + 0.2, `fidelity rises from gamma 0 (${f0}) to 1 (${f1})`);
    assert.ok(f5 >= f1 && f5 > 0.9, `and further to gamma 5 (${f5})`);
    assert.ok(d5 < d1 && d1 < d0, `diversity falls: ${d0}, ${d1}, ${d5}`);

    // Classifier guidance with the exact noisy classifier, by mouse.
    await el(page, "method-classifier").click();
    const [c1] = await readAt(page, 1, "classifier");
    await slider.press("Home");
    const [c0] = await readAt(page, 0, "classifier");
    console.log(`classifier guidance: gamma 0 -> ${c0}, 1 -> ${c1}`);
    assert.ok(c1 > c0 + 0.3, `classifier guidance raises fidelity: ${c0} -> ${c1}`);

    // Reset frees every tensor.
    await el(page, "reset").click();
    await page.locator(`${ISLAND}[data-status=idle]`).waitFor({ timeout: 30_000 });
    const [held, baseline] = await tensorsOf(page, ISLAND);
    assert.equal(held, baseline, "Reset frees every tensor");
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});

Deno.test("guidance at phone width and in dark mode: the island fits, the classes show, a hidden tab pauses", async () => {
  const session = await startSession();
  try {
    const context = await session.browser.newContext({
      viewport: { width: 375, height: 800 },
      colorScheme: "dark",
    });
    const page = await context.newPage();
    page.on("pageerror", (e) => session.errors.push(e.message));
    await page.goto(session.base + (await chapterPath()), { waitUntil: "load" });
    await waitHydrated(page, ISLAND, 30_000);
    const box = await page.locator(ISLAND).boundingBox();
    assert.ok(box && box.width <= 375, `island width ${box?.width}`);
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth > document.documentElement.clientWidth
    );
    assert.equal(overflow, false, "no horizontal scroll at 375 px");
    // Dark mode: the class colours are the light ones' dark counterparts.
    const colour = await page.locator(ISLAND).evaluate((e) =>
      getComputedStyle(e).getPropertyValue("--class-0").trim()
    );
    assert.equal(colour, "#6cb4f0");
    // Before training the class data are drawn: the canvas is not blank.
    const inked = await page.locator(`${ISLAND} canvas`).evaluate((c) => {
      const ctx = (c as HTMLCanvasElement).getContext("2d")!;
      const d = ctx.getImageData(0, 0, 360, 360).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    assert.ok(inked > 1000, `${inked} inked pixels`);

    // Hiding the tab pauses training and says so.
    await page.locator(`${ISLAND} [data-testid=train]`).click();
    await page.locator(`${ISLAND}[data-status=training]`).waitFor({ timeout: 60_000 });
    await page.evaluate(() => {
      Object.defineProperty(document, "hidden", { value: true, configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await page.locator(`${ISLAND}[data-status=paused]`).waitFor({ timeout: 60_000 });
    const message = await page.locator(`${ISLAND} [data-testid=message]`).textContent();
    assert.match(message ?? "", /tab was hidden/);
    const stepHidden = await page.locator(`${ISLAND} [data-testid=step]`).textContent();
    await page.waitForTimeout(1500);
    assert.equal(
      await page.locator(`${ISLAND} [data-testid=step]`).textContent(),
      stepHidden,
      "no training while hidden",
    );
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});
