import assert from "node:assert/strict";
import { deserialize, serialize } from "./serialize.ts";

const roundTrip = <T>(x: T): T => deserialize(serialize(x)) as T;

Deno.test("serialize: special numbers and undefined survive", () => {
  const back = roundTrip({ u: undefined, nan: NaN, inf: Infinity, ninf: -Infinity, nz: -0, z: 0 });
  assert.ok("u" in back && back.u === undefined);
  assert.ok(Number.isNaN(back.nan));
  assert.equal(back.inf, Infinity);
  assert.equal(back.ninf, -Infinity);
  assert.ok(Object.is(back.nz, -0));
  assert.ok(Object.is(back.z, 0));
  assert.deepEqual(roundTrip([undefined, 1, NaN]), [undefined, 1, NaN]);
  assert.equal(roundTrip(undefined), undefined);
});

Deno.test("serialize: Date, Map, Set, BigInt", () => {
  const d = new Date("2024-02-29T12:34:56.789Z");
  const back = roundTrip({ d, bad: new Date(NaN), big: 2n ** 70n });
  assert.ok(back.d instanceof Date);
  assert.equal(back.d.getTime(), d.getTime());
  assert.ok(Number.isNaN(back.bad.getTime()));
  assert.equal(back.big, 1180591620717411303424n);
  const m = roundTrip(new Map<unknown, unknown>([["a", 1], [2, new Set([3, "x"])], [NaN, -0]]));
  assert.ok(m instanceof Map);
  assert.equal(m.get("a"), 1);
  assert.deepEqual([...(m.get(2) as Set<unknown>)], [3, "x"]);
  assert.ok(Object.is(m.get(NaN), -0));
});

Deno.test("serialize: typed arrays keep type and exact values", () => {
  const f32 = new Float32Array([0.1, -2.5, NaN, Infinity]);
  const f64 = new Float64Array([Math.PI, -0, 1e-300]);
  const view = new Int32Array([1, 2, 3, 4, -5]).subarray(2); // offset view: only [3, 4, -5]
  const back = roundTrip({
    f32,
    f64,
    view,
    u8: new Uint8Array([0, 255]),
    i64: new BigInt64Array([-1n]),
  });
  assert.ok(back.f32 instanceof Float32Array);
  assert.equal(back.f32[0], Math.fround(0.1));
  assert.equal(back.f32[1], -2.5);
  assert.ok(Number.isNaN(back.f32[2]));
  assert.equal(back.f32[3], Infinity);
  assert.ok(back.f64 instanceof Float64Array);
  assert.equal(back.f64[0], Math.PI);
  assert.ok(Object.is(back.f64[1], -0));
  assert.equal(back.f64[2], 1e-300);
  assert.ok(back.view instanceof Int32Array);
  assert.deepEqual([...back.view], [3, 4, -5]);
  assert.deepEqual([...back.u8], [0, 255]);
  assert.equal(back.i64[0], -1n);
});

Deno.test("serialize: nested values and tag-looking user data", () => {
  const value = {
    a: [["u"], ["n", "NaN"], { b: [1, [2, [3]]] }],
    nested: { deep: { list: [new Date(0), { x: undefined }] } },
    empty: {},
    ...JSON.parse('{"__proto__": {"polluted": true}}'), // an own key named __proto__
  };
  const back = roundTrip(value) as Record<string, unknown>;
  assert.deepEqual(back.a, [["u"], ["n", "NaN"], { b: [1, [2, [3]]] }]);
  assert.deepEqual(back.nested, { deep: { list: [new Date(0), { x: undefined }] } });
  assert.deepEqual(back.empty, {});
  assert.ok(Object.hasOwn(back, "__proto__"));
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("serialize: shared references are copied, circular ones throw", () => {
  const shared = { n: 1 };
  const back = roundTrip({ p: shared, q: shared });
  assert.deepEqual(back.q, { n: 1 });
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  assert.throws(
    () => serialize(loop),
    /Cannot serialise value\.self as it is a circular reference/,
  );
});

Deno.test("serialize: functions, symbols, class instances and JSX are errors naming the path", () => {
  assert.throws(
    () => serialize({ onClick: () => {} }, "props"),
    /Cannot serialise props\.onClick as it is a function/,
  );
  assert.throws(() => serialize([Symbol("s")]), /value\[0\] as it is a symbol/);
  assert.throws(() => serialize({ r: /x/ }), /value\.r as it is an instance of RegExp/);
  const vnode = { type: "p", props: {}, constructor: undefined };
  assert.throws(() => serialize({ children: vnode }), /children as it is a JSX element/);
});

Deno.test("serialize: script-breaking text never leaves a < or a line separator", () => {
  const nasty = [
    "</script><script>alert(1)</script>",
    "</SCRIPT >",
    "<!--",
    "a\u2028b\u2029c",
    "<\u2028",
  ];
  const text = serialize({ nasty, key: { "</script>": 1 } });
  assert.ok(!text.includes("<"), text);
  assert.ok(!text.includes("\u2028") && !text.includes("\u2029"));
  assert.ok(!/<\/script/i.test(text));
  assert.deepEqual(deserialize(text), { nasty, key: { "</script>": 1 } });
});

Deno.test("deserialize: an unknown tag is a clear error", () => {
  assert.throws(() => deserialize('["zz"]'), /tag "zz" is unknown/);
});
