/**
 * Finding islands at render time. A Preact `options.vnode` hook swaps every vnode whose type is a
 * registered island component for a marker component. When the marker renders inside a page render
 * (a {@linkcode IslandRender} in context) it checks that the props serialise, records them, and
 * wraps the island's server HTML in `<frsh-island data-name data-props style="display:contents">`;
 * a custom element is phrasing content, so an island inside `<p>` keeps valid HTML (Fresh #2121).
 * An island registered to hydrate on interaction also gets `data-hydrate="interaction"`, which the
 * client boot reads (`client/boot.ts`).
 * Islands inside islands render as plain components: the outer island hydrates them.
 *
 * @module
 */
import {
  type ComponentChild,
  type ComponentType,
  createContext,
  h,
  options,
  type VNode,
} from "preact";
import { useContext } from "preact/hooks";
import { serialize } from "./serialize.ts";

/** What one page render collects about the islands it met. */
export interface IslandRender {
  /** Props of each rendered island, in order; `data-props` is the index here. */
  props: unknown[];
  /** Names of the islands used, in order of first use. */
  used: Set<string>;
}

/** Carries the current page's {@linkcode IslandRender} down the tree (none outside a page render). */
export const RenderContext = createContext<IslandRender | null>(null);
const InsideIsland = createContext(false);

// deno-lint-ignore no-explicit-any
type AnyComponent = ComponentType<any>;
/** Every registered island component: its name and when it hydrates. */
const registered = new Map<AnyComponent, { name: string; hydrate: HydrateWhen }>();

/**
 * When an island hydrates in the browser. `"visible"` (the default): when its server HTML comes
 * within about a viewport of view, or on the first touch, whichever comes first. `"interaction"`:
 * only on the first pointerdown or focus inside it, for an island whose server HTML is all there
 * is to see until the reader uses it (a button that starts something), so that a page does not
 * load and run its module just because it is on screen. An island module chooses with
 * `export const hydrate = "interaction";` beside its default export.
 */
export type HydrateWhen = "visible" | "interaction";

/** The values {@linkcode HydrateWhen} allows, for checking an island module's export. */
export const HYDRATE_WHEN: readonly HydrateWhen[] = ["visible", "interaction"];
let bypass = false; // set while the marker creates the real island vnode, so the hook leaves it

interface MarkerProps {
  island: AnyComponent;
  name: string;
  hydrate: HydrateWhen;
  props: Record<string, unknown>;
}

function islandVNode(island: AnyComponent, props: Record<string, unknown>): ComponentChild {
  bypass = true;
  try {
    return h(island, props);
  } finally {
    bypass = false;
  }
}

function IslandMarker({ island, name, hydrate, props }: MarkerProps): ComponentChild {
  const render = useContext(RenderContext);
  const inside = useContext(InsideIsland);
  if (render === null || inside) return islandVNode(island, props);
  try {
    serialize(props, "props");
  } catch (e) {
    throw new TypeError(`Cannot render island ${name} as ${(e as Error).message}`);
  }
  const index = render.props.push(props) - 1;
  render.used.add(name);
  const when = hydrate === "interaction" ? { "data-hydrate": hydrate } : {};
  return h(
    "frsh-island",
    { "data-name": name, "data-props": String(index), ...when, style: "display:contents" },
    h(InsideIsland.Provider, { value: true }, islandVNode(island, props)),
  );
}

const previousHook = options.vnode;
// deno-lint-ignore no-explicit-any
options.vnode = (vnode: VNode<any>) => {
  if (!bypass && typeof vnode.type === "function") {
    const island = registered.get(vnode.type);
    if (island !== undefined) {
      const props = vnode.props as Record<string, unknown>;
      const marker: MarkerProps = { island: vnode.type, ...island, props };
      vnode.props = marker;
      vnode.type = IslandMarker;
    }
  }
  previousHook?.(vnode);
};

/**
 * Registers a component as the island `name`: from now on every vnode of that type is found.
 *
 * @param name The island's name, from its file (`islands/Counter.tsx` -> `Counter`).
 * @param component The island module's default export.
 * @param hydrate When it hydrates in the browser ({@linkcode HydrateWhen}); `"visible"` if omitted.
 *
 * @example
 * ```ts
 * import { h } from "preact";
 * import { renderToString } from "preact-render-to-string";
 * import { islandName, registerIsland } from "./islands.ts";
 * const Hello = () => h("b", null, "hi");
 * registerIsland("Hello", Hello);
 * if (islandName(Hello) !== "Hello") throw new Error("not registered");
 * // outside a page render an island is a plain component
 * if (renderToString(h(Hello, null)) !== "<b>hi</b>") throw new Error("not plain");
 * ```
 */
export function registerIsland(
  name: string,
  component: AnyComponent,
  hydrate: HydrateWhen = "visible",
): void {
  registered.set(component, { name, hydrate });
}

/** The island name of a component, or `undefined` if it is not an island. */
export function islandName(component: AnyComponent): string | undefined {
  return registered.get(component)?.name;
}
