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
import type { EncodedBodies } from "./encoding.ts";

/** What a cached page answers with: the body (`body`, `etag`), its copies, status and headers. */
export interface CachedPage extends EncodedBodies {
  status: number;
  /** The response headers except `etag` and `content-length`. */
  headers: [string, string][];
}

/**
 * Keeps at most `capacity` pages; when full, the least recently used one goes.
 *
 * @example
 * ```ts
 * import { PageCache } from "./page_cache.ts";
 * const cache = new PageCache(1);
 * const page = { body: new Uint8Array(1), etag: 'W/"1"', status: 200, headers: [] };
 * cache.set("a", page);
 * cache.set("b", page);
 * if (cache.get("a") !== undefined || cache.get("b") !== page) throw new Error("LRU");
 * ```
 */
export class PageCache {
  #pages = new Map<string, CachedPage>();

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
    const page = this.#pages.get(key);
    if (page) { // re-insert: a Map iterates in insertion order, so the first key is the oldest
      this.#pages.delete(key);
      this.#pages.set(key, page);
    }
    return page;
  }

  /** Keeps `page` under `key`, dropping the least recently used page when full. */
  set(key: string, page: CachedPage): void {
    this.#pages.delete(key);
    if (this.#pages.size >= this.capacity) {
      this.#pages.delete(this.#pages.keys().next().value!);
    }
    this.#pages.set(key, page);
  }

  /** How many pages are kept. */
  get size(): number {
    return this.#pages.size;
  }

  /** The bytes of the bodies kept, copies included (headers not counted). */
  get byteLength(): number {
    let bytes = 0;
    for (const page of this.#pages.values()) {
      bytes += page.body.byteLength + (page.gzip?.body.byteLength ?? 0) +
        (page.br?.body.byteLength ?? 0);
    }
    return bytes;
  }
}
