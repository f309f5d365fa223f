/**
 * Search in a real browser: every page has a plain search form (no JavaScript); the search page
 * keeps the query in the header's box, loads the index only when the reader arrives with a query
 * or focuses the box, and finds the sections that discuss a topic, showing the chapter, the
 * section and the sentence with the words marked, never a machine label. Without JavaScript the
 * page lists every chapter and section.
 */
import assert from "node:assert/strict";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";

Deno.test("Search: the header's plain form leads to results over the whole text", async () => {
  const book = await getBook();
  const plain = book.chapters.find((c) => !c.parts.some((p) => p.kind === "island"))!;
  const session = await startSession();
  try {
    const requested: string[] = [];
    const page = await session.browser.newPage();
    page.on("request", (r) => requested.push(r.url()));
    page.on("pageerror", (e) => session.errors.push(`pageerror: ${e.message}`));

    // A page without demos ships no JavaScript, search form included.
    await page.goto(`${session.base}/chapters/${plain.slug}`, { waitUntil: "load" });
    assert.equal(await page.locator("script").count(), 0, "a page without demos has no script");
    const headerBox = page.locator(".header-search input[name=q]");
    await headerBox.fill("swiss roll");
    await headerBox.press("Enter");
    await page.waitForURL("**/search?q=swiss+roll");
    assert.equal(await headerBox.inputValue(), "swiss roll", "the header keeps the query");

    const box = page.locator(".site-search input");
    const results = page.locator("[data-testid=search-results] li");
    await results.first().waitFor({ timeout: 30_000 }); // arrived with a query: index loads at once
    assert.equal(await box.inputValue(), "swiss roll");
    assert.ok(requested.some((u) => u.endsWith("/search-index.json")));

    for (
      const phrase of ["swiss roll", "KL divergence", "label dropout", "Tweedie", "inpainting"]
    ) {
      await box.fill(phrase);
      await page.waitForFunction(
        (p) =>
          [...document.querySelectorAll("[data-testid=search-results] mark")].some((m) =>
            p.toLowerCase().split(" ").some((w) => m.textContent!.toLowerCase().includes(w))
          ),
        phrase,
        { timeout: 10_000 },
      );
      const first = results.first();
      const href = await first.locator("a").getAttribute("href");
      assert.match(href ?? "", /^\/chapters\/[a-z-]+#/, `${phrase}: links to a section`);
      const shown = await page.locator("[data-testid=search-results]").innerText();
      assert.ok(!/eq:[a-z]/.test(shown), `${phrase}: a machine label is shown:\n${shown}`);
      assert.ok(await first.locator(".search-chapter").innerText(), `${phrase}: no chapter`);
    }
    await box.fill("zzzz-no-such-thing");
    await page.getByText("No match.").waitFor({ timeout: 10_000 });
    // following a result goes to its section
    await box.fill("Tweedie");
    const link = results.first().locator("a");
    await link.waitFor();
    const target = (await link.getAttribute("href"))!;
    await link.click();
    await page.waitForURL(`**${target}`);

    // Opened without a query, the search page waits for the reader before fetching the index.
    requested.length = 0;
    await page.goto(`${session.base}/search`, { waitUntil: "load" });
    await page.locator(".site-search input").waitFor();
    await page.waitForTimeout(500);
    assert.ok(!requested.some((u) => u.includes("search-index.json")), "index loaded too early");
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});

Deno.test("Search without JavaScript lists every chapter and its sections", async () => {
  const book = await getBook();
  const session = await startSession();
  try {
    const context = await session.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${session.base}/search?q=tweedie`, { waitUntil: "load" });
    const links = await page.locator(".search-browse a").evaluateAll((as) =>
      as.map((a) => a.getAttribute("href"))
    );
    const withSections = book.chapters.find((c) => c.toc.length > 0)!;
    assert.ok(links.includes(`/chapters/${withSections.slug}`));
    assert.ok(links.includes(`/chapters/${withSections.slug}#${withSections.toc[0].id}`));
    assert.equal(await page.locator(".header-search input").inputValue(), "tweedie");
    await context.close();
  } finally {
    await session.close();
  }
});
