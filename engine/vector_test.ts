import assert from "node:assert/strict";
import {
  assertPositive,
  axpby,
  dimOf,
  dot,
  logSumExp,
  map1,
  map2,
  sum3,
  toVector,
} from "./vector.ts";

Deno.test("logSumExp: by hand, stable at +-1000, -Infinity entries, all -Infinity", () => {
  assert.ok(Math.abs(logSumExp([0, Math.log(3)]) - Math.log(4)) < 1e-15);
  assert.ok(Math.abs(logSumExp([1000, 1000, 1000]) - (1000 + Math.log(3))) < 1e-12);
  assert.ok(Math.abs(logSumExp([-1000, -1000]) - (-1000 + Math.log(2))) < 1e-12);
  assert.equal(logSumExp([-Infinity, 2]), 2);
  assert.equal(logSumExp([-Infinity, -Infinity]), -Infinity);
  assert.throws(() => logSumExp([]), /must not be empty/);
  assert.throws(
    () => logSumExp([1, NaN]),
    /entry 1 must be finite or -Infinity: current value is NaN/,
  );
  assert.throws(() => logSumExp([Infinity]), RangeError);
});

Deno.test("map1 / map2 / sum3: numbers stay numbers, arrays become Float64Array, shapes checked", () => {
  assert.equal(map1("f", "x", 2, (x) => x * x), 4);
  const y = map2("f", ["x", "y"], [1, 2], Float64Array.of(3, 4), (a, b) => a * b);
  assert.ok(y instanceof Float64Array);
  assert.deepEqual([...y], [3, 8]);
  assert.throws(
    () => map2("add", ["x", "y"], [1, 2], [1], (a, b) => a + b),
    /y must have length 2/,
  );
  assert.throws(() => map2("add", ["x", "y"], [1, 2], 1 as never, (a, b) => a + b), TypeError);
  assert.throws(
    () => map1("f", "x", [1, NaN], (a) => a),
    /x\[1\] must be finite: current value is NaN/,
  );
  assert.throws(
    () => map1("f", "x", Infinity, (a) => a),
    /x must be finite: current value is Infinity/,
  );
  assert.equal(sum3("s", ["a", "b", "c"], 1, 2, 3, (a, b, c) => a + b + c), 6);
});

Deno.test("dot, axpby, dimOf, toVector, assertPositive", () => {
  assert.equal(dot([1, 2, 3], [4, 5, 6]), 32);
  assert.deepEqual([...axpby(0.5, [2, 4], 2, [1, 1])], [3, 4]);
  assert.equal(dimOf(5), 1);
  assert.equal(dimOf(new Float64Array(3)), 3);
  const src = [1, 2], v = toVector(src, "copy", "x");
  src[0] = 9;
  assert.equal(v[0], 1, "toVector copies");
  assert.throws(() => toVector([1, Infinity], "copy", "x"), /x\[1\] must be finite/);
  assert.throws(
    () => assertPositive(0, "evaluate", "v"),
    /v must be finite and > 0: current value is 0/,
  );
  assertPositive(0, "evaluate", "v", true);
  assert.throws(() => assertPositive(NaN, "evaluate", "v", true), RangeError);
});
