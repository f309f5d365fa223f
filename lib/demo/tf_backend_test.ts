import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../engine/backend.ts";
import { guardRun, guardWebglContext, webglContextLost } from "./tf_backend.ts";
import type { Run } from "./session.ts";

Deno.test("guardRun: off WebGL, results and errors pass through unchanged", async () => {
  await initBackend(["cpu"]);
  assert.equal(webglContextLost(), false);
  const failure = new Error("engine failure");
  let disposed = false;
  const run: Run = {
    train: (steps) => steps > 0 ? Promise.resolve(steps / 2) : Promise.reject(failure),
    sample: () => Promise.reject(new RangeError("no samples")),
    dispose: () => {
      disposed = true;
    },
  };
  const guarded = guardRun(run);
  assert.equal(await guarded.train(4), 2);
  await assert.rejects(() => guarded.train(0), (e) => e === failure);
  await assert.rejects(() => guarded.sample({} as never, false), RangeError);
  guarded.dispose();
  assert.ok(disposed);
  assert.equal(guarded.elbo, undefined, "no method appears that the run lacked");
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
