import assert from "node:assert/strict";
import { coerceIslandProps } from "./island_props.ts";
import type { IslandSpec } from "./types.ts";

const spec: IslandSpec = {
  name: "X",
  status: "ready",
  props: {
    rate: { type: "number", min: 0, max: 1 },
    steps: { type: "number", integer: true, required: true },
    on: { type: "boolean", default: true },
    label: { type: "string", default: "a" },
  },
};

Deno.test("coerceIslandProps: numbers, booleans and strings by the spec, defaults filled", () => {
  assert.deepEqual(coerceIslandProps(spec, { steps: "1e3", rate: "0.25", on: "false" }), {
    props: { steps: 1000, rate: 0.25, on: false, label: "a" },
    problems: [],
  });
  assert.deepEqual(coerceIslandProps(spec, { steps: "3", label: "" }).props, {
    steps: 3,
    label: "",
    on: true,
  });
});

Deno.test("coerceIslandProps: range, integer, empty number and prototype keys are problems", () => {
  const r = coerceIslandProps(spec, { steps: "2.5", rate: "1.5", toString: "x" });
  assert.deepEqual(r.problems, [
    'Cannot set X prop "steps" as it must be an integer: current value is "2.5"',
    'Cannot set X prop "rate" as it must be at most 1: current value is "1.5"',
    'Island X has no prop "toString": known props are rate, steps, on, label',
  ]);
  assert.deepEqual(coerceIslandProps(spec, { steps: "" }).problems, [
    'Cannot set X prop "steps" as it must be a number: current value is ""',
  ]);
});
