import assert from "node:assert/strict";
import { encodeBodies } from "./encoding.ts";
import { KeptResponse } from "./http.ts";
import { type CachedPage, PageCache } from "./page_cache.ts";

const page = (n: number): CachedPage =>
  new KeptResponse({ body: new Uint8Array([n]), etag: `W/"${n}"` });

Deno.test("PageCache keeps at most capacity pages and drops the least recently used", () => {
  const cache = new PageCache(2);
  cache.set("a", page(1));
  cache.set("b", page(2));
  assert.equal(cache.get("a")?.bodies.etag, 'W/"1"'); // a is now more recent than b
  cache.set("c", page(3));
  assert.equal(cache.size, 2);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a")?.bodies.etag, 'W/"1"');
  assert.equal(cache.get("c")?.bodies.etag, 'W/"3"');
});

Deno.test("PageCache: setting a key again replaces it without growing", () => {
  const cache = new PageCache(2);
  cache.set("a", page(1));
  cache.set("a", page(2));
  assert.equal(cache.size, 1);
  assert.equal(cache.get("a")?.bodies.etag, 'W/"2"');
});

Deno.test("PageCache refuses a capacity that is not a whole number >= 1", () => {
  assert.throws(() => new PageCache(0), /capacity must be a whole number >= 1: current value is 0/);
  assert.throws(() => new PageCache(1.5), RangeError);
});

Deno.test("PageCache.byteLength counts each page's body and its compressed copies", () => {
  const cache = new PageCache(2);
  const body = new TextEncoder().encode("alphaBar ".repeat(200));
  const bodies = encodeBodies(body, 'W/"a"');
  cache.set("a", new KeptResponse(bodies));
  cache.set("b", page(1));
  const expected = body.byteLength + bodies.gzip!.body.byteLength + bodies.br!.body.byteLength + 1;
  assert.equal(cache.byteLength, expected);
});
