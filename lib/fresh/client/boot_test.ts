import assert from "node:assert/strict";
import type { VNode } from "preact";
import { serialize } from "../serialize.ts";
import { type BootEnv, bootIslands, type IslandElement } from "./boot.ts";

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
