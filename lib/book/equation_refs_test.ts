import assert from "node:assert/strict";
import { buildErrors, chapter } from "./testdata/temp_book.ts";
import { FIX_HINTS, formatMessage } from "./errors.ts";

Deno.test("error: reference to a missing label [eq-ref-missing], formatted file:line:col", async () => {
  const errors = await buildErrors({
    "chapters/01-x.md": chapter("First line.\n\nAs in [](#eq:nowhere), again.\n"),
  });
  assert.equal(errors.length, 1);
  assert.equal(
    formatMessage(errors[0]),
    "chapters/01-x.md:8:7: Reference to missing equation label eq:nowhere [eq-ref-missing]\n" +
      `  fix: ${FIX_HINTS["eq-ref-missing"]}`,
  );
});
