import assert from "node:assert/strict";
import { buildErrors, buildTemp, chapter } from "./testdata/temp_book.ts";

const engine = "/** Docs. */\nexport function present(x: number): number {\n  return x + 1;\n}\n";

Deno.test("code excerpt from a project file, linked with its lines", async () => {
  const { book } = await buildTemp({
    "engine/mini.ts": engine,
    "chapters/01-a.md": chapter('::code{src="engine/mini.ts" symbol="present"}\n'),
  });
  const html = book?.chapters[0].parts[0];
  assert.ok(html?.kind === "html");
  assert.ok(
    html.html.includes('<a href="/source/engine/mini.ts#L2-L4"><code>engine/mini.ts</code></a>'),
  );
  assert.ok(html.html.includes('--shiki-dark:#B392F0"> present</span>'), "the name is highlighted");
  assert.ok(!html.html.includes("Docs."));
});

Deno.test("error: missing excerpt symbol [code-excerpt]", async () => {
  const errors = await buildErrors({
    "engine/mini.ts": engine,
    "chapters/01-a.md": chapter('Text.\n\n::code{src="engine/mini.ts" symbol="absent"}\n'),
  });
  assert.equal(errors.length, 1);
  assert.equal(
    `${errors[0].file}:${errors[0].line} ${errors[0].ruleId}`,
    "chapters/01-a.md:8 code-excerpt",
  );
  assert.equal(
    errors[0].reason,
    "Cannot excerpt code as engine/mini.ts exports no declaration named absent",
  );
});

Deno.test("error: missing excerpt file, or a path outside the project [code-excerpt]", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter(
      '::code{src="engine/gone.ts" symbol="x"}\n\n::code{src="../../etc/passwd" symbol="root"}\n\n' +
        '::code{src="engine/gone.ts"}\n',
    ),
  });
  assert.deepEqual(errors.map((e) => [e.line, e.ruleId]), [
    [6, "code-excerpt"],
    [8, "code-excerpt"],
    [
      10,
      "code-excerpt",
    ],
  ]);
  assert.match(errors[0].reason, /file engine\/gone\.ts does not exist/);
  assert.match(errors[1].reason, /outside the project: current value is \.\.\/\.\.\/etc\/passwd/);
  assert.match(errors[2].reason, /needs src and symbol/);
});

Deno.test("error: unknown code block language [code-lang]", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter("~~~typescriptish\nlet a = 1;\n~~~\n"),
  });
  assert.equal(`${errors[0].line} ${errors[0].ruleId}`, "6 code-lang");
  assert.match(errors[0].reason, /"typescriptish"/);
});
