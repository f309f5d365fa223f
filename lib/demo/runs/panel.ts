/**
 * A sampler's answer as the islands draw it: the samples and the first few whole paths.
 *
 * @module
 */
import type { SampleResult } from "../../../engine/samplers.ts";
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
