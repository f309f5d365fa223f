/**
 * What route modules export and receive: `page()` (as in Fresh 2), the request context handed to
 * handlers, and the props handed to pages, layouts and the `_app` shell.
 *
 * @module
 */
import type { ComponentType } from "preact";

/** The request as a handler sees it. Handlers put the title and meta for `_app` in `state`. */
export interface Context {
  req: Request;
  url: URL;
  /** Route parameters, percent-decoded. */
  params: Record<string, string>;
  state: Record<string, unknown>;
}

/** Props of a page, a `_layout`, `_app`, `_404` and `_error`. */
export interface PageProps<T = unknown> {
  url: URL;
  params: Record<string, string>;
  data: T;
  state: Record<string, unknown>;
  /** The next component inward: the layouts and page for `_app`, the page for a layout. */
  // deno-lint-ignore no-explicit-any
  Component: ComponentType<any>;
  /** What the route threw (`_error` only). */
  error?: unknown;
}

/** A handler for one method. It returns a Response, or `page(data)` to render the component. */
export type HandlerFn = (ctx: Context) =>
  | Response
  | PageResponse<unknown>
  | Promise<
    Response | PageResponse<unknown>
  >;

/** `export const handler`: one function for every method, or one per method. */
export type Handlers = HandlerFn | Partial<Record<string, HandlerFn>>;

/** Status and headers of a page's HTML response, and whether the layer may keep the result. */
export interface PageInit extends ResponseInit {
  /**
   * When set (and not in dev), the layer renders this key once and then serves the same bytes and
   * ETag: only for pages that the key fully determines (see `page_cache.ts`). 200 answers only.
   */
  cacheKey?: string;
}

/** Asks the layer to render the route's default component with `data`. */
export class PageResponse<T> {
  /**
   * @param data Handed to the page as `props.data`.
   * @param init Status and extra headers of the HTML response.
   */
  constructor(readonly data: T, readonly init: PageInit = {}) {}
}

/**
 * Returns a page response, as Fresh 2's `page()`: the route's component renders with `data`.
 *
 * @param data Handed to the page component as `props.data`.
 * @param init Optional status (e.g. 404), headers and cache key for the HTML response.
 * @returns A {@linkcode PageResponse}.
 *
 * @example
 * ```ts
 * import { page } from "./page.ts";
 * const r = page({ n: 1 }, { status: 404 });
 * if (r.data.n !== 1 || r.init.status !== 404) throw new Error("page() lost its arguments");
 * ```
 */
export function page<T>(data: T, init?: PageInit): PageResponse<T> {
  return new PageResponse(data, init);
}
