import assert from "node:assert/strict";
import { DEFAULT_CONFIG } from "./config.ts";
import { parseSavedRun, SAVED_RUN_FORMAT } from "./saved_run.ts";

const good = {
  format: SAVED_RUN_FORMAT,
  config: DEFAULT_CONFIG,
  step: 10,
  savedAt: "2026-01-01T00:00:00.000Z",
  model: "{}",
};

Deno.test("a saved run reads back, and every broken field is named", () => {
  assert.deepEqual(parseSavedRun(JSON.stringify(good)), good);
  assert.throws(() => parseSavedRun("nope"), /not JSON: current value is nope/);
  assert.throws(
    () => parseSavedRun(JSON.stringify({ ...good, format: "x" })),
    /current value is x/,
  );
  assert.throws(
    () => parseSavedRun(JSON.stringify({ ...good, config: { ...DEFAULT_CONFIG, T: 5 } })),
    /Cannot use T .* current value is 5/,
  );
  assert.throws(() => parseSavedRun(JSON.stringify({ ...good, step: -1 })), /current value is -1/);
  assert.throws(
    () =>
      parseSavedRun(JSON.stringify({ ...good, config: { ...DEFAULT_CONFIG, dataset: "drawn" } })),
    /drawn data needs its points/,
  );
});
