/**
 * The denoiser's training loss and gradient on flat float32 arrays in plain TypeScript: the same
 * backward pass as `denoiser_grad.ts` (see its notes for the formulas), with the weights read from
 * one flat array in variable order and the gradient written to another. The trainer uses it on
 * the tfjs cpu backend, where its loops (`gemm.ts`) are about 3x tfjs's own matMul and a step
 * needs no tensor at all; `denoiser_grad_test.ts` checks it against the tensor version and
 * against tfjs's automatic gradient.
 *
 * @module
 */
import { type DenoiserConfig, inputDim } from "./denoiser.ts";
import { matMulATInto, matMulInto, transposeInto } from "./gemm.ts";

/** One minibatch, as flat arrays. */
export interface FlatBatch {
  /** [B, inputDim] input features (see `inputFeatures`). */
  features: Float32Array;
  /** [B, 2] what the network should output. */
  target: Float32Array;
  /** [B] per-example loss weights. */
  weights: Float32Array;
  /** [B] labels of a conditional model (numClasses = the null label; omitted: all null). */
  labels?: Int32Array;
}

/**
 * Computes the loss of a minibatch and writes its gradient; returns the loss.
 *
 * @param theta The weights, flat in the order of `denoiser.variables`.
 * @param batch The minibatch (B rows, as given when the function was created).
 * @param grad Where the gradient goes, flat like `theta` (overwritten).
 */
export type FlatLossAndGrads = (
  theta: Float32Array,
  batch: FlatBatch,
  grad: Float32Array,
) => number;

/**
 * Offsets of each weight in the flat array, in variable order: dense0/kernel, dense0/bias, ...,
 * out/kernel, out/bias, then label/kernel for a conditional model; the last entry is the total.
 */
function weightOffsets(c: DenoiserConfig): number[] {
  const sizes: number[] = [];
  let fanIn = inputDim(c);
  for (let l = 0; l < c.layers; l++) {
    sizes.push(fanIn * c.hidden, c.hidden);
    fanIn = c.hidden;
  }
  sizes.push(c.hidden * 2, 2);
  if (c.numClasses > 0) sizes.push((c.numClasses + 1) * c.hidden);
  const offsets = [0];
  for (const s of sizes) offsets.push(offsets[offsets.length - 1] + s);
  return offsets;
}

/**
 * Creates the loss-and-gradient function for one configuration and batch size, with its scratch
 * arrays allocated once.
 *
 * @param c The denoiser's configuration.
 * @param batchSize Rows per minibatch.
 * @returns The function (see {@link FlatLossAndGrads}).
 * @example
 * ```ts
 * import { denoiserConfig, inputDim, inputFeatures } from "./denoiser.ts";
 * import { createFlatLossAndGrads } from "./denoiser_grad_flat.ts";
 * const c = denoiserConfig({ parameterisation: "eps", T: 10, seed: 0, hidden: 4, layers: 1 });
 * const P = (inputDim(c) + 1) * 4 + 4 * 2 + 2;
 * const theta = new Float32Array(P); // all zeros: the output is 0
 * const grad = new Float32Array(P);
 * const loss = createFlatLossAndGrads(c, 1)(theta, {
 *   features: inputFeatures(c, [0.1, 0.2], [3]),
 *   target: new Float32Array([1, -1]),
 *   weights: new Float32Array([1]),
 * }, grad);
 * // loss = 1^2 + 1^2; d loss / d out/bias = 2 (out - target) = [-2, 2]
 * if (loss !== 2 || grad[P - 2] !== -2 || grad[P - 1] !== 2) throw new Error("loss and bias grad");
 * ```
 */
export function createFlatLossAndGrads(c: DenoiserConfig, batchSize: number): FlatLossAndGrads {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Cannot create the flat gradient as batchSize must be a positive integer: ` +
        `current value is ${batchSize}`,
    );
  }
  const B = batchSize, H = c.hidden, L = c.layers, D = inputDim(c), C = c.numClasses;
  const offsets = weightOffsets(c);
  const fanIn = (l: number) => (l === 0 ? D : H);
  const h = Array.from({ length: L }, () => new Float32Array(B * H)); // h_1..h_L, [B, H] each
  const sigma = Array.from({ length: L }, () => new Float32Array(B * H)); // \sigma(z_l)
  const out = new Float32Array(B * 2); // [B, 2]
  const dOut = new Float32Array(B * 2); // [B, 2]
  const dh = new Float32Array(B * H); // [B, H]
  const dz = new Float32Array(B * H); // [B, H]
  const wT = new Float32Array(H * Math.max(H, 2)); // a kernel transposed

  return (theta, batch, grad) => {
    const { features, target, weights, labels } = batch;
    if (
      features.length !== B * D || target.length !== B * 2 || weights.length !== B ||
      (labels !== undefined && labels.length !== B)
    ) {
      throw new RangeError(
        `Cannot compute the flat gradient as the batch must hold ${B} rows: current lengths are ` +
          `features ${features.length}, target ${target.length}, weights ${weights.length}`,
      );
    }
    if (theta.length !== offsets[offsets.length - 1] || grad.length !== theta.length) {
      throw new RangeError(
        `Cannot compute the flat gradient as theta and grad must hold ` +
          `${
            offsets[offsets.length - 1]
          } values: current lengths are ${theta.length}, ${grad.length}`,
      );
    }
    const W = (i: number) => theta.subarray(offsets[i], offsets[i + 1]);
    const G = (i: number) => grad.subarray(offsets[i], offsets[i + 1]);
    const label = (b: number) => (labels ? labels[b] : C); // the null label when absent
    // Forward.
    let input = features; // h_0 [B, in]
    for (let l = 0; l < L; l++) {
      const z = h[l], s = sigma[l], bias = W(2 * l + 1);
      matMulInto(input, W(2 * l), z, B, fanIn(l), H); // [B, H] h W
      const labelKernel = l === 0 && C > 0 ? W(2 * L + 2) : undefined; // [C + 1, H]
      for (let b = 0; b < B; b++) {
        const row = b * H, e = labelKernel ? label(b) * H : -1;
        for (let j = 0; j < H; j++) {
          let zj = z[row + j] + bias[j]; // z = h W + b (+ e_y W_label)
          if (labelKernel) zj += labelKernel[e + j];
          const sj = 1 / (1 + Math.exp(-zj)); // \sigma(z)
          s[row + j] = sj;
          z[row + j] = zj * sj; // SiLU(z), in place: h_{l+1}
        }
      }
      input = z;
    }
    matMulInto(input, W(2 * L), out, B, H, 2); // [B, 2] h_L W_out
    const outBias = W(2 * L + 1);
    let loss = 0;
    for (let b = 0; b < B; b++) {
      const r0 = out[2 * b] + outBias[0] - target[2 * b]; // out - target
      const r1 = out[2 * b + 1] + outBias[1] - target[2 * b + 1];
      loss += weights[b] * (r0 * r0 + r1 * r1);
      const scale = (2 * weights[b]) / B; // dL/dout = 2 w_b (out_b - target_b) / B
      dOut[2 * b] = scale * r0;
      dOut[2 * b + 1] = scale * r1;
    }
    // Backward.
    matMulATInto(input, dOut, G(2 * L), B, H, 2); // [H, 2] h_L^T dOut
    columnSums(dOut, G(2 * L + 1), B, 2); // [2]
    transposeInto(W(2 * L), wT, H, 2); // [2, H]
    matMulInto(dOut, wT, dh, B, 2, H); // [B, H] dOut W_out^T
    if (C > 0) G(2 * L + 2).fill(0);
    for (let l = L - 1; l >= 0; l--) {
      const hNext = h[l], s = sigma[l];
      for (let i = 0; i < B * H; i++) {
        dz[i] = dh[i] * (s[i] + hNext[i] * (1 - s[i])); // SiLU'(z) = \sigma + SiLU (1 - \sigma)
      }
      const hl = l === 0 ? features : h[l - 1];
      matMulATInto(hl, dz, G(2 * l), B, fanIn(l), H); // [in, H] h_l^T dz
      columnSums(dz, G(2 * l + 1), B, H); // [H]
      if (l === 0 && C > 0) {
        const g = G(2 * L + 2); // [C + 1, H] sum of dz rows by label
        for (let b = 0; b < B; b++) {
          const e = label(b) * H, row = b * H;
          for (let j = 0; j < H; j++) g[e + j] += dz[row + j];
        }
      }
      if (l > 0) {
        transposeInto(W(2 * l), wT, H, H); // [H, H] W_l^T
        matMulInto(dz, wT, dh, B, H, H); // [B, H] dz W_l^T
      }
    }
    return loss / B;
  };
}

/** out[j] = sum over rows of a[r, j], for a [m, n]. */
function columnSums(a: Float32Array, out: Float32Array, m: number, n: number): void {
  out.fill(0);
  for (let r = 0; r < m; r++) {
    const row = r * n;
    for (let j = 0; j < n; j++) out[j] += a[row + j];
  }
}
