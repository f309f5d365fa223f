/**
 * BinaryHeartbeat in a real browser (Chapter 2): under binomial diffusion the share of ones goes
 * to 1/2 at t = T in the forward chain, and the exact reverse chain brings the heartbeat back at
 * t = 0. Run `BUILD_DIR=... deno task build` first.
 */
import assert from "node:assert/strict";
import type { Locator } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession, waitHydrated } from "./harness.ts";

async function chapterWith(island: string): Promise<string> {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === island)
  );
  assert.ok(chapter, `No chapter embeds ${island}`);
  return `/chapters/${chapter.slug}`;
}

async function number(island: Locator, testid: string): Promise<number> {
  return Number.parseFloat((await island.locator(`[data-testid=${testid}]`).textContent()) ?? "");
}

Deno.test("BinaryHeartbeat: ones go to 1/2 forward, and the heartbeat returns in reverse", async () => {
  const session = await startSession();
  try {
    const page = await session.open(await chapterWith("BinaryHeartbeat"));
    const island = await waitHydrated(page, ".binary-heartbeat", 20_000);
    // t = 0: the data are heartbeats (4 ones in 20 bits); the reverse chain has arrived at them.
    assert.equal(await number(island, "forward-ones"), 0.2);
    assert.equal(await number(island, "forward-heartbeats"), 100);
    assert.equal(await number(island, "reverse-heartbeats"), 100);
    assert.equal(await number(island, "reverse-ones"), 0.2);

    const slider = island.locator("[data-testid=t-slider]");
    await slider.focus();
    await page.keyboard.press("End");
    await island.locator(`[data-testid=step]:text-is("40")`).waitFor();
    const onesT = await number(island, "forward-ones"),
      exactT = await number(island, "forward-exact");
    // 256 chains x 20 bits: one standard error of the share is at most 0.5 / sqrt(5120) < 0.007
    assert.ok(Math.abs(onesT - 0.5) < 0.04, `forward share of ones at t = T: ${onesT}`);
    assert.ok(Math.abs(exactT - 0.5) < 0.01, `exact P(x_T = 1): ${exactT}`);
    assert.ok(
      (await number(island, "forward-heartbeats")) <= 1,
      "the heartbeats are gone at t = T",
    );
    assert.ok(
      Math.abs((await number(island, "reverse-ones")) - 0.5) < 0.04,
      "reverse starts at coins",
    );

    // Walk back with the keyboard: the reverse chain's heartbeat share climbs to 100% at t = 0.
    const shares: number[] = [];
    for (const t of [30, 20, 10, 1, 0]) {
      while (Number(await island.locator("[data-testid=step]").textContent()) > t) {
        await page.keyboard.press("ArrowLeft");
      }
      shares.push(await number(island, "reverse-heartbeats"));
    }
    console.log("reverse heartbeat share at t = 30, 20, 10, 1, 0:", shares.join(", "));
    assert.equal(shares.at(-1), 100, "every reverse chain ends on a heartbeat");
    assert.ok(shares[0] < 50, `not yet at t = 30: ${shares[0]}`);

    // The mouse: New draw resamples (t = 0 stays all heartbeats), Play advances t.
    await island.locator("[data-testid=redraw]").click();
    assert.equal(await number(island, "reverse-heartbeats"), 100);
    await island.locator("[data-testid=play]").click();
    await page.waitForFunction(
      () => Number(document.querySelector(".binary-heartbeat [data-testid=step]")?.textContent) > 3,
      undefined,
      { timeout: 10_000 },
    );
    await island.locator("[data-testid=play]").click(); // pause
    assert.deepEqual(session.errors, [], `console errors: ${session.errors.join("\n")}`);
  } finally {
    await session.close();
  }
});

Deno.test("BinaryHeartbeat fits a phone screen", async () => {
  const session = await startSession();
  try {
    const page = await session.browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(session.base + await chapterWith("BinaryHeartbeat"), { waitUntil: "load" });
    await waitHydrated(page, ".binary-heartbeat", 20_000);
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - document.documentElement.clientWidth
    );
    assert.ok(overflow <= 0, `no horizontal scrolling at 360 px: ${overflow}`);
  } finally {
    await session.close();
  }
});
