/**
 * The client boot module: reads the props state the server wrote, finds every
 * `<frsh-island data-name data-props>`, imports each island's module (URLs from the state) and
 * hydrates it in place with its revived props. Bundled as the `boot` entry; it runs only in a
 * browser. One failing island is logged and does not stop the others.
 *
 * @module
 */
import { type ComponentType, h, hydrate, type VNode } from "preact";
import { deserialize } from "../serialize.ts";

/** What the server writes into `<script type="application/json" id="__FRSH_STATE">`. */
export interface BootState {
  /** Island name -> module URL. */
  islands: Record<string, string>;
  /** Props by index (`data-props`). */
  props: Record<string, unknown>[];
}

/** The little of the DOM and the module loader that booting needs (fakes in tests). */
export interface BootEnv {
  doc: {
    getElementById(id: string): { textContent: string | null } | null;
    querySelectorAll(selector: string): ArrayLike<IslandElement>;
  };
  // deno-lint-ignore no-explicit-any
  load(url: string): Promise<{ default: ComponentType<any> }>;
  hydrate(vnode: VNode, element: IslandElement): void;
  onError?(message: string, error: unknown): void;
}

/** An island's wrapper element. */
export interface IslandElement {
  getAttribute(name: string): string | null;
}

/**
 * Hydrates every island of the page.
 *
 * @param env The document, loader and hydrate function.
 * @returns The number of islands hydrated.
 *
 * @example
 * ```ts
 * import { bootIslands } from "./boot.ts";
 * const n = await bootIslands({
 *   doc: { getElementById: () => null, querySelectorAll: () => [] },
 *   load: () => Promise.reject(new Error("never")),
 *   hydrate: () => {},
 * });
 * if (n !== 0) throw new Error("a page without state hydrates nothing");
 * ```
 */
export async function bootIslands(env: BootEnv): Promise<number> {
  const script = env.doc.getElementById("__FRSH_STATE");
  if (script === null) return 0;
  const state = deserialize(script.textContent ?? "") as BootState;
  const onError = env.onError ?? ((message, error) => console.error(message, error));
  const elements = Array.from(env.doc.querySelectorAll("frsh-island"));
  const done = await Promise.all(elements.map(async (element) => {
    const name = element.getAttribute("data-name") ?? "";
    try {
      const url = state.islands[name];
      if (url === undefined) throw new Error(`no module URL for it in the state`);
      const props = state.props[Number(element.getAttribute("data-props"))];
      const module = await env.load(url);
      env.hydrate(h(module.default, props ?? {}), element);
      return 1;
    } catch (error) {
      onError(`Cannot hydrate island ${name} as ${(error as Error).message}`, error);
      return 0;
    }
  }));
  return done.reduce<number>((a, b) => a + b, 0);
}

if (typeof document !== "undefined") {
  bootIslands({
    doc: document,
    load: (url) => import(url),
    hydrate: (vnode, element) => hydrate(vnode, element as unknown as Element),
  });
}
