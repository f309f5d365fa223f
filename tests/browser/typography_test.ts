/**
 * Text that reads as text, wherever the book shows it (goal 6 of issue 17): on the home page, every
 * chapter, the search page with a query and the 404 page, no visible text outside code and math
 * holds a straight quote or apostrophe (' or "), a TeX command (`\epsilon`: math that did not
 * render, as when a line inside `$…$` starts with "- " and Markdown makes it a list) or TeX markup
 * for a subscript or superscript (`x_T`, `L_{t-1}`, `^{2}`), the islands' labels and buttons
 * included; nor a number written with a hyphen-minus ("-2", "1e-3", "+-14") where the book prints
 * the minus sign U+2212.
 */
import assert from "node:assert/strict";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";

Deno.test("no straight quote, raw TeX or hyphen-minus number in the text a reader sees, outside code and math", async () => {
  const book = await getBook();
  const session = await startSession();
  try {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const paths = [
      "/",
      ...book.chapters.map((c) => `/chapters/${c.slug}`),
      "/search?q=tweedie",
      "/no-such-page",
    ];
    const found: string[] = [];
    for (const path of paths) {
      await page.goto(`${session.base}${path}`, { waitUntil: "load" });
      // islands hydrate when near the view: bring each one there, then read the whole page
      await page.evaluate(async () => {
        for (const el of document.querySelectorAll("frsh-island, figure.demo")) {
          el.scrollIntoView();
          await new Promise((r) => setTimeout(r, 50));
        }
      });
      await page.waitForTimeout(300);
      const hits = await page.evaluate(() => {
        const skip = "code, pre, kbd, samp, script, style, textarea, .katex, .katex-display";
        const out: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const text = n.textContent ?? "";
          const at = text.search(
            /['"]|\\[A-Za-z]{2,}|[\p{L})]_[\p{L}\d{]|\^\{|(?:^|[\s([{=,;:+]|\d[eE])-\.?\d/u,
          );
          if (at < 0 || n.parentElement?.closest(skip)) continue;
          out.push(text.slice(Math.max(0, at - 30), at + 30).replace(/\s+/g, " ").trim());
        }
        for (const el of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
          for (const attr of ["aria-label", "title", "placeholder"]) {
            const v = el.getAttribute(attr) ?? "";
            const bad =
              /['"]|\\[A-Za-z]{2,}|[\p{L})]_[\p{L}\d{]|\^\{|(?:^|[\s([{=,;:+]|\d[eE])-\.?\d/u.test(
                v,
              );
            if (bad && !el.closest(".katex, .katex-display")) out.push(`${attr}: ${v}`);
          }
        }
        return out;
      });
      found.push(...hits.map((h) => `${path}: ${h}`));
    }
    assert.deepEqual(
      found,
      [],
      `straight quotes, raw TeX or hyphen-minus numbers in visible text:\n${found.join("\n")}`,
    );
  } finally {
    await session.close();
  }
});
