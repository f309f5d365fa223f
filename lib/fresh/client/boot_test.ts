import assert from "node:assert/strict";
import type { VNode } from "preact";
import { serialize } from "../serialize.ts";
import { type BootEnv, bootIslands, type IslandElement, type IslandEvent } from "./boot.ts";

function element(name: string, index: number): IslandElement {
  const attrs: Record<string, string> = { "data-name": name, "data-props": String(index) };
  return { getAttribute: (n) => attrs[n] ?? null };
}

function Counter() {
  return null;
}
function Chart() {
  return null;
}

Deno.test("bootIslands: loads each island's module and hydrates it with revived props", async () => {
  const state = serialize({
    islands: { Counter: "/c.js", Chart: "/ch.js" },
    props: [{ start: 3 }, { data: new Float64Array([1, NaN]) }, { start: -0 }],
  });
  const elements = [element("Counter", 0), element("Chart", 1), element("Counter", 2)];
  const loaded: string[] = [];
  const hydrated: { el: IslandElement; vnode: VNode }[] = [];
  const env: BootEnv = {
    doc: {
      getElementById: (id) => (id === "__FRSH_STATE" ? { textContent: state } : null),
      querySelectorAll: (sel) => (sel === "frsh-island" ? elements : []),
    },
    load: (url) => {
      loaded.push(url);
      return Promise.resolve({ default: url === "/c.js" ? Counter : Chart });
    },
    hydrate: (vnode, el) => hydrated.push({ el, vnode }),
  };
  assert.equal(await bootIslands(env), 3);
  assert.deepEqual(loaded.sort(), ["/c.js", "/c.js", "/ch.js"]);
  // deno-lint-ignore no-explicit-any
  const byEl = (i: number) => hydrated.find((x) => x.el === elements[i])!.vnode as VNode<any>;
  assert.equal(byEl(0).type, Counter);
  assert.deepEqual(byEl(0).props, { start: 3 });
  assert.equal(byEl(1).type, Chart);
  const data = (byEl(1).props as { data: Float64Array }).data;
  assert.ok(data instanceof Float64Array && data[0] === 1 && Number.isNaN(data[1]));
  assert.ok(Object.is((byEl(2).props as { start: number }).start, -0));
});

Deno.test("bootIslands: one failing island is reported, the others still hydrate", async () => {
  const state = serialize({ islands: { Counter: "/c.js", Broken: "/b.js" }, props: [{}, {}, {}] });
  const errors: string[] = [];
  let hydrated = 0;
  const n = await bootIslands({
    doc: {
      getElementById: () => ({ textContent: state }),
      querySelectorAll: () => [element("Broken", 0), element("Counter", 1), element("Ghost", 2)],
    },
    load: (url) =>
      url === "/b.js"
        ? Promise.reject(new Error("404 for /b.js"))
        : Promise.resolve({ default: Counter }),
    hydrate: () => hydrated++,
    onError: (message) => errors.push(message),
  });
  assert.equal(n, 1);
  assert.equal(hydrated, 1);
  assert.deepEqual(errors.sort(), [
    "Cannot hydrate island Broken as 404 for /b.js",
    "Cannot hydrate island Ghost as no module URL for it in the state",
  ]);
});

/** An island wrapper with one child box and listeners the test can fire. */
function lazyElement(name: string, index: number, boxes = 1, extra: Record<string, string> = {}) {
  const attrs: Record<string, string> = {
    "data-name": name,
    "data-props": String(index),
    ...extra,
  };
  const listeners = new Map<string, (event: IslandEvent) => void>();
  const el: IslandElement = {
    getAttribute: (n) => attrs[n] ?? null,
    children: Array.from({ length: boxes }, (_, i) => `${name}-box-${i}`),
    addEventListener: (type, listener, capture) => {
      assert.equal(capture, true, "listens in the capture phase, before the island's own handlers");
      listeners.set(type, listener);
    },
    removeEventListener: (type, listener) => {
      if (listeners.get(type) === listener) listeners.delete(type);
    },
  };
  const fire = (type: string, target = `${name}-button`) => {
    const event = { type, target, prevented: false, stopped: false };
    listeners.get(type)?.({
      type,
      target,
      preventDefault: () => void (event.prevented = true),
      stopPropagation: () => void (event.stopped = true),
    });
    return event;
  };
  return { el, fire, listeners };
}

/** A page of lazy islands with a fake viewport watch and loader. */
function lazyPage(islands: ReturnType<typeof lazyElement>[]) {
  const state = serialize({
    islands: Object.fromEntries(islands.map((i) => [i.el.getAttribute("data-name"), "/x.js"])),
    props: islands.map(() => ({})),
  });
  const watched = new Map<string, () => void>();
  const stopped: string[] = [];
  const hydrated: string[] = [];
  const replayed: string[] = [];
  const loads: ((m: { default: typeof Counter }) => void)[] = [];
  const env: BootEnv = {
    doc: {
      getElementById: () => ({ textContent: state }),
      querySelectorAll: () => islands.map((i) => i.el),
    },
    load: () => new Promise((resolve) => loads.push(resolve)),
    hydrate: (_vnode, el) => hydrated.push(el.getAttribute("data-name")!),
    watch: (boxes, near) => {
      for (const b of boxes) watched.set(String(b), near);
      return () => stopped.push(...boxes.map(String));
    },
    replay: (event) => replayed.push(`${event.type}@${event.target}`),
  };
  return { env, watched, stopped, hydrated, replayed, loads };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

Deno.test("bootIslands (lazy): an island loads only when its box comes near the viewport", async () => {
  const above = lazyElement("Above", 0);
  const below = lazyElement("Below", 1, 2);
  const page = lazyPage([above, below]);
  let total: number | undefined;
  bootIslands(page.env).then((n) => total = n);
  await settle();
  assert.deepEqual([...page.watched.keys()], ["Above-box-0", "Below-box-0", "Below-box-1"]);
  assert.equal(page.loads.length, 0, "nothing loads before the watch reports");
  page.watched.get("Above-box-0")!(); // in view at load: the observer's first report
  await settle();
  assert.equal(page.loads.length, 1);
  page.loads[0]({ default: Counter });
  await settle();
  assert.deepEqual(page.hydrated, ["Above"]);
  assert.deepEqual(page.stopped, ["Above-box-0"], "the watch stops once the island is wanted");
  assert.equal(above.listeners.size, 0, "no listeners left on a hydrated island");
  assert.equal(total, undefined, "the island below the fold still waits");
  page.watched.get("Below-box-1")!(); // scrolled to: any of its boxes counts
  await settle();
  page.loads[1]({ default: Counter });
  await settle();
  assert.deepEqual(page.hydrated, ["Above", "Below"]);
  assert.equal(total, 2);
});

Deno.test("bootIslands (lazy): pointerdown or focus wakes an island; early clicks replay after hydration", async () => {
  const a = lazyElement("A", 0);
  const b = lazyElement("B", 1);
  const page = lazyPage([a, b]);
  bootIslands(page.env);
  await settle();
  const down = a.fire("pointerdown");
  assert.equal(down.prevented, false, "pointerdown itself is left alone");
  await settle();
  assert.equal(page.loads.length, 1, "pressing inside the island starts loading it");
  const click = a.fire("click");
  assert.ok(click.prevented && click.stopped, "a click before hydration is held back");
  const input = a.fire("input", "A-slider");
  assert.equal(input.prevented, false);
  assert.deepEqual(page.replayed, [], "nothing replays before hydration");
  page.loads[0]({ default: Counter });
  await settle();
  assert.deepEqual(page.hydrated, ["A"]);
  assert.deepEqual(page.replayed, ["click@A-button", "input@A-slider"], "replayed in order, once");
  assert.equal(a.fire("click").prevented, false, "after hydration clicks go straight through");
  b.fire("focusin"); // keyboard focus wakes too
  await settle();
  assert.equal(page.loads.length, 2);
  assert.deepEqual(page.stopped, ["A-box-0", "B-box-0"]);
  page.watched.get("B-box-0")!(); // a late report from the watch does not load twice
  await settle();
  assert.equal(page.loads.length, 2);
});

Deno.test("bootIslands (lazy): a change before hydration also wakes; a failed load still releases", async () => {
  const a = lazyElement("A", 0);
  const errors: string[] = [];
  const page = lazyPage([a]);
  page.env.load = () => Promise.reject(new Error("offline"));
  page.env.onError = (message) => errors.push(message);
  const n = bootIslands(page.env);
  await settle();
  a.fire("change", "A-select");
  assert.equal(await n, 0);
  assert.deepEqual(errors, ["Cannot hydrate island A as offline"]);
  assert.deepEqual(page.replayed, ["change@A-select"]);
  assert.equal(a.listeners.size, 0);
});

Deno.test("bootIslands (lazy): an island with no box of its own hydrates at once", async () => {
  const empty = lazyElement("Empty", 0, 0);
  const page = lazyPage([empty]);
  const n = bootIslands(page.env);
  await settle();
  assert.equal(page.watched.size, 0);
  page.loads[0]({ default: Counter });
  assert.equal(await n, 1);
});

Deno.test("bootIslands (lazy): an island marked to hydrate on interaction is never watched and loads only when touched", async () => {
  const button = lazyElement("Button", 0, 1, { "data-hydrate": "interaction" });
  const empty = lazyElement("EmptyButton", 1, 0, { "data-hydrate": "interaction" });
  const page = lazyPage([button, empty]);
  bootIslands(page.env);
  await settle();
  assert.equal(page.watched.size, 0, "in view or not, it is not watched");
  assert.equal(page.loads.length, 0, "nor loaded: not even one with no box of its own");
  const click = button.fire("click"); // a click with no pointerdown before it (a key press)
  assert.ok(click.prevented && click.stopped, "held back until the island has hydrated");
  await settle();
  assert.equal(page.loads.length, 1, "the click wakes it");
  page.loads[0]({ default: Counter });
  await settle();
  assert.deepEqual(page.hydrated, ["Button"]);
  assert.deepEqual(page.replayed, ["click@Button-button"], "and is replayed once, after hydration");
  empty.fire("focusin");
  await settle();
  assert.equal(page.loads.length, 2, "focus wakes it too");
});
