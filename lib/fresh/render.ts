/**
 * Renders one HTML page: the `_app` shell around the layouts around the page, islands found and
 * wrapped on the way, and then, only if an island was rendered, the props state and the boot module.
 * A page with no island gets no `<script>` at all. The islands' modules are not preloaded: the boot
 * module imports each one only when its island is wanted (near the viewport or touched).
 *
 * @module
 */
import { type ComponentType, h, type VNode } from "preact";
import { renderToStringAsync } from "preact-render-to-string";
import { type IslandRender, RenderContext } from "./islands.ts";
import type { PageProps } from "./page.ts";
import { serialize } from "./serialize.ts";

// deno-lint-ignore no-explicit-any
type AnyComponent = ComponentType<any>;

/** Everything {@linkcode renderPage} needs. */
export interface RenderInput {
  /** The `_app` shell; a minimal one when absent. */
  app?: AnyComponent;
  /** `_layout` components, outermost first. */
  layouts: AnyComponent[];
  page: AnyComponent;
  props: Omit<PageProps, "Component">;
  /** Island name -> module URL, from the build manifest. */
  islandUrls: Record<string, string>;
  /** URL of the client boot module (needed only when an island renders). */
  boot?: string;
  /** Extra module scripts (the dev reload client) appended before `</body>`. */
  scripts?: string[];
}

function DefaultApp({ Component }: PageProps) {
  return h(
    "html",
    { lang: "en" },
    h("head", null, h("meta", { charset: "utf-8" })),
    h("body", null, h(Component, null)),
  );
}

const isAsync = (c: AnyComponent) => c.constructor?.name === "AsyncFunction";

/**
 * Async components cannot render inside preact-render-to-string, so an async page, layout or app is
 * called (and awaited) before rendering and replaced by a component returning its result.
 */
async function settle(c: AnyComponent, props: PageProps): Promise<AnyComponent> {
  if (!isAsync(c)) return c;
  const vnode = await (c as (p: PageProps) => Promise<VNode>)(props);
  return () => vnode;
}

const escapeAttr = (s: string) =>
  s.replace(/[&"<>]/g, (c) => ({ "&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;" })[c]!);

function insertBeforeBodyEnd(html: string, tail: string): string {
  const at = html.lastIndexOf("</body>");
  return at < 0 ? html + tail : html.slice(0, at) + tail + html.slice(at);
}

/**
 * Renders a page to a full HTML document (with `<!DOCTYPE html>`).
 *
 * @param input The components, props and island URLs.
 * @returns The HTML text.
 * @throws TypeError when an island has a prop that cannot be serialised (naming the island), or
 *   when an island rendered but the manifest has no module for it.
 *
 * @example A page without islands has no script
 * ```ts
 * import { h } from "preact";
 * import { renderPage } from "./render.ts";
 * const html = await renderPage({
 *   layouts: [],
 *   page: () => h("p", null, "hi"),
 *   props: { url: new URL("http://x/"), params: {}, data: undefined, state: {} },
 *   islandUrls: {},
 * });
 * if (!html.includes("<p>hi</p>") || html.includes("<script")) throw new Error(html);
 * ```
 */
export async function renderPage(input: RenderInput): Promise<string> {
  const base = input.props;
  const page = await settle(input.page, { ...base, Component: input.page });
  let current: AnyComponent = () => h(page, { ...base, Component: input.page });
  for (const layout of [...input.layouts].reverse()) {
    const child: AnyComponent = current;
    const settled = await settle(layout, { ...base, Component: child });
    current = () => h(settled, { ...base, Component: child });
  }
  const app = await settle(input.app ?? DefaultApp, { ...base, Component: current });
  const render: IslandRender = { props: [], used: new Set() };
  const tree = h(
    RenderContext.Provider,
    { value: render },
    h(app, { ...base, Component: current }),
  );
  const html = await renderToStringAsync(tree);
  let tail = "";
  if (render.props.length > 0) {
    const urls: Record<string, string> = {};
    for (const name of render.used) {
      const url = input.islandUrls[name];
      if (url === undefined || input.boot === undefined) {
        throw new TypeError(
          `Cannot hydrate island ${name} as the build manifest has no module for it: ` +
            "run `deno task build`",
        );
      }
      urls[name] = url;
    }
    const state = serialize({ islands: urls, props: render.props });
    tail += `<script type="application/json" id="__FRSH_STATE">${state}</script>`;
    tail += `<script type="module" src="${escapeAttr(input.boot!)}"></script>`;
  }
  for (const src of input.scripts ?? []) {
    tail += `<script type="module" src="${escapeAttr(src)}"></script>`;
  }
  return "<!DOCTYPE html>" + insertBeforeBodyEnd(html, tail);
}
