/**
 * Property-based tests (fast-check) for island props: any string or nested value round-trips through
 * `serialize`/`deserialize`, and a rendered page never has a `<` (or U+2028/U+2029) inside its
 * state script element, so props can never end the element early. The seed is printed; rerun a
 * failure with `FC_SEED=<seed> deno test -A lib/fresh/serialize_property_test.ts`.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { h } from "preact";
import { registerIsland } from "./islands.ts";
import { renderPage } from "./render.ts";
import { deserialize, serialize } from "./serialize.ts";
import type { PageProps } from "./page.ts";

const RUNS = 1000;
const seed = Number(Deno.env.get("FC_SEED") ?? (Date.now() % 2 ** 31));
console.log(`fast-check seed ${seed} (FC_SEED=${seed} to replay), ${RUNS} runs per property`);

/** Strings aimed at the script element: breakouts, comments, line separators, any code point. */
const nastyString = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.array(
    fc.oneof(
      fc.constantFrom(
        "</script>",
        "</SCRIPT >",
        "</scr",
        "<!--",
        "-->",
        "<script>",
        "\u2028",
        "\u2029",
        "\\u003c",
        '"',
        "\\",
        "\0",
        "\ud800",
        "]]>",
        "<",
        "&lt;",
      ),
      fc.string({ unit: "binary", maxLength: 4 }),
    ),
    { maxLength: 12 },
  ).map((parts) => parts.join("")),
);

/** Nested props: objects, arrays, Maps, Sets, Dates, typed arrays, BigInts, special numbers. */
const propValue = fc.anything({
  key: nastyString,
  values: [
    nastyString,
    fc.double(), // includes NaN, ±Infinity, -0
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  ],
  maxDepth: 4,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
});

Deno.test(`serialize: ${RUNS} random strings and nested values round-trip, with no < or U+2028/9`, () => {
  fc.assert(
    fc.property(propValue, (value) => {
      const text = serialize(value);
      assert.ok(!text.includes("<"), text);
      assert.ok(!/[\u2028\u2029]/.test(text), text);
      assert.deepStrictEqual(deserialize(text), value);
    }),
    { seed, numRuns: RUNS },
  );
});

function Probe(props: { value: unknown; label: string }) {
  return h("span", { title: props.label }, typeof props.value);
}
registerIsland("PropertyProbe", Probe);

const App = ({ Component }: PageProps) =>
  h("html", null, h("head", null), h("body", null, h(Component, null)));

const STATE = '<script type="application/json" id="__FRSH_STATE">';

Deno.test(`render: ${RUNS} random island props stay inside the state script element`, async () => {
  await fc.assert(
    fc.asyncProperty(propValue, nastyString, async (value, label) => {
      const page = () => h(Probe, { value, label });
      const html = await renderPage({
        app: App,
        layouts: [],
        page,
        props: { url: new URL("http://x/"), params: {}, data: undefined, state: {} },
        islandUrls: { PropertyProbe: "/_frsh/js/t/island-PropertyProbe.js" },
        boot: "/_frsh/js/t/boot.js",
      });
      const start = html.indexOf(STATE);
      assert.ok(start !== -1, "state script present");
      const end = html.indexOf("</", start + STATE.length); // what a browser would end it at
      assert.equal(html.slice(end, end + 9), "</script>");
      const body = html.slice(start + STATE.length, end);
      assert.ok(!body.includes("<"), body);
      const state = deserialize(body) as { props: unknown[] };
      assert.deepStrictEqual(state.props, [{ value, label }]);
      assert.equal(html.match(/<script/g)?.length, 2, "only the state and the boot module");
    }),
    { seed, numRuns: RUNS },
  );
});
