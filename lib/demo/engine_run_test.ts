import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../engine/backend.ts";
import { mmd2 } from "../../engine/metrics.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "./config.ts";
import {
  createEngineRun,
  PREVIEW_COUNT,
  SAMPLE_COUNT,
  tfEngine,
  TRAJECTORY_COUNT,
} from "./engine_run.ts";

await initBackend(["wasm", "cpu"]);

const small: TrainConfig = { ...DEFAULT_CONFIG, T: 20, samplerSteps: 10, stepBudget: 100 };

Deno.test("a run trains, samples (preview and scored), and frees every tensor", async () => {
  const before = tf.memory().numTensors;
  const run = await createEngineRun(small);
  const loss0 = await run.train(4);
  assert.ok(Number.isFinite(loss0) && loss0 > 0.1, `first loss ${loss0}`);
  const preview = await run.sample(small, false);
  assert.equal(preview.points.length, 2 * PREVIEW_COUNT);
  assert.ok(Number.isNaN(preview.mmd2));
  const full = await run.sample({ ...small, sampler: "ddim" }, true);
  assert.equal(full.points.length, 2 * SAMPLE_COUNT);
  // The untrained model's samples are far from the swiss roll: about N(0, I)'s 0.015-0.06.
  assert.ok(full.mmd2 > 5e-3, `untrained MMD² ${full.mmd2}`);
  assert.ok(Number.isFinite(mmd2(full.points, full.points.slice().reverse())));
  // Trajectories: the first TRAJECTORY_COUNT samples, x_T first and x_0 last (= the samples).
  const L = full.trajectoryLength;
  assert.equal(full.trajectoryCount, TRAJECTORY_COUNT);
  assert.equal(L, 11, "DDIM with 10 steps, stride 1: x_T and 10 states");
  for (let k = 0; k < TRAJECTORY_COUNT; k++) {
    const last: number = (k * L + L - 1) * 2;
    assert.equal(full.trajectories[last], full.points[2 * k]);
    assert.equal(full.trajectories[last + 1], full.points[2 * k + 1]);
  }
  run.dispose();
  assert.equal(tf.memory().numTensors, before, "tensors leaked by the run");
});

Deno.test("the same seed gives the same first loss, another seed another", async () => {
  const first = async (seed: number) => {
    const run = await createEngineRun({ ...small, seed });
    const l = await run.train(4);
    run.dispose();
    return l;
  };
  const a = await first(3);
  assert.equal(await first(3), a);
  assert.notEqual(await first(4), a);
});

Deno.test("an absurd learning rate raises the engine's DivergenceError within one chunk", async () => {
  const before = tf.memory().numTensors;
  const run = await createEngineRun({ ...small, lr: 1000 });
  let caught: unknown;
  try {
    for (let i = 0; i < 4 && !caught; i++) await run.train(16);
  } catch (e) {
    caught = e;
  }
  assert.ok(tfEngine.isDivergence(caught), `expected DivergenceError, got ${caught}`);
  assert.match(String((caught as Error).message), /Cannot continue training/);
  run.dispose();
  assert.equal(tf.memory().numTensors, before);
});
