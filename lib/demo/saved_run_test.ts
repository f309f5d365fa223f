import assert from "node:assert/strict";
import { DEFAULT_CONFIG } from "./config.ts";
import { parseSavedRun, SAVED_RUN_FORMAT } from "./saved_run.ts";
import { MODEL_FORMAT } from "../../engine/model_check.ts";
import { denoiserConfig } from "../../engine/denoiser.ts";

/** A model document that passes the checks (the weights are not built here). */
const modelConfig = denoiserConfig({ parameterisation: "eps", T: 100, seed: 1, hidden: 64 });
const model = (config: object = modelConfig, weights = {}) =>
  JSON.stringify({ format: MODEL_FORMAT, config, weights });

const good = {
  format: SAVED_RUN_FORMAT,
  config: DEFAULT_CONFIG,
  step: 10,
  savedAt: "2026-01-01T00:00:00.000Z",
  model: model(),
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

Deno.test("bounds (issue 21): step, batch, step budget, drawn points and file size", () => {
  const drawn = { ...DEFAULT_CONFIG, dataset: "drawn" };
  const cases: [Record<string, unknown> | string, RegExp][] = [
    [{ ...good, step: 1e308 }, /step must be a whole number >= 0 .*current value is 1e\+308$/],
    [{ ...good, step: 2.5 }, /current value is 2\.5$/],
    [{ ...good, step: 2 ** 53 }, /safe integer.*current value is 9007199254740992$/],
    [{ ...good, config: { ...DEFAULT_CONFIG, batchSize: 1e9 } }, /batchSize .*1000000000$/],
    [{ ...good, config: { ...DEFAULT_CONFIG, stepBudget: 0 } }, /stepBudget .*current value is 0$/],
    [{ ...good, config: null }, /config must be an object: current value is null$/],
    [
      { ...good, config: drawn, points: new Array(2_000_000).fill(0.5) },
      /needs 1 to 300 points .*current value is 2000000 numbers$/,
    ],
    [{ ...good, config: drawn, points: [0.1, 0.2, 0.3] }, /current value is 3 numbers$/],
    [{ ...good, config: drawn, points: [0.1, null] }, /finite numbers \(at index 1\).*null$/],
    [{ ...good, points: [1, 2, "x", 4] }, /at index 2/], // points are checked whenever present
    [`{"format":"${SAVED_RUN_FORMAT}","pad":"${"x".repeat(18 * 1024 * 1024)}"}`, /at most \d+/],
    [{ ...good, model: "{}" }, /in its model, the format must be diffusion-book-denoiser\/1/],
    [
      { ...good, model: model({ ...modelConfig, layers: 1_000_000 }) },
      /in its model, layers must be an integer in \[1, 8\]: current value is 1000000$/,
    ],
    [
      { ...good, model: model(modelConfig, { "out/bias": btoa("\x00\x00\xc0\x7f") }) }, // NaN
      /in its model, weight out\/bias must hold finite numbers: current value is NaN at index 0$/,
    ],
  ];
  for (const [run, message] of cases) {
    const text = typeof run === "string" ? run : JSON.stringify(run);
    assert.throws(() => parseSavedRun(text), (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.match(e.message, /^Cannot load the saved model as /);
      assert.match(e.message, message);
      return true;
    });
  }
  const ok = { ...good, config: drawn, points: new Array(600).fill(0.5) }; // 300 points: the limit
  assert.equal(parseSavedRun(JSON.stringify(ok)).points?.length, 600);
});
