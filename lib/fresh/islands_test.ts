import assert from "node:assert/strict";
import { type ComponentChild, h } from "preact";
import { renderToString } from "preact-render-to-string";
import { islandName, type IslandRender, registerIsland, RenderContext } from "./islands.ts";

function Badge(props: { label: string; n?: number }) {
  return h("b", null, `${props.label}:${props.n ?? 0}`);
}
function Outer(props: { inner: string }) {
  return h("div", null, h(Badge, { label: props.inner }));
}
registerIsland("Badge", Badge);
registerIsland("Outer", Outer);

function renderIn(vnode: ComponentChild): { html: string; render: IslandRender } {
  const render: IslandRender = { props: [], used: new Set() };
  const html = renderToString(h(RenderContext.Provider, { value: render }, vnode));
  return { html, render };
}

Deno.test("islands: a registered component is wrapped and its props recorded", () => {
  const { html, render } = renderIn(
    h("p", null, "a ", h(Badge, { label: "x", n: 2 }), h(Badge, { label: "y" })),
  );
  assert.equal(
    html,
    '<p>a <frsh-island data-name="Badge" data-props="0" style="display:contents"><b>x:2</b>' +
      '</frsh-island><frsh-island data-name="Badge" data-props="1" style="display:contents">' +
      "<b>y:0</b></frsh-island></p>",
  );
  assert.deepEqual(render.props, [{ label: "x", n: 2 }, { label: "y" }]);
  assert.deepEqual([...render.used], ["Badge"]);
  assert.equal(islandName(Badge), "Badge");
  assert.equal(islandName(() => null), undefined);
});

Deno.test("islands: an island inside an island renders as a plain component", () => {
  const { html, render } = renderIn(h(Outer, { inner: "in" }));
  assert.equal(
    html,
    '<frsh-island data-name="Outer" data-props="0" style="display:contents"><div><b>in:0</b></div>' +
      "</frsh-island>",
  );
  assert.deepEqual(render.props, [{ inner: "in" }]);
  assert.deepEqual([...render.used], ["Outer"]);
});

Deno.test("islands: outside a page render islands are plain", () => {
  assert.equal(renderToString(h(Badge, { label: "z" })), "<b>z:0</b>");
});

Deno.test("islands: a function prop is an error naming the island and the prop", () => {
  const bad = h(Badge as never, { label: "x", onPick: () => {} });
  assert.throws(
    () => renderIn(h("div", null, bad)),
    /Cannot render island Badge as Cannot serialise props\.onPick as it is a function/,
  );
});

Deno.test("islands: one registered to hydrate on interaction says so in its marker; re-registering resets it", () => {
  function Press() {
    return h("button", null, "go");
  }
  registerIsland("Press", Press, "interaction");
  assert.equal(
    renderIn(h(Press, null)).html,
    '<frsh-island data-name="Press" data-props="0" data-hydrate="interaction" ' +
      'style="display:contents"><button>go</button></frsh-island>',
  );
  registerIsland("Press", Press);
  assert.ok(!renderIn(h(Press, null)).html.includes("data-hydrate"));
});
