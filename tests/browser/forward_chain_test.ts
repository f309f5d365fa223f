/**
 * The first island end to end in a real browser: a chapter that embeds ForwardChain loads from the
 * running server, the island hydrates with its serialised props, and it responds to input.
 */
import assert from "node:assert/strict";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";

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
    // Switching the schedule recomputes alphaBar_T from the engine's cosine schedule.
    await island.locator("select").nth(1).selectOption("cosine");
    await page.waitForFunction(
      (before) => document.querySelector("[data-testid=alpha-bar]")?.textContent !== before,
      String(await alphaBar.textContent()),
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
