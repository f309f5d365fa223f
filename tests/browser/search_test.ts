/**
 * Search in a real browser: the index loads only when the reader focuses the box, and typing a
 * heading word or an equation label lists links that lead to that place.
 */
import assert from "node:assert/strict";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";

Deno.test("Search loads its index on demand and finds headings and equation labels", async () => {
  const book = await getBook();
  const chapter = book.chapters.find((c) => c.equations.length > 0)!;
  const equation = chapter.equations.at(-1)!;
  const session = await startSession();
  try {
    const requested: string[] = [];
    const page = await session.browser.newPage();
    page.on("request", (r) => requested.push(r.url()));
    page.on("pageerror", (e) => session.errors.push(`pageerror: ${e.message}`));
    await page.goto(`${session.base}/chapters/${chapter.slug}`, { waitUntil: "load" });
    const box = page.locator(".site-search input");
    await box.waitFor();
    assert.ok(!requested.some((u) => u.includes("search-index.json")), "index loaded too early");

    const results = page.locator("[data-testid=search-results] a");
    // typing until the island hydrates: the first keystrokes may land before it does
    await page.waitForFunction(
      async (label) => {
        const input = document.querySelector<HTMLInputElement>(".site-search input")!;
        input.focus();
        input.value = label;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await new Promise((r) => setTimeout(r, 200));
        return document.querySelectorAll("[data-testid=search-results] a").length > 0;
      },
      equation.label,
      { timeout: 30_000, polling: 500 },
    );
    assert.ok(requested.some((u) => u.endsWith("/search-index.json")));
    const first = await results.first().getAttribute("href");
    assert.equal(first, `/chapters/${chapter.slug}#${equation.label}`);

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
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});
