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
