import assert from "node:assert/strict";
import { page, PageResponse } from "./page.ts";

Deno.test("page: keeps data and init, defaults init to {}", () => {
  const data = { title: "x" };
  const r = page(data, { status: 418, headers: { "x-a": "1" } });
  assert.ok(r instanceof PageResponse);
  assert.equal(r.data, data);
  assert.equal(r.init.status, 418);
  assert.deepEqual(page(undefined).init, {});
});
