import assert from "node:assert/strict";
import { loadBook } from "./load_book.ts";
import { islands } from "./testdata/islands.ts";
import { buildSearchIndex, searchDocs } from "./search_index.ts";
import { loadSearchIndex, runSearch } from "./search_query.ts";
import { getBook } from "../site/book.ts";

const chaptersDir = new URL("./testdata/chapters", import.meta.url).pathname;
const root = new URL("../..", import.meta.url).pathname;

Deno.test("searchDocs: a passage per section and per equation, with human titles", async () => {
  const book = await loadBook({ chaptersDir, root, islands });
  const docs = searchDocs(book);
  for (const c of book.chapters) {
    assert.ok(docs.some((d) => d.href === `/chapters/${c.slug}`));
    for (const h of c.toc) {
      const doc = docs.find((d) => d.href === `/chapters/${c.slug}#${h.id}`);
      assert.equal(doc?.title, h.text);
    }
  }
  for (const e of book.equations) {
    const doc = docs.find((d) => d.href.endsWith(`#${e.label}`));
    assert.ok(doc?.title.startsWith(`Equation (${e.number}) · `), JSON.stringify(doc));
  }
  for (const d of docs) {
    assert.ok(!/eq:|\\[a-z]+/.test(d.title + d.text), `machine text shown: ${d.title} ${d.text}`);
  }
});

Deno.test("the book's index finds the sections that discuss each topic", async () => {
  const book = await getBook(); // the built book (deno task build)
  const docs = searchDocs(book);
  const index = loadSearchIndex(buildSearchIndex(book));
  for (const phrase of ["swiss roll", "KL divergence", "label dropout", "Tweedie", "inpainting"]) {
    const discussing = docs.filter((d) => d.text.toLowerCase().includes(phrase.toLowerCase()));
    assert.ok(discussing.length > 0, `no section of the book says "${phrase}"`);
    const hits = runSearch(index, phrase, 5);
    assert.ok(
      hits.some((h) => discussing.some((d) => d.href === h.href)),
      `"${phrase}": ${hits.map((h) => h.href).join(", ")}`,
    );
    const top = hits[0].snippet.filter((r) => r.mark).map((r) => r.text.toLowerCase());
    assert.ok(top.length > 0, `"${phrase}": nothing marked in the first result`);
  }
});
