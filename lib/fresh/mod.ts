/**
 * A small Fresh-compatible layer: file-system routes, `_app`/`_layout`/`_404`/`_error`, islands
 * hydrated from serialised props, bundling with `deno bundle`, static files with ETags, dev reload.
 * It knows nothing about the book.
 *
 * @example
 * ```ts
 * import { createApp, page } from "./mod.ts";
 * const app = await createApp({ root: new URL("./testdata/plain/", import.meta.url) });
 * if (app.routes[0].pattern !== "/") throw new Error("no index route");
 * if (page(1).data !== 1) throw new Error();
 * ```
 *
 * @module
 */
export { type App, type AppOptions, createApp } from "./app.ts";
export { build, type BuildManifest, type BuildOptions } from "./bundle.ts";
export {
  type Context,
  type HandlerFn,
  type Handlers,
  page,
  type PageInit,
  type PageProps,
  PageResponse,
} from "./page.ts";
export {
  allowFraming,
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  type CspOptions,
  EMBED_FRAME_ANCESTORS,
  SECURITY_HEADERS,
} from "./http.ts";
export { deserialize, serialize } from "./serialize.ts";
export { registerIsland } from "./islands.ts";
