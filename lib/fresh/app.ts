/**
 * `createApp()`: reads `routes/` and `islands/`, imports every module at start-up, and returns an
 * app whose `handler()` answers requests (tests call it directly, no socket). Order per request:
 * URLs over `MAX_URL_LENGTH` (414), dev URLs (dev only), static files, routes, then `_404`. A route
 * that throws is logged and answered with `_error` (status 500).
 *
 * @module
 */
import type { ComponentType } from "preact";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type BuildManifest, displayPath } from "./bundle.ts";
import { devRoutes, RELOAD_PATH } from "./dev.ts";
import { encodeBodies, isCompressible } from "./encoding.ts";
import { isValidHost } from "./host.ts";
import {
  htmlResponse,
  KeptResponse,
  MAX_URL_LENGTH,
  plainText,
  withSecurityHeaders,
} from "./http.ts";
import { type CachedPage, PageCache } from "./page_cache.ts";
import { HYDRATE_WHEN, registerIsland } from "./islands.ts";
import {
  type Context,
  type HandlerFn,
  type Handlers,
  page,
  type PageProps,
  PageResponse,
} from "./page.ts";
import { findIslands, resolveIn, rootPath } from "./project.ts";
import { renderPage } from "./render.ts";
import { layoutDirs, matchSegments, type RouteFile, scanRoutes, splitPath } from "./router.ts";
import { staticFiles } from "./static.ts";

/** Options of {@linkcode createApp}. */
export interface AppOptions {
  /** Project root holding `routes/`, `islands/`, `static/`. */
  root: string | URL;
  /** Where `build()` wrote its output, relative to root unless absolute; default `_build`. */
  buildDir?: string;
  /** Dev mode: bundle at start-up, inject the live-reload client, no immutable caching. */
  dev?: boolean;
  /** More folders served like `static/`, relative to root unless absolute. */
  extraStatic?: string[];
  /** Extra bundle entries for the dev build (as `build()`'s `entries`). */
  entries?: Record<string, string>;
  /**
   * URL prefix the app is served under, as Fresh's `basePath` (e.g. `/course/diffusion`, no
   * trailing slash; default `""`). Requests outside it get the 404 page; routes and static files
   * match the path after it; island and boot URLs get it in front. Pages build their own links.
   */
  basePath?: string;
}

/** A created app. */
export interface App {
  /** The request handler: `Deno.serve(app.handler())`, or call it in tests. */
  handler(): (req: Request) => Promise<Response>;
  /** The routes in matching order, with their files relative to the root. */
  routes: { pattern: string; file: string }[];
  /** The page cache so far: pages kept, and answers from it (hits) or rendered into it (misses). */
  readonly pageCache: { pages: number; hits: number; misses: number };
}

// deno-lint-ignore no-explicit-any
type AnyComponent = ComponentType<any>;

interface RouteModule {
  default?: AnyComponent;
  handler?: Handlers;
  handlers?: Handlers;
}

interface LoadedRoute extends RouteFile {
  module: RouteModule;
  layouts: AnyComponent[];
}

const text = plainText;

const FALLBACK_404 = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
  "<title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>";

async function readManifest(root: string, buildDir: string): Promise<BuildManifest> {
  try {
    return JSON.parse(await Deno.readTextFile(join(buildDir, "manifest.json")));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new Error(
      `Cannot serve islands as the build folder ${displayPath(root, buildDir)} has no ` +
        "manifest.json: run `deno task build`",
    );
  }
}

/**
 * The handler of `method` in a handlers object: its own property only, so that a method named
 * `constructor` or `toString` does not find `Object.prototype`'s function.
 */
function ownHandler(handlers: Partial<Record<string, HandlerFn>>, method: string) {
  const fn = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
  return typeof fn === "function" ? fn : undefined;
}

function allowed(handlers: Handlers | undefined): string[] {
  if (handlers === undefined) return ["GET", "HEAD"];
  const methods = Object.keys(handlers).filter((m) =>
    ownHandler(handlers as Partial<Record<string, HandlerFn>>, m) !== undefined
  ).map((m) => m.toUpperCase());
  if (methods.includes("GET") && !methods.includes("HEAD")) methods.push("HEAD");
  return methods;
}

function withoutBody(res: Response): Response {
  res.body?.cancel().catch(() => {});
  return new Response(null, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}

/**
 * Creates the app for a project.
 *
 * @param opts Root, build folder, dev mode, extra static folders.
 * @returns The app.
 * @throws Error when islands exist but the build folder has no manifest (production), when a
 *   manifest lacks an island, or when an island file has no default export.
 *
 * @example A project without islands needs no build
 * ```ts
 * import { createApp } from "./app.ts";
 * const app = await createApp({ root: new URL("./testdata/plain/", import.meta.url) });
 * const res = await app.handler()(new Request("http://localhost/"));
 * const html = await res.text();
 * if (!html.includes("no islands here") || html.includes("<script")) throw new Error(html);
 * ```
 */
export async function createApp(opts: AppOptions): Promise<App> {
  const root = rootPath(opts.root);
  const buildDir = resolveIn(root, opts.buildDir ?? "_build");
  const dev = opts.dev ?? false;
  const basePath = (opts.basePath ?? "").replace(/\/+$/, "");
  if (basePath !== "" && !basePath.startsWith("/")) {
    throw new Error(
      `Cannot serve under basePath as it must start with "/": current value is ${basePath}`,
    );
  }
  const routesDir = join(root, "routes");
  const tree = await scanRoutes(routesDir);
  const load = async (file: string): Promise<RouteModule> =>
    await import(pathToFileURL(join(routesDir, file)).href);
  const component = async (file?: string) => file ? (await load(file)).default : undefined;
  const layoutOf = new Map<string, AnyComponent>();
  for (const [dir, file] of tree.layouts) {
    const layout = await component(file);
    if (layout) layoutOf.set(dir, layout);
  }
  const layoutsFor = (dir: string) =>
    layoutDirs(dir).map((d) => layoutOf.get(d)).filter((l): l is AnyComponent => !!l);
  const routes: LoadedRoute[] = [];
  for (const r of tree.routes) {
    routes.push({ ...r, module: await load(r.file), layouts: layoutsFor(r.dir) });
  }
  const appShell = await component(tree.app);
  const notFoundPage = await component(tree.notFound);
  const errorPage = await component(tree.error);

  const islands = await findIslands(root);
  for (const { name, file } of islands) {
    const mod = await import(pathToFileURL(file).href);
    if (typeof mod.default !== "function") {
      const where = displayPath(root, file);
      throw new Error(`Cannot register island ${name} as ${where} has no default export component`);
    }
    const hydrate = mod.hydrate ?? "visible";
    if (!HYDRATE_WHEN.includes(hydrate)) {
      const where = displayPath(root, file);
      const expected = HYDRATE_WHEN.map((w) => JSON.stringify(w)).join(" or ");
      throw new Error(
        `Cannot register island ${name} as ${where} exports an unknown hydrate: current value ` +
          `is ${JSON.stringify(hydrate)}, expected ${expected}`,
      );
    }
    registerIsland(name, mod.default, hydrate);
  }
  let manifest: BuildManifest | undefined;
  if (islands.length > 0) {
    manifest = dev
      ? await build({ root, outDir: buildDir, minify: false, entries: opts.entries })
      : await readManifest(root, buildDir);
    for (const { name } of islands) {
      if (manifest.islands?.[name] === undefined) {
        throw new Error(
          `Cannot serve island ${name} as ${displayPath(root, buildDir)}/manifest.json has no ` +
            "module for it: run `deno task build`",
        );
      }
    }
  }

  const statics = staticFiles(
    [
      join(root, "static"),
      join(buildDir, "static"),
      ...(opts.extraStatic ?? []).map((p) => resolveIn(root, p)),
    ],
    { dev },
  );
  const devRoute = dev ? devRoutes(crypto.randomUUID()) : () => null;
  const pageCache = new PageCache();
  const pageFills = new Map<string, Promise<CachedPage>>();
  const cacheCounts = { hits: 0, misses: 0 };

  const renderHtml = async (
    req: Request,
    pageComponent: AnyComponent,
    layouts: AnyComponent[],
    props: Omit<PageProps, "Component">,
    init: ResponseInit,
  ) => {
    const html = await renderPage({
      app: appShell,
      layouts,
      page: pageComponent,
      props,
      islandUrls: Object.fromEntries(
        Object.entries(manifest?.islands ?? {}).map(([name, url]) => [name, basePath + url]),
      ),
      boot: manifest?.boot && basePath + manifest.boot,
      scripts: dev ? [basePath + RELOAD_PATH] : [],
    });
    return await htmlResponse(req, html, init);
  };

  const renderError = async (req: Request, ctx: Context, error: unknown, where: string) => {
    console.error(`Error answering ${req.method} ${ctx.url.pathname} (${where}):`, error);
    if (errorPage) {
      const props = { url: ctx.url, params: ctx.params, data: undefined, state: ctx.state, error };
      try {
        return await renderHtml(req, errorPage, layoutsFor(""), props, { status: 500 });
      } catch (again) {
        console.error("Error rendering routes/_error:", again);
      }
    }
    return text("Internal Server Error", 500);
  };

  const notFound = async (req: Request, url: URL) => {
    const ctx: Context = { req, url, params: {}, state: {} };
    if (!notFoundPage) return await htmlResponse(req, FALLBACK_404, { status: 404 });
    try {
      const props = { url, params: {}, data: undefined, state: ctx.state };
      return await renderHtml(req, notFoundPage, layoutsFor(""), props, { status: 404 });
    } catch (error) {
      return await renderError(req, ctx, error, "routes/_404");
    }
  };

  const runRoute = async (req: Request, route: LoadedRoute, ctx: Context) => {
    const { module } = route;
    const handlers = module.handler ?? module.handlers;
    const head = req.method === "HEAD";
    let fn: HandlerFn | undefined;
    if (typeof handlers === "function") fn = handlers;
    else if (handlers !== undefined) {
      fn = ownHandler(handlers, req.method) ?? (head ? ownHandler(handlers, "GET") : undefined);
    }
    if (fn === undefined) { // (worked out only here: it is not free, and most requests have fn)
      const methods = allowed(handlers);
      if (handlers !== undefined || !methods.includes(req.method)) {
        return text("Method Not Allowed", 405, { allow: methods.join(", ") });
      }
    }
    const result = fn ? await fn(ctx) : page(undefined);
    if (result instanceof Response) {
      return head ? withoutBody(withSecurityHeaders(result)) : withSecurityHeaders(result);
    }
    if (!(result instanceof PageResponse)) {
      throw new TypeError(
        `Cannot answer ${req.method} ${ctx.url.pathname} as the handler of routes/${route.file} ` +
          `returned ${result === null ? "null" : typeof result}: return a Response or page(data)`,
      );
    }
    if (!module.default) {
      throw new TypeError(
        `Cannot render routes/${route.file} as it has no default export component`,
      );
    }
    const props = { url: ctx.url, params: ctx.params, data: result.data, state: ctx.state };
    const { cacheKey, ...init } = result.init;
    if (dev || cacheKey === undefined || (init.status ?? 200) !== 200) {
      return await renderHtml(req, module.default, route.layouts, props, init);
    }
    let cached = pageCache.get(cacheKey);
    if (cached) cacheCounts.hits++;
    else { // render once per key, even when many requests ask for it at the same time
      let filling = pageFills.get(cacheKey);
      if (!filling) {
        cacheCounts.misses++;
        filling = fillPage(req, cacheKey, route, props, init);
        pageFills.set(cacheKey, filling);
        filling.finally(() => pageFills.delete(cacheKey)).catch(() => {});
      }
      cached = await filling;
    }
    return cached.respond(req);
  };

  /** Renders a cacheable page as a plain GET (no If-None-Match, a body) and keeps it compressed. */
  const fillPage = async (
    req: Request,
    cacheKey: string,
    route: LoadedRoute,
    props: Omit<PageProps, "Component">,
    init: ResponseInit,
  ): Promise<CachedPage> => {
    const full = await renderHtml(
      new Request(req.url),
      route.module.default!,
      route.layouts,
      props,
      init,
    );
    const body = new Uint8Array(await full.arrayBuffer());
    const type = full.headers.get("content-type") ?? "";
    const cached = new KeptResponse(
      encodeBodies(body, full.headers.get("etag")!, isCompressible(type)),
      { status: full.status, headers: full.headers },
    );
    pageCache.set(cacheKey, cached);
    return cached;
  };

  const handle = async (req: Request): Promise<Response> => {
    // Deno's req.url is "http://" + Host + target: check the Host before trusting the URL.
    const host = req.headers.get("host");
    if (host !== null && host !== "" && !isValidHost(host)) {
      return text("Bad Request: the Host header must be a host name or address with a port", 400);
    }
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return text("Bad Request: malformed request URL", 400);
    }
    if (url.pathname.length + url.search.length > MAX_URL_LENGTH) {
      return text("URI Too Long", 414);
    }
    // The path inside the base path: what routes and static files match against.
    const local = basePath === "" ? url : new URL(url);
    if (basePath !== "") {
      if (url.pathname === basePath) {
        return new Response(null, {
          status: 308,
          headers: { location: `${basePath}/${url.search}` },
        });
      }
      if (!url.pathname.startsWith(`${basePath}/`)) return await notFound(req, url);
      local.pathname = url.pathname.slice(basePath.length);
    }
    const devResponse = devRoute(local);
    if (devResponse) return devResponse;
    const file = await statics(req, local);
    if (file) return file;
    let path: string[];
    try {
      path = splitPath(local.pathname);
    } catch {
      return text("Bad Request: malformed URL escape", 400);
    }
    for (const route of routes) {
      const params = matchSegments(route.segments, path);
      if (params === null) continue;
      const ctx: Context = { req, url, params, state: {} };
      try {
        return await runRoute(req, route, ctx);
      } catch (error) {
        return await renderError(req, ctx, error, `routes/${route.file}`);
      }
    }
    return await notFound(req, url);
  };

  return {
    handler: () => async (req) => {
      try {
        return await handle(req);
      } catch (error) { // a bug in this layer: still never leak a trace
        console.error(`Error answering ${req.method} ${req.url}:`, error);
        return text("Internal Server Error", 500);
      }
    },
    routes: routes.map((r) => ({ pattern: r.pattern, file: `routes/${r.file}` })),
    get pageCache() {
      return { pages: pageCache.size, ...cacheCounts };
    },
  };
}
