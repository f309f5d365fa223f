import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import { createDenoiser } from "./denoiser.ts";
import { loadDenoiser, saveDenoiser } from "./model_io.ts";

await initBackend(["wasm"]);

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

Deno.test("save then load gives bit-identical weights and outputs; no leaks", async () => {
  const before = tf.memory().numTensors;
  const d = createDenoiser({ parameterisation: "score", T: 50, seed: 7, numClasses: 3 });
  const copy = loadDenoiser(await saveDenoiser(d));
  assert(JSON.stringify(copy.config) === JSON.stringify(d.config), "config");
  const [a, b] = [await d.getWeights(), await copy.getWeights()];
  for (const name of d.weightNames) {
    assert(a[name].every((v, i) => Object.is(v, b[name][i])), `weight ${name}`);
  }
  const [oa, ob] = tf.tidy(() => {
    const x = tf.tensor2d([0.2, -0.4, 1, 1], [2, 2]);
    const t = tf.tensor1d([1, 50], "int32");
    const y = tf.tensor1d([0, 3], "int32");
    return [d.apply(x, t, y).dataSync(), copy.apply(x, t, y).dataSync()];
  });
  assert(oa.every((v, i) => v === ob[i]), "same outputs");
  d.dispose();
  copy.dispose();
  assert(tf.memory().numTensors === before, "no leaks");
});

Deno.test("special float values survive the base64 round trip", async () => {
  const d = createDenoiser({ parameterisation: "eps", T: 5, seed: 0, hidden: 2, layers: 1 });
  const w = await d.getWeights();
  w["out/bias"] = new Float32Array([-0, 1e-45]);
  d.setWeights(w);
  const copy = loadDenoiser(await saveDenoiser(d));
  const bias = (await copy.getWeights())["out/bias"];
  assert(Object.is(bias[0], -0) && bias[1] === Math.fround(1e-45), `${bias}`);
  d.dispose();
  copy.dispose();
});

Deno.test("a wrong format tag is rejected with the current value", () => {
  let message = "";
  try {
    loadDenoiser(JSON.stringify({ format: "other/2", config: {}, weights: {} }));
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("current value is other/2"), message);
});

Deno.test("bounds (issue 21): size fields, finite weights and text size fail before any build", async () => {
  const d = createDenoiser({ parameterisation: "eps", T: 5, seed: 0, hidden: 2, layers: 1 });
  const saved = JSON.parse(await saveDenoiser(d));
  d.dispose();
  const before = tf.memory().numTensors;
  const nanBias = btoa(String.fromCharCode(...new Uint8Array(new Float32Array([NaN, 1]).buffer)));
  const cases: [unknown, RegExp][] = [
    [
      { ...saved, config: { ...saved.config, layers: 1_000_000 } },
      /layers must be an integer in \[1, 8\]: current value is 1000000/,
    ],
    [{ ...saved, config: { ...saved.config, hidden: 4096 } }, /hidden .*current value is 4096/],
    [{ ...saved, config: { ...saved.config, timeEmbedDim: 1e6 } }, /timeEmbedDim .*1000000/],
    [{ ...saved, config: { ...saved.config, T: 1.5 } }, /T must be an integer .*1\.5/],
    [{ ...saved, config: null }, /config must be an object/],
    [
      { ...saved, weights: { ...saved.weights, "out/bias": nanBias } },
      /out\/bias must hold finite numbers: current value is NaN at index 0/,
    ],
    [{ ...saved, weights: { ...saved.weights, "out/bias": "%%%" } }, /out\/bias must be base64/],
    [{ ...saved, weights: { ...saved.weights, "out/bias": "AAA=" } }, /base64 of float32/],
    [`"${"x".repeat(17 * 1024 * 1024)}"`, /at most 16777216 characters/],
    ["{not json", /is not JSON/],
  ];
  for (const [value, message] of cases) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    let error: unknown;
    try {
      loadDenoiser(text);
    } catch (e) {
      error = e;
    }
    assert(error instanceof RangeError, `no RangeError for ${message}`);
    assert((error as Error).message.startsWith("Cannot load the denoiser as "), String(error));
    assert(message.test((error as Error).message), `${message}: ${error}`);
  }
  assert(tf.memory().numTensors === before, "nothing was built");
});
