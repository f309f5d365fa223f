/**
 * The client boot module: reads the props state the server wrote, finds every
 * `<frsh-island data-name data-props>`, and hydrates each island in place with its revived props,
 * importing its module (URL from the state) only when it is wanted. Bundled as the `boot` entry;
 * it runs only in a browser. One failing island is logged and does not stop the others.
 *
 * Islands hydrate lazily, like Astro's `client:visible`: an island hydrates when its server-rendered
 * markup comes within about one viewport of the visible area, or on the first pointerdown or focus
 * inside it, whichever comes first (islands already in view hydrate at once). Until then the
 * server's HTML is the island's static preview. Clicks, `input` and `change` events inside an
 * island that is still loading are held back and dispatched again once it has hydrated, so an early
 * click or key press is not lost. An island marked `data-hydrate="interaction"` (its module exports
 * `hydrate = "interaction"`: `../islands.ts`) is not watched at all and hydrates only when touched
 * or focused: its module is not even fetched for a reader who never uses it. Without
 * IntersectionObserver every island hydrates at once.
 *
 * @module
 */
import { type ComponentType, h, hydrate, type VNode } from "preact";
import { deserialize } from "../serialize.ts";
import { quietWhileLeaving } from "./leaving.ts";

/** What the server writes into `<script type="application/json" id="__FRSH_STATE">`. */
export interface BootState {
  /** Island name -> module URL. */
  islands: Record<string, string>;
  /** Props by index (`data-props`). */
  props: Record<string, unknown>[];
}

/** An event inside an island, as far as booting needs it. */
export interface IslandEvent {
  type: string;
  target: unknown;
  preventDefault(): void;
  stopPropagation(): void;
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
  /**
   * Calls `near` once when any of `boxes` comes within about one viewport of the visible area;
   * returns a function that stops watching. Absent: every island hydrates at once.
   */
  watch?(boxes: unknown[], near: () => void): () => void;
  /** Dispatches a held-back event again at its target (after the island hydrated). */
  replay?(event: IslandEvent): void;
}

/** An island's wrapper element. */
export interface IslandElement {
  getAttribute(name: string): string | null;
  /** The wrapper's element children: its own box is `display:contents`, so these are watched. */
  children?: ArrayLike<unknown>;
  addEventListener?(type: string, listener: (event: IslandEvent) => void, capture: boolean): void;
  removeEventListener?(
    type: string,
    listener: (event: IslandEvent) => void,
    capture: boolean,
  ): void;
}

/** Events that make an island hydrate at once. */
const WAKE_EVENTS = ["pointerdown", "focusin"];
/** Events held back while an island loads, and dispatched again once it has hydrated. */
const HELD_EVENTS = ["click", "input", "change"];

/**
 * Resolves when `element` should hydrate (near the viewport, or touched), and holds back events
 * until the returned `release` is called.
 */
function wanted(
  element: IslandElement,
  watch: NonNullable<BootEnv["watch"]>,
): Promise<(replay: (event: IslandEvent) => void) => void> {
  const boxes = Array.from(element.children ?? []);
  const held: IslandEvent[] = [];
  return new Promise((resolve) => {
    let woken = false;
    let stopWatching = () => {};
    const listen = (on: boolean) => {
      for (const type of [...WAKE_EVENTS, ...HELD_EVENTS]) {
        if (on) element.addEventListener?.(type, onEvent, true);
        else element.removeEventListener?.(type, onEvent, true);
      }
    };
    const release = (replay: (event: IslandEvent) => void) => {
      listen(false);
      for (const event of held.splice(0)) replay(event);
    };
    const wake = () => {
      if (woken) return;
      woken = true;
      stopWatching();
      resolve(release);
    };
    function onEvent(event: IslandEvent) {
      if (WAKE_EVENTS.includes(event.type)) return wake();
      if (event.type === "click") {
        // Its default action (a checkbox toggling, a form submitting) happens at the replay.
        event.preventDefault();
        event.stopPropagation();
      }
      held.push(event);
      wake();
    }
    listen(true);
    if (element.getAttribute("data-hydrate") === "interaction") return; // only a touch wakes it
    if (boxes.length === 0) return wake(); // nothing to see: nothing to wait for
    stopWatching = watch(boxes, wake);
  });
}

/**
 * Hydrates every island of the page, each when it is wanted (see the module doc); with no `watch`
 * in `env`, all at once.
 *
 * @param env The document, loader and hydrate function, and the viewport watch.
 * @returns The number of islands hydrated, once every island has been tried (with lazy
 *   hydration, that may be never: an island far below the fold waits for the reader).
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
  const hydrateOne = async (element: IslandElement): Promise<number> => {
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
  };
  const elements = Array.from(env.doc.querySelectorAll("frsh-island"));
  const done = await Promise.all(elements.map(async (element) => {
    if (env.watch === undefined) return hydrateOne(element);
    const release = await wanted(element, env.watch);
    const n = await hydrateOne(element);
    release(env.replay ?? (() => {}));
    return n;
  }));
  return done.reduce<number>((a, b) => a + b, 0);
}

/** The browser's watch: one IntersectionObserver per island, one viewport of margin. */
function watchNear(boxes: unknown[], near: () => void): () => void {
  const io = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      io.disconnect();
      near();
    }
  }, { rootMargin: "100% 0px" });
  for (const box of boxes) io.observe(box as Element);
  return () => io.disconnect();
}

/** Dispatches a held-back event again: a real click for clicks, a plain bubbling event else. */
function replayEvent(event: IslandEvent): void {
  const target = event.target as HTMLElement;
  if (event.type === "click" && typeof target.click === "function") target.click();
  else target.dispatchEvent(new Event(event.type, { bubbles: true }));
}

if (typeof document !== "undefined") {
  bootIslands({
    doc: document as unknown as BootEnv["doc"],
    load: (url) => import(url),
    hydrate: (vnode, element) => hydrate(vnode, element as unknown as Element),
    watch: typeof IntersectionObserver === "function" ? watchNear : undefined,
    replay: replayEvent,
    // Gecko rejects the imports still loading when the reader leaves: not an island's fault.
    onError: quietWhileLeaving(globalThis, (message, error) => console.error(message, error)),
  });
}
