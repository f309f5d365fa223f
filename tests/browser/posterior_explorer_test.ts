/**
 * PosteriorExplorer in a real browser (Chapter 1): as the number of steps T grows (beta_t shrinks
 * like 1 / T at the same point t / T of the process), the exact reverse step's distance to its
 * Gaussian fit falls, and the identity `eq:reverse-as-expectation` holds to round-off throughout.
 * Run `BUILD_DIR=... deno task build` first.
 */
import assert from "node:assert/strict";
import type { Locator } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { shownNumber, startSession, waitHydrated } from "./harness.ts";

async function chapterWith(island: string): Promise<string> {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === island)
  );
  assert.ok(chapter, `No chapter embeds ${island}`);
  return `/chapters/${chapter.slug}`;
}

const number = (island: Locator, testid: string) =>
  shownNumber(island.locator(`[data-testid=${testid}]`));

Deno.test("PosteriorExplorer: the gap to a Gaussian shrinks as beta shrinks; the identity holds to ~1e-12", async () => {
  const session = await startSession();
  try {
    const page = await session.open(await chapterWith("PosteriorExplorer"));
    const island = page.locator("frsh-island[data-name=PosteriorExplorer]").first();
    // The server-rendered first frame already shows the numbers (T = 10, t = 2, x_t = -1).
    assert.equal(await island.locator("[data-testid=steps]").textContent(), "10");
    const first = await number(island, "tv");
    assert.ok(first > 0.1, `few large steps: the exact step is far from Gaussian (TV ${first})`);
    await waitHydrated(page, ".posterior-explorer", 20_000);
    assert.equal(await number(island, "tv"), first, "hydration recomputes the same number");

    // Drive the main control with the keyboard: T = 10 -> 20 -> ... -> 1000, t / T kept at 0.2.
    const slider = island.locator("[data-testid=steps-slider]");
    await slider.focus();
    const seen: { T: number; t: number; tv: number; kl: number; identity: number }[] = [];
    for (const expectT of ["20", "50", "100", "200", "1000"]) {
      await page.keyboard.press("ArrowRight");
      await island.locator(`[data-testid=steps]:text-is("${expectT}")`).waitFor();
      seen.push({
        T: await number(island, "steps"),
        t: await number(island, "step"),
        tv: await number(island, "tv"),
        kl: await number(island, "kl"),
        identity: await number(island, "identity"),
      });
    }
    console.log("T, t, TV, KL, identity residual:", JSON.stringify(seen));
    let previous = first;
    for (const row of seen) {
      assert.equal(row.t, row.T / 5, "t keeps its place t / T = 0.2");
      assert.ok(row.tv < previous, `TV must fall as beta shrinks: ${JSON.stringify(seen)}`);
      assert.ok(row.identity < 1e-11, `identity residual ${row.identity} at T = ${row.T}`);
      previous = row.tv;
    }
    assert.ok(seen.at(-1)!.tv < first / 1000, `T = 1000 is nearly Gaussian: ${seen.at(-1)!.tv}`);
    assert.ok(seen.at(-1)!.kl < 1e-6);

    // The step and x_t controls respond too, and the mouse works: click the start of the T track.
    await island.locator("[data-testid=t-slider]").focus();
    await page.keyboard.press("Home");
    await island.locator(`[data-testid=step]:text-is("2")`).waitFor();
    const box = (await slider.boundingBox())!;
    await page.mouse.click(box.x + 2, box.y + box.height / 2);
    await island.locator(`[data-testid=steps]:text-is("5")`).waitFor();
    assert.ok((await number(island, "tv")) > 0.1, "back to a few large steps");
    assert.deepEqual(session.errors, [], `console errors: ${session.errors.join("\n")}`);
  } finally {
    await session.close();
  }
});

Deno.test("PosteriorExplorer fits a phone screen and ships no tfjs", async () => {
  const session = await startSession();
  try {
    const page = await session.browser.newPage({ viewport: { width: 360, height: 740 } });
    const scripts: string[] = [];
    page.on("response", (r) => {
      if (r.url().endsWith(".js")) scripts.push(r.url());
    });
    await page.goto(session.base + await chapterWith("PosteriorExplorer"), { waitUntil: "load" });
    await waitHydrated(page, ".posterior-explorer", 20_000);
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - document.documentElement.clientWidth
    );
    assert.ok(overflow <= 0, `no horizontal scrolling at 360 px: ${overflow}`);
    let bytes = 0;
    for (const url of scripts) bytes += (await (await fetch(url)).arrayBuffer()).byteLength;
    console.log(`chapter 1 JavaScript: ${scripts.length} files, ${bytes} bytes`);
    assert.ok(bytes < 120_000, `the page's JavaScript stays light: ${bytes} bytes`);
    assert.ok(!scripts.some((u) => /worker|tfjs/.test(u)), scripts.join(", "));
    await page.screenshot({ path: "/tmp/build_D1/posterior_explorer_phone.png", fullPage: false });
  } finally {
    await session.close();
  }
});
