import assert from "node:assert/strict";
import { copy } from "./testdata/copy.ts";
import { BookBuildError, FIX_HINTS } from "./errors.ts";
import { equationIndex, loadBook } from "./load_book.ts";
import { islands } from "./testdata/islands.ts";
import { buildErrors, buildTemp, chapter } from "./testdata/temp_book.ts";

Deno.test("error: bad chapter file name [chapter-file-name]", async () => {
  const errors = await buildErrors({
    "chapters/01-good.md": chapter("Fine."),
    "chapters/2-Intro.md": chapter("Bad name."),
    "chapters/notes.md": "scratch",
    "chapters/readme.txt": "not markdown: ignored",
  });
  assert.deepEqual(errors.map((e) => `${e.file}:${e.line} ${e.ruleId}`), [
    "chapters/2-Intro.md:1 chapter-file-name",
    "chapters/notes.md:1 chapter-file-name",
  ]);
  assert.match(
    errors[0].reason,
    /Cannot use 2-Intro\.md as a chapter as chapter files are named NN-slug\.md/,
  );
});

Deno.test("error: duplicate slug [chapter-slug-unique] and number [chapter-number-unique]", async () => {
  const errors = await buildErrors({
    "chapters/01-intro.md": chapter("A."),
    "chapters/02-intro.md": chapter("B."),
    "chapters/01-other.md": chapter("C."),
  });
  assert.deepEqual(errors.map((e) => `${e.file}:${e.line} ${e.ruleId}: ${e.reason}`), [
    "chapters/01-other.md:1 chapter-number-unique: Chapter number 1 is also used by chapters/01-intro.md",
    "chapters/02-intro.md:1 chapter-slug-unique: Chapter slug intro is also used by chapters/01-intro.md",
  ]);
});

Deno.test("BookBuildError lists every problem of every chapter, one a line, sorted", async () => {
  const { message } = await buildTemp({
    "chapters/02-b.md": chapter("[](#eq:gone)\n"),
    "chapters/01-a.md": chapter('a<br>b\n\n::island{name="Nope"}\n'),
  });
  assert.equal(
    message,
    "Cannot build the book as 3 problems were found:\n" +
      "chapters/01-a.md:6:2: Cannot use raw HTML in a chapter as the site renders Markdown only: " +
      'current value is "<br>" [no-raw-html]\n' +
      `  fix: ${FIX_HINTS["no-raw-html"]}\n` +
      'chapters/01-a.md:8:1: Unknown island "Nope": known islands are Demo, Planned [island-unknown]\n' +
      `  fix: ${FIX_HINTS["island-unknown"]}\n` +
      "chapters/02-b.md:6:1: Reference to missing equation label eq:gone [eq-ref-missing]\n" +
      `  fix: ${FIX_HINTS["eq-ref-missing"]}`,
  );
});

Deno.test("equationIndex lists every labelled equation in book order", async () => {
  const { book } = await buildTemp({
    "chapters/02-b.md": chapter("$$ {#eq:b1}\ny\n$$\n"),
    "chapters/01-a.md": chapter("$$ {#eq:a1}\nx\n$$\n\n$$ {#eq:a2}\nz\n$$\n"),
  });
  assert.ok(book);
  assert.deepEqual(equationIndex(book), [
    {
      chapter: "a",
      chapterNumber: 1,
      label: "eq:a1",
      number: "1.1",
      latex: "x",
      file: "chapters/01-a.md",
      line: 6,
    },
    {
      chapter: "a",
      chapterNumber: 1,
      label: "eq:a2",
      number: "1.2",
      latex: "z",
      file: "chapters/01-a.md",
      line: 10,
    },
    {
      chapter: "b",
      chapterNumber: 2,
      label: "eq:b1",
      number: "2.1",
      latex: "y",
      file: "chapters/02-b.md",
      line: 6,
    },
  ]);
});

Deno.test("cache: an unchanged book is not re-rendered; a change re-renders what it touches", async () => {
  const root = await Deno.makeTempDir({ prefix: "book_cache_" });
  try {
    await copy(new URL("./testdata/chapters/", import.meta.url).pathname, `${root}/chapters`);
    await Deno.mkdir(`${root}/engine`);
    await Deno.copyFile(
      new URL("../../engine/schedule.ts", import.meta.url),
      `${root}/engine/schedule.ts`,
    );
    const opts = { chaptersDir: `${root}/chapters`, root, islands };
    const a = await loadBook(opts);
    const b = await loadBook(opts);
    assert.equal(a.chapters[0], b.chapters[0], "the same chapter object, from the cache");
    assert.equal(a.chapters[1], b.chapters[1]);

    // renumber chapter 2's equation: chapter 1 cites it, so both chapters re-render
    const second = `${root}/chapters/02-second.md`;
    const text = await Deno.readTextFile(second);
    await Deno.writeTextFile(
      second,
      text.replace("## The loss", () => "$$ {#eq:second-new}\nz\n$$\n\n## The loss"),
    );
    const c = await loadBook(opts);
    assert.notEqual(c.chapters[0], b.chapters[0]);
    const ref = c.chapters[0].parts.map((p) => (p.kind === "html" ? p.html : "")).join("");
    assert.ok(ref.includes('<a href="/chapters/second#eq:second-loss" class="eq-ref">(2.2)</a>'));

    // an edited excerpt source re-renders the chapter that quotes it
    await Deno.writeTextFile(
      `${root}/engine/schedule.ts`,
      "export function linearSchedule() {\n}\n",
    );
    await Deno.utime(`${root}/engine/schedule.ts`, new Date(), new Date(Date.now() + 5000));
    const d = await loadBook(opts);
    assert.notEqual(d.chapters[0], c.chapters[0]);
    assert.equal(d.chapters[1], c.chapters[1]);
    assert.ok(d.chapters[0].parts.some((p) => p.kind === "html" && p.html.includes("#L1-L2")));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a broken book throws BookBuildError, not a generic error", async () => {
  const root = await Deno.makeTempDir({ prefix: "book_err_" });
  try {
    await Deno.mkdir(`${root}/chapters`);
    await Deno.writeTextFile(`${root}/chapters/01-a.md`, "no front matter");
    await assert.rejects(
      () => loadBook({ chaptersDir: `${root}/chapters`, root, islands }),
      BookBuildError,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
