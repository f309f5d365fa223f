/**
 * The first island end to end in a real browser: a chapter that embeds ForwardChain loads from the
 * running server, the island hydrates with its serialised props, and it responds to input.
 */
import assert from "node:assert/strict";
import { cosineSchedule, linearSchedule, snr } from "../../engine/schedule.ts";
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

Deno.test("ForwardChain hydrates in a chapter and responds to the keyboard", async () => {
  const session = await startSession();
  try {
    const page = await session.open(await chapterWith("ForwardChain"));
    const island = page.locator("frsh-island[data-name=ForwardChain]").first();
    await island.waitFor();
    const alphaBar = island.locator("[data-testid=alpha-bar]");
    assert.equal(await alphaBar.textContent(), "1.000"); // t = 0: no noise yet (server-rendered)
    // Hydration is proven when the island reacts: move the slider to the end with the keyboard.
    const slider = island.locator("input[type=range]");
    await slider.focus();
    await page.keyboard.press("End");
    await page.waitForFunction(
      () => document.querySelector("[data-testid=step]")?.textContent === "100",
      undefined,
      { timeout: 10_000 },
    );
    const end = Number(await alphaBar.textContent());
    assert.ok(end > 0 && end < 1e-4, `alphaBar_T should be tiny for the linear schedule: ${end}`);
    // Switching the schedule recomputes alphaBar_T from the engine's cosine schedule (read the old
    // value first: the change re-renders at once).
    const before = String(await alphaBar.textContent());
    await island.locator("select").nth(1).selectOption("cosine");
    await page.waitForFunction(
      (old) => document.querySelector("[data-testid=alpha-bar]")?.textContent !== old,
      before,
    );
    assert.deepEqual(session.errors, [], `console errors: ${session.errors.join("\n")}`);
  } finally {
    await session.close();
  }
});

Deno.test("pages without islands ship no JavaScript; chapter pages with one load only its code", async () => {
  const session = await startSession();
  try {
    const home = await session.open("/");
    assert.equal(await home.locator("script").count(), 0, "the home page has no island");
    const chapter = await session.open(await chapterWith("ForwardChain"));
    const scripts = await chapter.locator("script[src]").evaluateAll((els) =>
      els.map((e) => (e as HTMLScriptElement).src)
    );
    assert.equal(scripts.length, 1, `one boot module expected: ${scripts.join(", ")}`);
    assert.deepEqual(session.errors, []);
  } finally {
    await session.close();
  }
});

Deno.test("ForwardChain shows alphaBar_t and the SNR of the chosen schedule, with the q(x_t | x_0) overlay", async () => {
  const session = await startSession();
  try {
    const page = await session.open(await chapterWith("ForwardChain"));
    const island = await waitHydrated(page, ".forward-chain", 20_000);
    // The two small plots (alphaBar_t and log10 SNR_t over t) are in the server-rendered frame.
    assert.equal(await island.locator(".fc-plot svg").count(), 2);
    // readouts write a true minus sign (U+2212), also in exponents ("1.23e−7"): read it as "-"
    const text = async (id: string) =>
      (await island.locator(`[data-testid=${id}]`).textContent())!.replaceAll("\u2212", "-");
    const slider = island.locator("input[type=range]");
    await slider.focus();
    for (
      const [name, schedule] of [["linear", linearSchedule(100)], [
        "cosine",
        cosineSchedule(100),
      ]] as const
    ) {
      await island.locator("select").nth(1).selectOption(name);
      await page.keyboard.press("Home");
      await slider.focus();
      for (let t = 1; t <= 100; t++) {
        await page.keyboard.press("ArrowRight");
        if (![1, 2, 10, 37, 50, 99, 100].includes(t)) continue;
        await island.locator(`[data-testid=step]:text-is("${t}")`).waitFor();
        const shownAlphaBar = Number(await text("alpha-bar"));
        const shownSnr = Number(await text("snr"));
        const a = schedule.alphaBars[t];
        // shown with 4 and 3 significant digits
        assert.ok(
          Math.abs(shownAlphaBar - a) <= 5e-4 * a,
          `${name} t=${t}: ${shownAlphaBar} vs ${a}`,
        );
        assert.ok(
          Math.abs(shownSnr - snr(schedule, t)) <= 5e-3 * snr(schedule, t),
          `${name} t=${t} SNR`,
        );
        assert.ok(Math.abs(Number(await text("noise-sd")) - Math.sqrt(1 - a)) <= 5e-4);
        // the marker on the alphaBar plot sits at the current t
        const label = await island.locator(".fc-plot svg").first().getAttribute("aria-label");
        assert.ok(label?.endsWith(`at t = ${t}`), String(label));
      }
    }
    // The overlay can be switched off and on with the keyboard.
    const toggle = island.locator("input[type=checkbox]");
    await toggle.focus();
    await page.keyboard.press("Space");
    assert.equal(await toggle.isChecked(), false);
    await page.keyboard.press("Space");
    assert.equal(await toggle.isChecked(), true);
    assert.deepEqual(session.errors, [], `console errors: ${session.errors.join("\n")}`);
  } finally {
    await session.close();
  }
});
