/**
 * The denoiser's training loss and its gradient with respect to every weight, with
 * backpropagation written out by hand instead of recorded on tfjs's tape.
 *
 * The network is fixed (see `denoiser.ts`), so its backward pass is short: for the output layer
 * `out = h_L W_out + b_out` and the loss `(1/B) sum_b w_b ||out_b - target_b||^2`,
 *
 * - dOut = (2 / B) w_b (out_b - target_b), dW_out = h_L^T dOut, db_out = 1^T dOut,
 *   dh_L = dOut W_out^T;
 * - for each hidden layer, h_{l+1} = SiLU(z_l), z_l = h_l W_l + b_l:
 *   dz_l = dh_{l+1} (sigma(z_l) + h_{l+1} (1 - sigma(z_l))), dW_l = h_l^T dz_l,
 *   db_l = 1^T dz_l, dh_l = dz_l W_l^T (not needed for l = 0: the features hold no weights).
 *
 * Written out, a step avoids what the tape costs: tfjs clones every tensor an op saves for its
 * gradient (one copy of each [B, 128] activation per op on WASM), sums biases' gradients with a
 * reduction over the batch axis (a matrix product with a row of ones is ~10x faster on WASM), and
 * runs the generic gradients of `sigmoid` and `mul` (four kernels where one formula needs three).
 * `denoiser_grad_test.ts` checks the result against tfjs's automatic gradient and against
 * finite differences.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { Denoiser } from "./denoiser.ts";
import { transposeInto } from "./gemm.ts";

/**
 * A 2-D transpose for the WASM backend written as a blocked TypeScript loop over the WASM heap:
 * about 3x faster than tfjs's generic N-D transpose kernel at [2048, 128] (0.8 ms against 2.3).
 * A kernel of our own name, so other code using tf.transpose is unaffected.
 */
const TRANSPOSE_2D = "DiffusionTranspose2D";
tf.registerKernel({
  kernelName: TRANSPOSE_2D,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo; // [m, n]
    const wasm = backend as BackendWasm;
    const [m, n] = x.shape;
    const out = wasm.makeOutput([n, m], "float32"); // [n, m]; may grow the heap, so views after
    transposeInto(
      wasm.typedArrayFromHeap(x) as Float32Array,
      wasm.typedArrayFromHeap(out) as Float32Array,
      m,
      n,
    );
    return out;
  },
});

/**
 * The SiLU backward step dz = dh (sigma + h (1 - sigma)) for the WASM backend as one TypeScript
 * loop over the WASM heap instead of four tfjs kernels (each a pass over [B, H] with its own
 * output allocation).
 */
const SILU_GRAD = "DiffusionSiluGrad";
tf.registerKernel({
  kernelName: SILU_GRAD,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const { dh, sigma, h } = inputs as Record<string, tf.TensorInfo>; // [B, H] each
    const wasm = backend as BackendWasm;
    const out = wasm.makeOutput(dh.shape, "float32"); // [B, H]; may grow the heap, so views after
    const dz = wasm.typedArrayFromHeap(out) as Float32Array;
    const dy = wasm.typedArrayFromHeap(dh) as Float32Array;
    const s = wasm.typedArrayFromHeap(sigma) as Float32Array;
    const y = wasm.typedArrayFromHeap(h) as Float32Array;
    for (let i = 0; i < dz.length; i++) dz[i] = dy[i] * (s[i] + y[i] * (1 - s[i]));
    return out;
  },
});

/** dz = dh SiLU'(z) from sigma = \sigma(z) and h = SiLU(z): SiLU' = \sigma + SiLU (1 - \sigma). */
function siluGrad(dh: tf.Tensor2D, sigma: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  return tf.getBackend() === "wasm"
    ? tf.engine().runKernel(SILU_GRAD, { dh, sigma, h }) as tf.Tensor2D // [B, H]
    : tf.mul(dh, tf.add(sigma, tf.mul(h, tf.sub(1, sigma)))) as tf.Tensor2D; // [B, H]
}

/** a^T for a float32 [m, n]. */
function transpose(a: tf.Tensor2D): tf.Tensor2D {
  return tf.getBackend() === "wasm"
    ? tf.engine().runKernel(TRANSPOSE_2D, { x: a }) as tf.Tensor2D // [n, m]
    : tf.transpose(a); // [n, m]
}

/** One minibatch, as tensors. */
export interface GradBatch {
  /** [B, inputDim] input features (see `inputFeatures`). */
  features: tf.Tensor2D;
  /** [inputDim, B] the same features transposed; computed here when omitted. */
  featuresT?: tf.Tensor2D;
  /** [B, 2] what the network should output (eps, x_0 or the score). */
  target: tf.Tensor2D;
  /** [B] per-example loss weights (1 for the simple loss). */
  weights: tf.Tensor1D;
  /** [B] int32 labels of a conditional model (omitted: the null label). */
  labels?: tf.Tensor1D;
}

/** The loss and one gradient per variable, in the order of `denoiser.variables`. */
export interface LossAndGrads {
  /** [] the weighted mean squared error. */
  value: tf.Scalar;
  /** Gradients, shaped like the variables. */
  grads: tf.Tensor[];
}

/**
 * Whether to transpose explicitly rather than pass matMul a transpose flag: WASM runs a flagged
 * matMul ~8x slower than a transpose and a plain one, and WebGL (SwiftShader, B = 2048) ~20%
 * slower; on cpu the flags cost nothing.
 */
const explicitTranspose = () => tf.getBackend() !== "cpu";

/** a^T b. */
function matMulAT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return explicitTranspose() ? tf.matMul(transpose(a), b) : tf.matMul(a, b, true); // [n, m]
}

/** a b^T. */
function matMulBT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return explicitTranspose()
    ? tf.matMul(a, transpose(b)) // [B, n]
    : tf.matMul(a, b, false, true); // [B, n]
}

/** Column sums of a [B, n] as [n], as the product 1^T a. */
function columnSums(ones: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(ones, a), [a.shape[1]]); // [n] = 1^T a
}

/**
 * The weighted squared-error loss of `denoiser` on a minibatch and its gradient. Call inside
 * `tf.tidy`.
 *
 * @param denoiser The network.
 * @param batch Features, targets, weights and (conditional models) labels.
 * @returns The loss and a gradient per variable.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createDenoiser, inputFeatures } from "./denoiser.ts";
 * import { denoiserLossAndGrads } from "./denoiser_grad.ts";
 * await tf.setBackend("cpu");
 * const d = createDenoiser({ parameterisation: "eps", T: 10, seed: 0, hidden: 4 });
 * const { value, grads } = tf.tidy(() => {
 *   const features = tf.tensor2d(inputFeatures(d.config, [0.1, 0.2], [3]), [1, 58]);
 *   const r = denoiserLossAndGrads(d, {
 *     features,
 *     target: tf.tensor2d([[1, -1]]),
 *     weights: tf.tensor1d([1]),
 *   });
 *   return { value: r.value.dataSync()[0], grads: r.grads.map((g) => g.shape.join("x")) };
 * });
 * if (!(value > 0) || grads[0] !== "58x4" || grads.at(-1) !== "2") throw new Error("shapes");
 * d.dispose();
 * ```
 */
export function denoiserLossAndGrads(denoiser: Denoiser, batch: GradBatch): LossAndGrads {
  const c = denoiser.config;
  const v = denoiser.variables as tf.Tensor[] as tf.Tensor2D[];
  const L = c.layers;
  const B = batch.features.shape[0];
  const ones = tf.ones([1, B]) as tf.Tensor2D; // [1, B]
  // Forward, keeping h_l and sigma(z_l).
  const h: tf.Tensor2D[] = [batch.features]; // h_0 = features [B, in]
  const sigma: tf.Tensor2D[] = [];
  let oneHot: tf.Tensor2D | undefined;
  for (let l = 0; l < L; l++) {
    let z = tf.add(tf.matMul(h[l], v[2 * l]), v[2 * l + 1]) as tf.Tensor2D; // [B, H] z = h W + b
    if (l === 0 && c.numClasses > 0) {
      const label = batch.labels ?? tf.fill([B], c.numClasses, "int32"); // [B], null label
      oneHot = tf.cast(tf.oneHot(label, c.numClasses + 1), "float32") as tf.Tensor2D; // [B, C + 1]
      z = tf.add(z, tf.matMul(oneHot, v[2 * L + 2])); // [B, H] + e_y W_label
    }
    const s = tf.sigmoid(z); // [B, H] \sigma(z)
    sigma.push(s);
    h.push(tf.mul(z, s)); // [B, H] SiLU(z) = z \sigma(z)
  }
  const out = tf.add(tf.matMul(h[L], v[2 * L]), v[2 * L + 1]) as tf.Tensor2D; // [B, 2]
  const residual = tf.sub(out, batch.target) as tf.Tensor2D; // [B, 2] out - target
  const value = tf.mean(tf.mul(batch.weights, tf.sum(tf.square(residual), 1))) as tf.Scalar; // []
  // Backward.
  const grads: tf.Tensor[] = new Array(v.length);
  const scale = tf.reshape(tf.mul(batch.weights, 2 / B), [B, 1]); // [B, 1] 2 w_b / B
  const dOut = tf.mul(residual, scale) as tf.Tensor2D; // [B, 2] dL/dout
  grads[2 * L] = matMulAT(h[L], dOut); // [H, 2] h_L^T dOut
  grads[2 * L + 1] = columnSums(ones, dOut); // [2]
  let dh = matMulBT(dOut, v[2 * L]); // [B, H] dOut W_out^T
  for (let l = L - 1; l >= 0; l--) {
    const s = sigma[l];
    // SiLU'(z) = \sigma(z) + SiLU(z) (1 - \sigma(z))
    const dz = siluGrad(dh, s, h[l + 1]); // [B, H]
    grads[2 * l] = l === 0 && batch.featuresT
      ? tf.matMul(batch.featuresT, dz) // [in, H] h_0^T dz
      : matMulAT(h[l], dz); // [in, H] h_l^T dz
    grads[2 * l + 1] = columnSums(ones, dz); // [H]
    if (l === 0 && oneHot) grads[2 * L + 2] = matMulAT(oneHot, dz); // [C + 1, H]
    if (l > 0) dh = matMulBT(dz, v[2 * l]); // [B, in] dz W_l^T
  }
  return { value, grads };
}
