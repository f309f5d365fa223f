import assert from "node:assert/strict";
import { buildErrors, buildTemp, chapter } from "./testdata/temp_book.ts";

Deno.test("exercises are numbered per chapter; callout titles come from the label too", async () => {
  const { book } = await buildTemp({
    "chapters/04-a.md": chapter(
      "::::exercise\nA\n::::\n\n::::exercise\nB\n:::solution\nS\n:::\n::::\n\n:::note[Careful: $t$]\nN\n:::\n",
    ),
  });
  const c = book!.chapters[0];
  assert.equal(c.exerciseCount, 2);
  const html = c.parts[0].kind === "html" ? c.parts[0].html : "";
  assert.deepEqual([...html.matchAll(/<strong>(Exercise [\d.]+)<\/strong>/g)].map((m) => m[1]), [
    "Exercise 4.1",
    "Exercise 4.2",
  ]);
  assert.match(html, /<p class="callout-title">Careful: <span class="katex">/);
});

Deno.test("error: solution outside an exercise, and a second solution [directive-misuse]", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter(
      ":::solution\nLoose.\n:::\n\n::::exercise\nQ\n:::solution\nOne\n:::\n:::solution\nTwo\n:::\n::::\n",
    ),
  });
  assert.deepEqual(errors.map((e) => `${e.line} ${e.ruleId}`), [
    "6 directive-misuse",
    "15 directive-misuse",
  ]);
  assert.match(
    errors[0].reason,
    /in the chapter as a solution must sit directly inside an exercise/,
  );
  assert.match(errors[1].reason, /exercise 1\.1 a second solution/);
});

Deno.test("error: unknown directive [directive-unknown] (a typo must not vanish)", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter("Text.\n\n:::nte\nhi\n:::\n\n::islnd\n"),
  });
  assert.deepEqual(errors.map((e) => `${e.line} ${e.ruleId}`), [
    "8 directive-unknown",
    "12 directive-unknown",
  ]);
  assert.match(
    errors[0].reason,
    /^Unknown directive :::nte: chapters may use ::island, ::figure, ::table, ::code/,
  );
  assert.match(errors[1].reason, /^Unknown directive ::islnd:/);
});
