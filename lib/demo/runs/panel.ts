/**
 * What the runs' answers share: a sampler's answer as the islands draw it (the samples and the
 * first few whole paths), and the model's reverse-step mean for a whole batch.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { reverseMeanFromEps } from "../../../engine/parameterisation.ts";
import type { EpsModel, SampleResult } from "../../../engine/samplers.ts";
import type { Schedule } from "../../../engine/schedule.ts";
import type { Panel } from "./train_types.ts";

/**
 * The first `count` paths of a sampler's trajectory, as [k, L, 2], with its samples.
 *
 * @example
 * ```ts
 * import { panelOf } from "./panel.ts";
 * const p = panelOf({ samples: new Float32Array([5, 6, 7, 8]), trajectory: [new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8])] }, 1);
 * if (p.pathCount !== 1 || p.pathLength !== 2 || p.paths.join() !== "1,2,5,6") throw new Error();
 * ```
 */
export function panelOf(result: SampleResult, count: number): Panel {
  const frames = result.trajectory ?? [result.samples];
  const k = Math.min(count, result.samples.length / 2);
  const paths = new Float32Array(k * frames.length * 2); // [k, L, 2]
  for (let i = 0; i < k; i++) {
    frames.forEach((frame, l) => {
      paths[(i * frames.length + l) * 2] = frame[2 * i];
      paths[(i * frames.length + l) * 2 + 1] = frame[2 * i + 1];
    });
  }
  return { points: result.samples, paths, pathCount: k, pathLength: frames.length };
}

/** The model's reverse-step mean for a batch, mu_theta(x_t, t) (`eq:eps-mean`), in one call. */
export function batchReverseMean(model: EpsModel, schedule: Schedule) {
  return (xt: Float64Array, t: number): Float64Array => {
    const eps = tf.tidy(() =>
      model(tf.tensor2d(Float32Array.from(xt), [xt.length / 2, 2]), t).dataSync()
    ); // [N, 2]
    return reverseMeanFromEps(schedule, xt, Float64Array.from(eps), t); // [N, 2]
  };
}
