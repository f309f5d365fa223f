/**
 * Counting the floating-point work of a training step, so that steps/s becomes GFLOP/s.
 *
 * Only the matrix products are counted (the elementwise ops, the features and Adam are a few
 * percent at width 128). A dense layer [B, in] x [in, out] costs 2 B in out FLOPs forward (one
 * multiply and one add per term). Backward costs two more products of the same size (dy W^T for
 * the input gradient, h^T dy for the weight gradient), so a training step is about
 * 3 x forward = 6 B sum_l in_l out_l FLOPs.
 *
 * @module
 */
import { type DenoiserConfig, inputDim } from "../engine/denoiser.ts";

/**
 * The (in, out) sizes of the denoiser's matrix products, in order.
 *
 * @param c A denoiser configuration.
 * @returns One [in, out] pair per dense layer (hidden layers, then the output layer).
 * @example
 * ```ts
 * import { denoiserConfig } from "../engine/denoiser.ts";
 * import { denseShapes } from "./flops.ts";
 * const c = denoiserConfig({ parameterisation: "eps", T: 100, seed: 0 });
 * if (denseShapes(c).join(";") !== "58,128;128,128;128,128;128,2") throw new Error("shapes");
 * ```
 */
export function denseShapes(c: DenoiserConfig): [number, number][] {
  const shapes: [number, number][] = [];
  let fanIn = inputDim(c);
  for (let l = 0; l < c.layers; l++) {
    shapes.push([fanIn, c.hidden]);
    fanIn = c.hidden;
  }
  shapes.push([c.hidden, 2]);
  if (c.numClasses > 0) shapes.push([c.numClasses + 1, c.hidden]); // the one-hot label product
  return shapes;
}

/**
 * FLOPs of one forward pass over a batch: 2 B sum_l in_l out_l.
 *
 * @param c A denoiser configuration.
 * @param batchSize B.
 * @returns The FLOP count.
 * @example
 * ```ts
 * import { denoiserConfig } from "../engine/denoiser.ts";
 * import { forwardFlops } from "./flops.ts";
 * const c = denoiserConfig({ parameterisation: "eps", T: 100, seed: 0 });
 * // 58*128 + 2*128*128 + 128*2 = 40,448 multiply-adds per example
 * if (forwardFlops(c, 1) !== 80_896) throw new Error("2 * 40,448");
 * ```
 */
export function forwardFlops(c: DenoiserConfig, batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Cannot count FLOPs as batchSize must be a positive integer: current value is ${batchSize}`,
    );
  }
  return 2 * batchSize * denseShapes(c).reduce((sum, [i, o]) => sum + i * o, 0);
}

/**
 * FLOPs of one training step (forward + backward): 3 x forward = 6 B sum_l in_l out_l.
 *
 * @param c A denoiser configuration.
 * @param batchSize B.
 * @returns The FLOP count.
 * @example
 * ```ts
 * import { denoiserConfig } from "../engine/denoiser.ts";
 * import { trainStepFlops } from "./flops.ts";
 * const c = denoiserConfig({ parameterisation: "eps", T: 100, seed: 0 });
 * if (trainStepFlops(c, 256) !== 3 * 80_896 * 256) throw new Error("3x forward");
 * ```
 */
export function trainStepFlops(c: DenoiserConfig, batchSize: number): number {
  return 3 * forwardFlops(c, batchSize);
}

/**
 * FLOPs of an [n, k] x [k, m] matrix product: 2 n k m.
 *
 * @example
 * ```ts
 * import { matMulFlops } from "./flops.ts";
 * if (matMulFlops(1024, 1024, 1024) !== 2 * 1024 ** 3) throw new Error("2 n^3");
 * ```
 */
export function matMulFlops(n: number, k: number, m: number): number {
  return 2 * n * k * m;
}

/**
 * Achieved GFLOP/s: `flops` done every `ms` milliseconds.
 *
 * @param flops FLOPs per repetition.
 * @param ms Milliseconds per repetition.
 * @returns 1e-9 flops / (ms / 1000), or NaN when ms is not positive.
 * @example
 * ```ts
 * import { gflops } from "./flops.ts";
 * if (gflops(2e9, 500) !== 4) throw new Error("2 GFLOP in 0.5 s is 4 GFLOP/s");
 * ```
 */
export function gflops(flops: number, ms: number): number {
  return ms > 0 ? flops / ms / 1e6 : NaN;
}
