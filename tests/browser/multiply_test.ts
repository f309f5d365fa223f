/**
 * MultiplyDistributions in a real browser: after a short live training, multiplying each reverse
 * step by r(x) for a painted region must put far more samples inside the region than the model's
 * own samples from the same noise; with lambda = 0 (r = 1) the two chains are identical. The
 * region is painted with the mouse and with the keyboard.
 * Run `deno task build` first (or set BUILD_DIR), then `deno test -A tests/browser/multiply_test.ts`.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession, waitHydrated } from "./harness.ts";

const ISLAND = "figure[data-demo=MultiplyDistributions] .trajectories";
/** Enough for a recognisable roll; minutes when several suites share the two cores. */
const TRAIN_STEPS = 600;
const TRAIN_TIMEOUT_MS = 540_000;
const DRAW_TIMEOUT_MS = 120_000;

async function chapterPath(): Promise<string> {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === "MultiplyDistributions")
  );
  assert.ok(chapter, "No chapter embeds MultiplyDistributions");
  return `/chapters/${chapter.slug}?trainsteps=${TRAIN_STEPS}`;
}

async function text(page: Page, testid: string): Promise<string> {
  return (await page.locator(`${ISLAND} [data-testid=${testid}]`).first().textContent()) ?? "";
}

/** The two shares as fractions. */
async function shares(page: Page): Promise<{ plain: number; multiplied: number }> {
  const pct = async (id: string) => Number((await text(page, id)).replace("%", "")) / 100;
  return { plain: await pct("plain-share"), multiplied: await pct("multiplied-share") };
}

async function draws(page: Page): Promise<number> {
  return Number(await page.locator(ISLAND).getAttribute("data-draws"));
}

/** Runs `action`, then waits until the island has drawn once more and is idle. */
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

Deno.test("MultiplyDistributions: the painted region's share rises well above the model's own", async () => {
  const session = await startSession();
  try {
    const page = await session.open(await chapterPath());
    await waitHydrated(page, ISLAND, 20_000);
    const t0 = Date.now();
    await page.locator(`${ISLAND} [data-testid=train]`).click();
    await page.locator(`${ISLAND}[data-phase=ready]`).waitFor({ timeout: TRAIN_TIMEOUT_MS });
    console.log(`trained ${TRAIN_STEPS} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await page.waitForFunction(
      (sel) => Number(document.querySelector(sel)?.getAttribute("data-draws")) >= 1,
      ISLAND,
      {
        timeout: DRAW_TIMEOUT_MS,
      },
    );
    await page.locator(`${ISLAND}:not([data-busy])`).waitFor({ timeout: DRAW_TIMEOUT_MS });
    const tensorsAtFirstDraw = await text(page, "tensors");

    // The default region (two dabs on the roll's outer arm) with lambda = 8.
    const first = await shares(page);
    console.log(`default region, λ = 8: ${JSON.stringify(first)}`);
    assert.ok(first.plain < 0.25, `the region is a small part of the model's mass: ${first.plain}`);
    assert.ok(
      first.multiplied > first.plain + 0.25 && first.multiplied > 2 * first.plain,
      `multiplying by r raises the share: ${JSON.stringify(first)}`,
    );

    // lambda = 0 (Home on the slider) is r = 1: the same chain, the same share.
    await afterDraw(page, async () => {
      await page.locator(`${ISLAND} [data-testid=lambda]`).focus();
      await page.keyboard.press("Home");
    });
    assert.equal(await text(page, "lambda-value"), "0");
    const zero = await shares(page);
    assert.equal(zero.multiplied, zero.plain, "r = 1 changes nothing");

    // Paint a new region with the mouse on another part of the roll, at full strength.
    await page.locator(`${ISLAND} [data-testid=clear]`).click(); // an empty region draws nothing
    await page.locator(`${ISLAND} [data-testid=lambda]`).focus();
    await page.keyboard.press("End");
    assert.equal(await text(page, "lambda-value"), "9");
    const canvas = page.locator(`${ISLAND} [data-testid=canvas-plain]`);
    const box = (await canvas.boundingBox())!;
    // Data (-1.5, -1) in the canvas's [-2.6, 2.6]^2 view, y up.
    const at = (x: number, y: number) => ({
      x: box.x + ((x + 2.6) / 5.2) * box.width,
      y: box.y + ((2.6 - y) / 5.2) * box.height,
    });
    await afterDraw(page, async () => {
      const a = at(-1.7, -0.9), b = at(-1.3, -1.1);
      await page.mouse.move(a.x, a.y);
      await page.mouse.down();
      await page.mouse.move(b.x, b.y, { steps: 8 });
      await page.mouse.up();
    });
    const painted = await shares(page);
    const note = (await page.locator(`${ISLAND} .tj-note`).textContent()) ?? "";
    console.log(`painted region, λ = 9: ${JSON.stringify(painted)} (${note})`);
    assert.match(note, /\b([2-9]|1\d) dabs\b/, "a stroke lays several dabs");
    assert.ok(
      painted.multiplied > painted.plain + 0.25,
      `the painted region gains samples: ${JSON.stringify(painted)}`,
    );

    // Keyboard painting: focus a plot, move the brush, Space adds a dab and resamples.
    const dabs = () =>
      page.locator(`${ISLAND} .tj-note`).textContent().then((t) =>
        Number(t?.match(/(\d+) dab/)?.[1])
      );
    const before = await dabs();
    await afterDraw(page, async () => {
      await page.locator(`${ISLAND} [data-testid=canvas-multiplied]`).focus();
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("Space");
    });
    assert.equal(await dabs(), before + 1, "Space paints one dab at the brush");

    assert.equal(await text(page, "tensors"), tensorsAtFirstDraw, "sampling leaks no tensors");
    await page.setViewportSize({ width: 375, height: 800 });
    const widths = await page.locator(`${ISLAND} canvas`).evaluateAll((cs) =>
      cs.map((c) => c.getBoundingClientRect().width)
    );
    assert.ok(widths.every((w) => w > 200 && w <= 375), `canvas widths ${widths}`);
    assert.deepEqual(session.errors, [], "no console errors");
  } finally {
    await session.close();
  }
});
