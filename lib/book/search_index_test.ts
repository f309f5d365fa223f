import assert from "node:assert/strict";
import { loadBook } from "./load_book.ts";
import { islands } from "./testdata/islands.ts";
import { buildSearchIndex, searchEntries } from "./search_index.ts";

const chaptersDir = new URL("./testdata/chapters", import.meta.url).pathname;
const root = new URL("../..", import.meta.url).pathname;

Deno.test("buildSearchIndex: every chapter title, heading and equation label of a book", async () => {
  const book = await loadBook({ chaptersDir, root, islands });
  const index = buildSearchIndex(book);
  for (const c of book.chapters) {
    assert.ok(index.some((e) => e.kind === "chapter" && e.href === `/chapters/${c.slug}`));
    for (const h of c.toc) assert.ok(index.some((e) => e.href === `/chapters/${c.slug}#${h.id}`));
  }
  for (const e of book.equations) {
    assert.ok(index.some((x) => x.kind === "equation" && x.text === `${e.label} (${e.number})`));
  }
  assert.equal(index.filter((e) => e.kind === "equation").length, book.equations.length);
});

Deno.test("searchEntries: all words must match, whole words rank first, limit applies", () => {
  const index = [
    { kind: "equation", text: "eq:elbo-bound (3.1)", chapter: "3", href: "/a" },
    { kind: "heading", text: "Elbows and bounds", chapter: "3", href: "/b" },
    { kind: "chapter", text: "3. The ELBO", chapter: "3", href: "/c" },
  ] as const;
  assert.deepEqual(searchEntries([...index], "ELBO").map((e) => e.href), ["/c", "/a", "/b"]);
  assert.deepEqual(searchEntries([...index], "elbo bound").map((e) => e.href), ["/a", "/b"]);
  assert.deepEqual(searchEntries([...index], "  "), []);
  assert.equal(searchEntries([...index], "e", 2).length, 2);
});
