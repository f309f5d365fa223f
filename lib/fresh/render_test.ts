import assert from "node:assert/strict";
import { h } from "preact";
import { registerIsland } from "./islands.ts";
import type { PageProps } from "./page.ts";
import { renderPage } from "./render.ts";
import { deserialize } from "./serialize.ts";

const props = { url: new URL("http://x/p"), params: { a: "1" }, data: { n: 3 }, state: {} };

function Dot(p: { v: number }) {
  return h("i", null, String(p.v));
}
registerIsland("Dot", Dot);

function App({ Component, state }: PageProps) {
  return h(
    "html",
    null,
    h("head", null, h("title", null, String(state.title ?? "none"))),
    h("body", null, h(Component, null)),
  );
}
const Outer = ({ Component }: PageProps) => h("section", { id: "outer" }, h(Component, null));
const Inner = ({ Component }: PageProps) => h("article", { id: "inner" }, h(Component, null));

Deno.test("renderPage: app > layouts (outermost first) > page, with data and params", async () => {
  const page = ({ data, params }: PageProps<{ n: number }>) =>
    h("p", null, `${data.n}/${params.a}`);
  const html = await renderPage({
    app: App,
    layouts: [Outer, Inner],
    page,
    props,
    islandUrls: {},
  });
  assert.equal(
    html,
    "<!DOCTYPE html><html><head><title>none</title></head><body>" +
      '<section id="outer"><article id="inner"><p>3/1</p></article></section></body></html>',
  );
  assert.ok(!html.includes("<script"));
});

Deno.test("renderPage: async page and layout are awaited; state they set reaches _app", async () => {
  const page = async ({ state }: PageProps) => {
    await new Promise((r) => setTimeout(r, 1));
    state.title = "From page";
    return h("p", null, "async");
  };
  const layout = async ({ Component }: PageProps) => {
    await Promise.resolve();
    return h("div", null, h(Component, null));
  };
  const html = await renderPage({
    app: App,
    layouts: [layout],
    page,
    props: { ...props, state: {} },
    islandUrls: {},
  });
  assert.ok(html.includes("<title>From page</title>"), html);
  assert.ok(html.includes("<div><p>async</p></div>"), html);
});

Deno.test("renderPage: islands bring state and boot script before </body>, no preloads", async () => {
  const page = () => h("p", null, "x ", h(Dot, { v: NaN }), h(Dot, { v: 2 }));
  const html = await renderPage({
    app: App,
    layouts: [],
    page,
    props,
    islandUrls: { Dot: "/_frsh/js/abc/island-Dot.js", Other: "/o.js" },
    boot: "/_frsh/js/abc/boot.js",
    scripts: ["/_frsh/reload.js"],
  });
  const m = /<script type="application\/json" id="__FRSH_STATE">(.*?)<\/script>/.exec(html);
  assert.ok(m, html);
  const state = deserialize(m[1]) as { islands: Record<string, string>; props: { v: number }[] };
  assert.deepEqual(state.islands, { Dot: "/_frsh/js/abc/island-Dot.js" });
  assert.ok(Number.isNaN(state.props[0].v));
  assert.equal(state.props[1].v, 2);
  assert.ok(html.includes('<frsh-island data-name="Dot" data-props="1" style="display:contents">'));
  assert.ok(!html.includes("modulepreload"), "island modules load when wanted, not with the page");
  assert.ok(
    html.endsWith(
      '<script type="module" src="/_frsh/js/abc/boot.js"></script>' +
        '<script type="module" src="/_frsh/reload.js"></script></body></html>',
    ),
    html,
  );
  assert.ok(!html.includes("/o.js"), "an island not used is not in the state");
});

Deno.test("renderPage: default app shell, and a missing island URL is a clear error", async () => {
  const html = await renderPage({ layouts: [], page: () => h("b", null), props, islandUrls: {} });
  assert.equal(
    html,
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/></head><body><b></b></body></html>',
  );
  await assert.rejects(
    () => renderPage({ layouts: [], page: () => h(Dot, { v: 1 }), props, islandUrls: {} }),
    /Cannot hydrate island Dot as the build manifest has no module for it/,
  );
});
