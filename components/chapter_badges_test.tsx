/**
 * Every numbered equation of the real book gets a badge when ChapterView renders it, whatever its
 * verification says, and a chapter with equations gets the Check-on-this-device island.
 */
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { loadBook } from "../lib/book/mod.ts";
import { attachVerification, verifyEquations } from "../lib/book/verification.ts";
import { ChapterView } from "./ChapterView.tsx";
import { demos } from "../lib/site/demos.ts";
import { undrawnFigures } from "../lib/figures/undrawn.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("ChapterView puts a badge beside every numbered equation of every chapter", async () => {
  const book = await loadBook({
    chaptersDir: `${ROOT}/chapters`,
    root: ROOT,
    islands: demos,
    figures: undrawnFigures(),
  });
  // half the labels verified, the rest without a check: both kinds must show a badge
  const rows = book.equations.filter((_, i) => i % 2 === 0).map((e) => ({
    label: e.label,
    name: "two routes",
    passed: true,
    maxError: 1e-15,
    tolerance: 1e-12,
    toleranceReason: "round-off",
    seed: 1,
    samples: 3,
  }));
  attachVerification(book, verifyEquations(book.equations, rows, "test"));
  let total = 0;
  for (const chapter of book.chapters) {
    const html = renderToString(<ChapterView chapter={chapter} />);
    const numbers = html.match(/class="eq-number"/g)?.length ?? 0;
    const badges = html.match(/<details class="eq-badge /g)?.length ?? 0;
    assert.equal(numbers, chapter.equations.length, chapter.file);
    assert.equal(badges, chapter.equations.length, `${chapter.file}: badges`);
    for (const e of chapter.equations) {
      const status = rows.some((r) => r.label === e.label) ? "verified" : "unchecked";
      assert.match(
        html,
        new RegExp(
          `href="#${e.label}" class="eq-number">\\(${e.number}\\)</a><details class="eq-badge eq-badge-${status}( eq-badge-engine-only)?"`,
        ),
      );
    }
    assert.equal(html.includes('class="check-device"'), chapter.equations.length > 0);
    total += badges;
  }
  assert.equal(total, book.equations.length);
  assert.ok(total > 20, `the book has ${total} numbered equations`);
});
