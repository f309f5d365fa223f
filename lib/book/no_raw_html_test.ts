import assert from "node:assert/strict";
import { buildErrors, buildTemp, chapter } from "./testdata/temp_book.ts";

Deno.test("error: block raw HTML [no-raw-html] with file:line", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter("Fine.\n\n<script>alert(1)</script>\n"),
  });
  assert.equal(errors.length, 1);
  assert.equal(errors[0].ruleId, "no-raw-html");
  assert.equal(`${errors[0].file}:${errors[0].line}:${errors[0].column}`, "chapters/01-a.md:8:1");
  assert.match(errors[0].reason, /<script>alert\(1\)<\/script>/);
});

Deno.test("error: inline raw HTML [no-raw-html] with its column", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter('Some <img src=x onerror="alert(1)"> text.\n'),
  });
  assert.equal(errors[0].ruleId, "no-raw-html");
  assert.equal(`${errors[0].line}:${errors[0].column}`, "6:6");
  assert.match(errors[0].reason, /onerror/);
});

Deno.test("error: javascript: link [unsafe-url]", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter(
      "[click](javascript:alert(1)) and ![i](data:image/png;base64,AA)\n",
    ),
  });
  assert.deepEqual(errors.map((e) => [e.ruleId, e.line, e.column]), [
    ["unsafe-url", 6, 1],
    ["unsafe-url", 6, 34],
  ]);
  assert.match(errors[0].reason, /javascript:alert\(1\)/);
});

Deno.test("an HTML comment alone is dropped silently; anything after it is raw HTML", async () => {
  const { book } = await buildTemp({
    "chapters/01-a.md": chapter("<!-- deno-fmt-ignore-file -->\n\nText <!-- inline --> here.\n"),
  });
  assert.equal(
    book?.chapters[0].parts[0].kind === "html" && book.chapters[0].parts[0].html,
    // the chapter's text before its first h2 is a section of its own (lib/book/sections.ts)
    '<section class="part"><div class="chunk"><p>Text  here.</p></div></section>',
  );
  const errors = await buildErrors({
    "chapters/01-a.md": chapter("<!-- a --><script>x</script>\n"),
  });
  assert.equal(`${errors[0].line} ${errors[0].ruleId}`, "6 no-raw-html");
});
