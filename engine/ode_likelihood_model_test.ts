import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { epsAndDivergence, modelOdeLogLikelihood } from "./ode_likelihood_model.ts";
import { linearSchedule } from "./schedule.ts";
import type { EpsModel } from "./samplers.ts";

await tf.setBackend("cpu");

/** A fixed nonlinear "model": eps = tanh(A x + b) + 0.3 x, with t scaling A. */
const nonlinear: EpsModel = (x, t) =>
  tf.tidy(() => {
    const a = tf.tensor2d([[0.8, -0.4], [0.3, 1.1]]).mul(1 + t / 100); // [2, 2]
    return tf.add(tf.tanh(tf.add(tf.matMul(x, a), tf.tensor1d([0.1, -0.2]))), tf.mul(x, 0.3)); // [B, 2]
  });

Deno.test("epsAndDivergence's divergence equals central differences of the model", () => {
  const pts = [[0.3, -0.7], [1.2, 0.4], [-0.5, -1.5]];
  const { div } = epsAndDivergence(nonlinear, tf.tensor2d(pts), 7);
  const h = 1e-2;
  pts.forEach((p, b) => {
    let fd = 0;
    for (let i = 0; i < 2; i++) {
      const up = p.slice(), dn = p.slice();
      up[i] += h;
      dn[i] -= h;
      const e = tf.tidy(() => nonlinear(tf.tensor2d([up, dn]), 7).arraySync() as number[][]);
      fd += (e[0][i] - e[1][i]) / (2 * h);
    }
    // float32 differences with h = 1e-2: truncation ~1e-5, rounding ~1e-5
    assert.ok(Math.abs(fd - div[b]) < 2e-4, `${fd} vs ${div[b]}`);
  });
});

Deno.test("on N(0, I) data the model ODE likelihood converges to the exact density at first order, leaving no tensors", async () => {
  const before = tf.memory().numTensors;
  const x0 = [0.5, -1, -1.5, 0.2];
  const exact = [0.25 + 1, 2.25 + 0.04].map((r2) => -Math.log(2 * Math.PI) - 0.5 * r2);
  const err = async (T: number) => {
    const s = linearSchedule(T, 0.1 / T, 20 / T);
    const r = await modelOdeLogLikelihood(
      (x, t) => tf.mul(x, Math.sqrt(1 - s.alphaBars[t])),
      s,
      x0,
    );
    return Math.max(...exact.map((e, j) => Math.abs(r.logLikelihood[j] - e)));
  };
  const [e1, e2] = [await err(50), await err(100)];
  assert.ok(e2 < 0.02 && e1 / e2 > 1.8 && e1 / e2 < 2.2, `${e1} then ${e2}`);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("bad inputs are refused with the value; a diverging model stops and says so", async () => {
  const s = linearSchedule(10);
  await assert.rejects(
    () => modelOdeLogLikelihood(nonlinear, s, [1, 2, 3]),
    /flat \[n, 2\]: current value is length 3/,
  );
  await assert.rejects(() => modelOdeLogLikelihood(nonlinear, s, [1, 2], 0), /substeps/);
  await assert.rejects(
    () => modelOdeLogLikelihood((x) => tf.mul(tf.exp(tf.mul(x, 50)), 1e30), s, [1, 1]),
    /left the finite numbers at step t = \d+/,
  );
});
