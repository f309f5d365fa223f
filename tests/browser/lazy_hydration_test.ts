/**
 * Lazy hydration (lib/fresh/client/boot.ts) on chapter 2, which embeds five demos: at load the page
 * fetches only the modules of islands near the viewport, every island below the fold shows its
 * server-rendered preview with its controls, scrolling to one hydrates it and it works, and a
 * click on an island that is still loading is not lost. Run `BUILD_DIR=... deno task build` first.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession, waitHydrated } from "./harness.ts";

const DEMOS = [
  "ForwardChain",
  "TrainAndSample",
  "ReverseTrajectories",
  "MultiplyDistributions",
  "BinaryHeartbeat",
];

async function chapterPath(): Promise<string> {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    DEMOS.every((name) => c.parts.some((p) => p.kind === "island" && p.name === name))
  );
  assert.ok(chapter, `No chapter embeds ${DEMOS.join(", ")}`);
  return `/chapters/${chapter.slug}`;
}

/** Names of the island modules requested so far (`island-NAME.js`). */
function islandModules(requested: string[]): string[] {
  return requested.flatMap((u) => /\/island-(\w+)\.js$/.exec(u)?.[1] ?? []);
}

async function openLogged(page: Page, url: string): Promise<string[]> {
  const requested: string[] = [];
  page.on("request", (r) => requested.push(r.url()));
  await page.goto(url, { waitUntil: "load" });
  await page.waitForTimeout(1000); // what bench/page_cost.ts counts: up to load + 1 s
  return requested;
}

Deno.test("chapter 2 at load fetches no module of an island far below; scrolling to it hydrates it", async () => {
  const session = await startSession();
  try {
    const page = await session.browser.newPage(); // the default 1280 x 720 viewport
    page.on("pageerror", (e) => session.errors.push(`pageerror: ${e.message}`));
    const requested = await openLogged(page, session.base + await chapterPath());
    const atLoad = islandModules(requested);
    for (const name of ["TrainAndSample", "MultiplyDistributions", "BinaryHeartbeat"]) {
      assert.ok(!atLoad.includes(name), `${name} is far below the fold: ${atLoad.join(", ")}`);
    }
    assert.ok(!requested.some((u) => /uPlot/.test(u)), "no chart library before a chart is near");
    assert.equal(await page.evaluate(() => scrollY), 0, "nothing scrolled");

    // Every demo's server-rendered preview is there, with its controls, before hydration.
    for (const name of DEMOS) {
      const island = page.locator(`frsh-island[data-name=${name}] > *`).first();
      const box = await island.boundingBox();
      assert.ok(box && box.height > 200, `${name} preview has a size: ${JSON.stringify(box)}`);
      const controls = await page.locator(`frsh-island[data-name=${name}]`)
        .locator("button, input, select").count();
      assert.ok(controls >= 2, `${name} preview shows its controls (${controls})`);
    }
    assert.equal(
      await page.locator("frsh-island[data-name=BinaryHeartbeat] [data-hydrated=true]").count(),
      0,
      "BinaryHeartbeat waits",
    );

    const island = await waitHydrated(page, ".binary-heartbeat", 20_000);
    assert.ok(islandModules(requested).includes("BinaryHeartbeat"), "its module came on scrolling");
    await island.locator("[data-testid=play]").click();
    await page.waitForFunction(
      () => Number(document.querySelector(".binary-heartbeat [data-testid=step]")?.textContent) > 3,
      undefined,
      { timeout: 10_000 },
    );
    await island.locator("[data-testid=play]").click(); // pause
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});

Deno.test("a click on an island whose module is still loading is replayed once it hydrates", async () => {
  const session = await startSession();
  try {
    const page = await session.browser.newPage();
    page.on("pageerror", (e) => session.errors.push(`pageerror: ${e.message}`));
    // Hold BinaryHeartbeat's module back for a while, as on a slow network.
    let served = false;
    await page.route(/\/island-BinaryHeartbeat\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      served = true;
      await route.continue();
    });
    await page.goto(session.base + await chapterPath(), { waitUntil: "load" });
    const play = page.locator("frsh-island[data-name=BinaryHeartbeat] [data-testid=play]");
    await play.click(); // scrolls there, presses: the island starts loading, the click is held
    assert.equal(served, false, "the click came before the island's module");
    assert.equal(
      await page.locator(".binary-heartbeat [data-testid=step]").textContent(),
      "0",
      "nothing happened yet",
    );
    await page.waitForFunction(
      () => Number(document.querySelector(".binary-heartbeat [data-testid=step]")?.textContent) > 3,
      undefined,
      { timeout: 20_000 },
    );
    assert.equal(
      await page.locator(".binary-heartbeat[data-hydrated=true]").count(),
      1,
      "hydrated, and the held click pressed Play",
    );
    await play.click(); // pause
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});
