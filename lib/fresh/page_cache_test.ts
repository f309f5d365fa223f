import assert from "node:assert/strict";
import { type CachedPage, PageCache } from "./page_cache.ts";

const page = (n: number): CachedPage => ({
  body: new Uint8Array([n]),
  etag: `W/"${n}"`,
  status: 200,
  headers: [],
});

Deno.test("PageCache keeps at most capacity pages and drops the least recently used", () => {
  const cache = new PageCache(2);
  cache.set("a", page(1));
  cache.set("b", page(2));
  assert.equal(cache.get("a")?.etag, 'W/"1"'); // a is now more recent than b
  cache.set("c", page(3));
  assert.equal(cache.size, 2);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a")?.etag, 'W/"1"');
  assert.equal(cache.get("c")?.etag, 'W/"3"');
});

Deno.test("PageCache: setting a key again replaces it without growing", () => {
  const cache = new PageCache(2);
  cache.set("a", page(1));
  cache.set("a", page(2));
  assert.equal(cache.size, 1);
  assert.equal(cache.get("a")?.etag, 'W/"2"');
});

Deno.test("PageCache refuses a capacity that is not a whole number >= 1", () => {
  assert.throws(() => new PageCache(0), /capacity must be a whole number >= 1: current value is 0/);
  assert.throws(() => new PageCache(1.5), RangeError);
});
