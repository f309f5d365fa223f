import assert from "node:assert/strict";
import { buildErrors, chapter } from "./testdata/temp_book.ts";

Deno.test("error: unknown island [island-unknown] lists the known names", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter('Text.\n\n::island{name="ForwardChian"}\n'),
  });
  assert.equal(errors.length, 1);
  assert.equal(errors[0].ruleId, "island-unknown");
  assert.equal(`${errors[0].file}:${errors[0].line}`, "chapters/01-a.md:8");
  assert.equal(errors[0].reason, 'Unknown island "ForwardChian": known islands are Demo, Planned');
});

Deno.test("error: bad island props [island-props]: unknown, wrong type, out of range, missing", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter(
      '::island{name="Demo" dataset="moons" steps="many" colour="red"}\n\n' +
        '::island{name="Demo" steps="0" paused="yes"}\n',
    ),
  });
  assert.ok(errors.every((e) => e.ruleId === "island-props"));
  assert.deepEqual(errors.map((e) => `${e.line}: ${e.reason}`), [
    '6: Cannot set Demo prop "dataset" as it must be one of swissroll, ring: current value is "moons"',
    '6: Cannot set Demo prop "steps" as it must be a number: current value is "many"',
    '6: Island Demo has no prop "colour": known props are steps, dataset, paused',
    '8: Cannot set Demo prop "steps" as it must be at least 1: current value is "0"',
    '8: Cannot set Demo prop "paused" as it must be true or false: current value is "yes"',
    '8: Island Demo needs prop "dataset" (one of swissroll, ring)',
  ]);
});

Deno.test("error: island inside another block [island-placement]", async () => {
  const errors = await buildErrors({
    "chapters/01-a.md": chapter(':::note\n::island{name="Planned"}\n:::\n'),
  });
  assert.equal(errors[0].ruleId, "island-placement");
  assert.equal(errors[0].line, 7);
});
