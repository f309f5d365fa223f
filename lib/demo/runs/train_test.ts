import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../engine/backend.ts";
import { mmd2 } from "../../../engine/metrics.ts";
import { DivergenceError } from "../../../engine/train.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../config.ts";
import type { Run } from "../session.ts";
import { createTrainRun, PREVIEW_COUNT, SAMPLE_COUNT, TRAJECTORY_COUNT } from "./train.ts";
import type { TrainParams, TrainView } from "./train_types.ts";

await initBackend(["wasm", "cpu"]);

const small: TrainConfig = { ...DEFAULT_CONFIG, T: 20, samplerSteps: 10, stepBudget: 100 };

type Kind = TrainView["kind"];
/** The view of `kind` in a run's pictures. */
async function view<K extends Kind>(
  run: Run<TrainView>,
  kind: K,
  full = true,
): Promise<Extract<TrainView, { kind: K }>> {
  const found = (await run.render(full, 0)).find((v) => v.kind === kind);
  assert.ok(found, `no ${kind} view`);
  return found as Extract<TrainView, { kind: K }>;
}

const create = (config: TrainConfig, extra: Omit<TrainParams, "config"> = {}, model?: string) =>
  createTrainRun({ config, ...extra }, { model });

Deno.test("a run trains, samples (quick and scored, any sampler), and frees every tensor", async () => {
  const before = tf.memory().numTensors;
  const run = create(small);
  const [loss0] = await run.train(4);
  assert.ok(Number.isFinite(loss0) && loss0 > 0.1, `first loss ${loss0}`);
  const preview = await view(run, "samples", false);
  assert.equal(preview.points.length, 2 * PREVIEW_COUNT);
  assert.ok(Number.isNaN(preview.mmd2));
  const [full] = await run.ask!(
    { kind: "sampler", sampler: "ddim", eta: 0, samplerSteps: 10 },
    4,
  ) as TrainView[];
  assert.ok(full.kind === "samples");
  assert.equal(full.points.length, 2 * SAMPLE_COUNT);
  // The untrained model's samples are far from the swiss roll: about N(0, I)'s 0.015-0.06.
  assert.ok(full.mmd2 > 5e-3, `untrained MMD² ${full.mmd2}`);
  assert.ok(Number.isFinite(mmd2(full.points, full.points.slice().reverse())));
  // Trajectories: the first TRAJECTORY_COUNT samples, x_T first and x_0 last (= the samples).
  const L = full.pathLength;
  assert.equal(full.pathCount, TRAJECTORY_COUNT);
  assert.equal(L, 11, "DDIM with 10 steps, stride 1: x_T and 10 states");
  for (let k = 0; k < TRAJECTORY_COUNT; k++) {
    const last: number = (k * L + L - 1) * 2;
    assert.equal(full.paths[last], full.points[2 * k]);
    assert.equal(full.paths[last + 1], full.points[2 * k + 1]);
  }
  await assert.rejects(() => run.ask!({ kind: "nope" }, 4), /must be one of/);
  run.dispose();
  assert.equal(tf.memory().numTensors, before, "tensors leaked by the run");
});

Deno.test("the same seed gives the same first loss, another seed another", async () => {
  const first = async (seed: number) => {
    const run = create({ ...small, seed });
    const [l] = await run.train(4);
    run.dispose();
    return l;
  };
  const a = await first(3);
  assert.equal(await first(3), a);
  assert.notEqual(await first(4), a);
});

Deno.test("an absurd learning rate raises the engine's DivergenceError; a bad config is refused", async () => {
  const before = tf.memory().numTensors;
  const run = create({ ...small, lr: 1000 });
  let caught: unknown;
  try {
    for (let i = 0; i < 4 && !caught; i++) await run.train(16);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DivergenceError, `expected DivergenceError, got ${caught}`);
  assert.match(String((caught as Error).message), /Cannot continue training/);
  run.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => create({ ...small, T: 0 }), /T/);
});

Deno.test("mixture data: the ELBO lies below the exact log q(x_0) and the gap shrinks with training", async () => {
  const before = tf.memory().numTensors;
  const config: TrainConfig = { ...small, dataset: "mixture", T: 20, stepBudget: 300 };
  const run = create(config);
  const e0 = await view(run, "elbo");
  assert.ok(Number.isFinite(e0.logQ) && e0.gap > 0, `untrained: ${JSON.stringify(e0)}`);
  assert.ok(Math.abs(e0.logQ - e0.gap - e0.elbo) < 1e-9, "gap = log q - ELBO");
  const sum = e0.denoising.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(e0.reconstruction - e0.prior - sum - e0.elbo) < 1e-9);
  assert.equal(e0.denoising.length, config.T + 1);
  assert.ok(e0.prior > 0 && e0.prior < 1, `prior KL ${e0.prior}`);
  for (let i = 0; i < 10; i++) await run.train(30);
  const e1 = await view(run, "elbo");
  console.log(
    `mixture T=20: ELBO ${e0.elbo.toFixed(3)} -> ${e1.elbo.toFixed(3)} after 300 steps; ` +
      `log q ${e1.logQ.toFixed(3)}; gap ${e0.gap.toFixed(3)} -> ${e1.gap.toFixed(3)}`,
  );
  assert.ok(e1.gap < e0.gap && e1.gap > 0, `gap ${e0.gap} -> ${e1.gap}`);
  assert.equal(e1.logQ, e0.logQ, "the same data points every time");
  // The score field: the exact one is the mixture's marginal score at t.
  const f = await run.ask!({ kind: "field", t: 5 }, 300) as Extract<TrainView, { kind: "field" }>;
  assert.equal(f.t, 5);
  assert.equal(f.learned.length, 2 * f.side * f.side);
  assert.ok(f.exact.every(Number.isFinite) && f.learned.every(Number.isFinite));
  run.dispose();
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
});

Deno.test("a saved model reloads into a run that samples the same points, and trains further; a mismatched one is refused", async () => {
  const before = tf.memory().numTensors;
  const config: TrainConfig = { ...small, dataset: "drawn" };
  const points = [0, 0, 1, 1, -1, 0.5];
  const run = create(config, { points });
  await run.train(8);
  const { model, step } = await run.ask!({ kind: "save" }, 8) as { model: string; step: number };
  assert.equal(step, 8);
  const a = await view(run, "samples", false);
  const copy = create(config, { points }, model);
  const b = await view(copy, "samples", false);
  assert.deepEqual([...b.points.slice(0, 20)], [...a.points.slice(0, 20)]);
  const [loss] = await copy.train(4);
  assert.ok(Number.isFinite(loss), "a loaded model trains on");
  copy.extend!(200); // Train more: the schedule runs longer
  await copy.train(2);
  assert.throws(
    () => create({ ...config, T: 30, samplerSteps: 10 }, { points }, model),
    /must match T = 30, eps: current value is T = 20, eps/,
  );
  assert.throws(() => create(config), /none were drawn/);
  run.dispose();
  copy.dispose();
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
});
