/**
 * The reference point for training speed: the book's denoiser and loss written the way a tfjs
 * tutorial would write them. A `tf.sequential` of dense layers (SiLU = "swish"), the same input
 * features (Fourier features of x_t, sinusoidal embedding of t / T), `tf.train.adam` with
 * `optimizer.minimize` per step, the minibatch built with tensor ops, and the loss read back every
 * step to print it. Same sizes and the same FLOPs as `engine/denoiser.ts`; only the way it is
 * driven differs.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type DenoiserConfig, inputDim, timeEmbeddingTable } from "../engine/denoiser.ts";
import type { Schedule } from "../engine/schedule.ts";

/** A tutorial-style trainer. */
export interface TutorialTrainer {
  /** One optimiser step on a random minibatch of `data`; resolves with the loss (read back). */
  step(): Promise<number>;
  /** Frees the model, the optimiser and the data. */
  dispose(): void;
}

/**
 * Builds the tutorial-style model and trainer for `config` (eps-prediction, simple loss).
 *
 * @param config The denoiser configuration to mirror (hidden, layers, octaves, time embedding, T).
 * @param schedule The noise schedule (its alphaBars).
 * @param data The training points, flat [n, 2].
 * @param batchSize Examples per step.
 * @returns The trainer.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { denoiserConfig } from "../engine/denoiser.ts";
 * import { linearSchedule } from "../engine/schedule.ts";
 * import { createTutorialTrainer } from "./tutorial.ts";
 * await tf.setBackend("cpu");
 * const c = denoiserConfig({ parameterisation: "eps", T: 10, seed: 0, hidden: 8 });
 * const before = tf.memory().numTensors;
 * const tutorial = createTutorialTrainer(c, linearSchedule(10), new Float32Array([0, 0, 1, 1]), 4);
 * if (!((await tutorial.step()) > 0)) throw new Error("a positive loss");
 * tutorial.dispose();
 * if (tf.memory().numTensors !== before) throw new Error("leak");
 * ```
 */
export function createTutorialTrainer(
  config: DenoiserConfig,
  schedule: Schedule,
  data: Float32Array,
  batchSize: number,
): TutorialTrainer {
  const model = tf.sequential();
  for (let l = 0; l < config.layers; l++) {
    model.add(tf.layers.dense({
      units: config.hidden,
      activation: "swish", // SiLU
      inputShape: l === 0 ? [inputDim(config)] : undefined,
    }));
  }
  model.add(tf.layers.dense({ units: 2 }));
  const optimizer = tf.train.adam(2e-3);
  const n = data.length / 2;
  const pool = tf.tensor2d(data, [n, 2]); // [n, 2]
  const sqrtAlphaBar = tf.tensor1d(Float32Array.from(schedule.alphaBars, Math.sqrt)); // [T + 1]
  const sqrtOneMinus = tf.tensor1d(Float32Array.from(schedule.alphaBars, (a) => Math.sqrt(1 - a))); // [T + 1]
  const timeTable = tf.tensor2d(
    timeEmbeddingTable(config.T, config.timeEmbedDim),
    [config.T + 1, config.timeEmbedDim],
  ); // [T + 1, E]
  const frequencies = tf.tensor1d(
    Float32Array.from({ length: config.fourierOctaves }, (_, k) => 2 ** k),
  ); // [K]

  const features = (x: tf.Tensor2D, t: tf.Tensor1D) => {
    const angles = tf.reshape(tf.mul(tf.expandDims(x, 2), frequencies), [batchSize, -1]); // [B, 2K]
    return tf.concat([x, tf.sin(angles), tf.cos(angles), tf.gather(timeTable, t)], 1); // [B, in]
  };

  return {
    async step() {
      const loss = optimizer.minimize(() => {
        const idx = tf.randomUniform([batchSize], 0, n, "int32") as tf.Tensor1D; // [B]
        const x0 = tf.gather(pool, idx) as tf.Tensor2D; // [B, 2]
        const t = tf.randomUniform([batchSize], 1, config.T + 1, "int32") as tf.Tensor1D; // [B]
        const eps = tf.randomNormal([batchSize, 2]) as tf.Tensor2D; // [B, 2]
        const a = tf.reshape(tf.gather(sqrtAlphaBar, t), [-1, 1]); // [B, 1]
        const s = tf.reshape(tf.gather(sqrtOneMinus, t), [-1, 1]); // [B, 1]
        const xt = tf.add(tf.mul(a, x0), tf.mul(s, eps)) as tf.Tensor2D; // x_t, [B, 2]
        const out = model.apply(features(xt, t)) as tf.Tensor2D; // [B, 2]
        return tf.mean(tf.sum(tf.square(tf.sub(eps, out)), 1)) as tf.Scalar; // []
      }, true) as tf.Scalar;
      const value = (await loss.data())[0]; // read every step, as a tutorial prints it
      loss.dispose();
      return value;
    },
    dispose() {
      model.dispose();
      optimizer.dispose();
      [pool, sqrtAlphaBar, sqrtOneMinus, timeTable, frequencies].forEach((x) => x.dispose());
    },
  };
}
