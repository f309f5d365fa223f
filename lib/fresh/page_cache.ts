/**
 * A bounded cache of rendered pages. A route opts in by answering `page(data, { cacheKey })`: the
 * layer then renders that key once and serves the same bytes and ETag afterwards, skipping the
 * render, the UTF-8 encoding, the hash and the compression (a page keeps its gzip and brotli copies
 * beside its bytes). Use it only where the key fully determines the page (a chapter of a finished
 * build, say); never in dev, where sources change under the server.
 *
 * Memory: at most `capacity` pages, each its bytes plus the copies; the notation chapter is
 * 226,705 B, 12,199 B gzip and 10,251 B brotli.
 *
 * @module
 */
import type { KeptResponse } from "./http.ts";

/** What a cached page answers with: its body, copies, status and headers, ready to answer. */
export type CachedPage = KeptResponse;

/**
 * Keeps at most `capacity` pages; when full, the least recently used one goes.
 *
 * @example
 * ```ts
 * import { KeptResponse } from "./http.ts";
 * import { PageCache } from "./page_cache.ts";
 * const cache = new PageCache(1);
 * const page = new KeptResponse({ body: new Uint8Array(1), etag: 'W/"1"' });
 * cache.set("a", page);
 * cache.set("b", page);
 * if (cache.get("a") !== undefined || cache.get("b") !== page) throw new Error("LRU");
 * ```
 */
export class PageCache {
  /** Each page with the tick of its last use; a hit writes a number and allocates nothing. */
  #pages = new Map<string, { page: CachedPage; used: number }>();
  #tick = 0;

  /**
   * @param capacity The most pages kept (a whole number of at least 1).
   */
  constructor(readonly capacity = 256) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Cannot create a page cache as the capacity must be a whole number >= 1: current value is ${capacity}`,
      );
    }
  }

  /** The page kept under `key`, now the most recently used; undefined if none. */
  get(key: string): CachedPage | undefined {
    // Not a delete and re-insert: on a hot page that churns the Map's tables at thousands of
    // requests per second, garbage that outlives the young generation and grows the heap.
    const kept = this.#pages.get(key);
    if (kept === undefined) return undefined;
    kept.used = ++this.#tick;
    return kept.page;
  }

  /** Keeps `page` under `key`, dropping the least recently used page when full. */
  set(key: string, page: CachedPage): void {
    this.#pages.delete(key);
    if (this.#pages.size >= this.capacity) { // rare (a miss on a full cache): a linear scan
      let oldest: string | undefined;
      let oldestUse = Infinity;
      for (const [k, { used }] of this.#pages) {
        if (used < oldestUse) [oldest, oldestUse] = [k, used];
      }
      this.#pages.delete(oldest!);
    }
    this.#pages.set(key, { page, used: ++this.#tick });
  }

  /** How many pages are kept. */
  get size(): number {
    return this.#pages.size;
  }

  /** The bytes of the bodies kept, copies included (headers not counted). */
  get byteLength(): number {
    let bytes = 0;
    for (const { page: { bodies } } of this.#pages.values()) {
      bytes += bodies.body.byteLength + (bodies.gzip?.body.byteLength ?? 0) +
        (bodies.br?.body.byteLength ?? 0);
    }
    return bytes;
  }
}
