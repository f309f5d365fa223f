/**
 * Search in a real browser: every page has a plain search form (no JavaScript); the search page
 * loads the index only when the reader arrives with a query or focuses the box, and typing a
 * heading word or an equation label lists links that lead to that place.
 */
import assert from "node:assert/strict";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";

Deno.test("Search: the header's plain form leads to the search page, which loads its index on demand", async () => {
  const book = await getBook();
  const chapter = book.chapters.find((c) => c.equations.length > 0)!;
  const equation = chapter.equations.at(-1)!;
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
    await headerBox.fill(equation.label);
    await headerBox.press("Enter");
    await page.waitForURL(`**/search?q=${encodeURIComponent(equation.label)}`);

    const box = page.locator(".site-search input");
    const results = page.locator("[data-testid=search-results] a");
    await results.first().waitFor({ timeout: 30_000 }); // arrived with a query: index loads at once
    assert.equal(await box.inputValue(), equation.label);
    assert.ok(requested.some((u) => u.endsWith("/search-index.json")));
    assert.equal(
      await results.first().getAttribute("href"),
      `/chapters/${chapter.slug}#${equation.label}`,
    );

    const heading = chapter.toc[0];
    await box.fill(heading.text);
    await page.waitForFunction(
      (href) =>
        [...document.querySelectorAll("[data-testid=search-results] a")].some((a) =>
          a.getAttribute("href") === href
        ),
      `/chapters/${chapter.slug}#${heading.id}`,
      { timeout: 10_000 },
    );
    await box.fill("zzzz-no-such-thing");
    await page.getByText("No match.").waitFor({ timeout: 10_000 });
    // following a result goes to the equation
    await box.fill(equation.label);
    await results.first().click();
    await page.waitForURL(`**/chapters/${chapter.slug}#${equation.label}`);

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
