import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../engine/backend.ts";
import { guardWebglContext, webglContextLost } from "./tf_backend.ts";

Deno.test("guardWebglContext: off WebGL, results and errors pass through unchanged", async () => {
  await initBackend(["cpu"]);
  assert.equal(webglContextLost(), false);
  const failure = new Error("engine failure");
  await assert.rejects(
    () => guardWebglContext(() => Promise.reject(failure)),
    (e) => e === failure,
  );
  const before = tf.memory().numTensors;
  const sum = await guardWebglContext(async () => {
    const x = tf.tensor1d([1, 2, 3]); // [3]
    const total = x.sum(); // []
    const s = (await total.data())[0];
    tf.dispose([x, total]);
    return s;
  });
  assert.ok(Math.abs(sum - 6) < 1e-6);
  assert.equal(tf.memory().numTensors, before);
});
