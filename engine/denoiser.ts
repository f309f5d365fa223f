/**
 * The book's denoiser network, written with plain tfjs ops (no tf.layers): an MLP that reads
 * Fourier features of x_t, a sinusoidal embedding of t / T and, optionally, a class label, and
 * outputs either epsTheta(x_t, t), a prediction of x_0, or a score, depending on its
 * parameterisation.
 *
 * Input features, for x = (x_1, x_2): [x_1, x_2, sin(2^k x_i), cos(2^k x_i) for k < octaves,
 * sin(omega_j t / T), cos(omega_j t / T)] with omega_j geometric from 1 to 100. Hidden layers use
 * SiLU(z) = z sigmoid(z). A label y in 0..numClasses-1 (numClasses = the null label used for
 * classifier-free guidance) adds a learned vector to the first layer's pre-activation.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng } from "./rng.ts";

/** What the network's output means. */
export type Parameterisation = "eps" | "x0" | "score";

/** Options of {@link createDenoiser}. */
export interface DenoiserOptions {
  /** Output meaning: noise epsilon, clean x_0, or score grad log q(x_t). */
  parameterisation: Parameterisation;
  /** Width of each hidden layer (128). */
  hidden?: number;
  /** Number of hidden layers (3). */
  layers?: number;
  /** Fourier octaves of the input coordinates (6); 0 feeds only the raw coordinates. */
  fourierOctaves?: number;
  /** Size of the sinusoidal time embedding, even (32). */
  timeEmbedDim?: number;
  /** Number of diffusion steps; t runs 1..T. */
  T: number;
  /** Number of classes for a conditional model (0 or absent: unconditional). */
  numClasses?: number;
  /** Seed of the initial weights. */
  seed: number;
}

/** The full configuration of a denoiser, every default filled in. */
export interface DenoiserConfig {
  readonly parameterisation: Parameterisation;
  readonly hidden: number;
  readonly layers: number;
  readonly fourierOctaves: number;
  readonly timeEmbedDim: number;
  readonly T: number;
  readonly numClasses: number;
  readonly seed: number;
}

/** A denoising network with its weights. */
export interface Denoiser {
  /** Its configuration (enough, with the weights, to rebuild it). */
  readonly config: DenoiserConfig;
  /** Trainable weights, in the order of {@link Denoiser.weightNames}. */
  readonly variables: tf.Variable[];
  /** A stable name per variable (`dense0/kernel`, ..., `out/bias`, `label/kernel`). */
  readonly weightNames: readonly string[];
  /** Number of trainable scalars. */
  readonly numParams: number;
  /**
   * The network's output for a batch (call inside `tf.tidy`).
   *
   * @param x [B, 2] points x_t.
   * @param t [B] int32 times in 1..T.
   * @param y [B] int32 labels (numClasses = no label); omitted means no label.
   * @returns [B, 2] prediction of eps, x_0 or the score (see `config.parameterisation`).
   */
  apply(x: tf.Tensor2D, t: tf.Tensor1D, y?: tf.Tensor1D): tf.Tensor2D;
  /** Copies of the weights by name. */
  getWeights(): Promise<Record<string, Float32Array>>;
  /** Overwrites the weights (every name must be present with the right size). */
  setWeights(weights: Record<string, Float32Array>): void;
  /** The same network reading other variables of the same shapes (e.g. EMA weights); not owned. */
  withVariables(variables: tf.Variable[]): Denoiser;
  /** Frees the weights and constants (a view from `withVariables` frees nothing). */
  dispose(): void;
}

/** Highest angular frequency of the time embedding (in units of t / T). */
export const TIME_MAX_FREQUENCY = 100;

/**
 * Fills in the defaults and checks the options.
 *
 * @param opts Options as given.
 * @returns The full configuration.
 * @example
 * ```ts
 * import { denoiserConfig } from "./denoiser.ts";
 * const c = denoiserConfig({ parameterisation: "eps", T: 100, seed: 0 });
 * if (c.hidden !== 128 || c.layers !== 3 || c.timeEmbedDim !== 32) throw new Error("defaults");
 * ```
 */
export function denoiserConfig(opts: DenoiserOptions): DenoiserConfig {
  const c: DenoiserConfig = {
    parameterisation: opts.parameterisation,
    hidden: opts.hidden ?? 128,
    layers: opts.layers ?? 3,
    fourierOctaves: opts.fourierOctaves ?? 6,
    timeEmbedDim: opts.timeEmbedDim ?? 32,
    T: opts.T,
    numClasses: opts.numClasses ?? 0,
    seed: opts.seed,
  };
  const positive: [string, number][] = [["hidden", c.hidden], ["layers", c.layers], ["T", c.T]];
  const nonNegative: [string, number][] = [
    ["fourierOctaves", c.fourierOctaves],
    ["numClasses", c.numClasses],
  ];
  for (const [name, v] of positive) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(
        `Cannot build denoiser as ${name} must be a positive integer: current value is ${v}`,
      );
    }
  }
  for (const [name, v] of nonNegative) {
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(
        `Cannot build denoiser as ${name} must be a non-negative integer: current value is ${v}`,
      );
    }
  }
  if (!Number.isInteger(c.timeEmbedDim) || c.timeEmbedDim < 2 || c.timeEmbedDim % 2 !== 0) {
    throw new RangeError(
      `Cannot build denoiser as timeEmbedDim must be an even integer >= 2: ` +
        `current value is ${c.timeEmbedDim}`,
    );
  }
  if (!["eps", "x0", "score"].includes(c.parameterisation)) {
    throw new RangeError(
      `Cannot build denoiser as parameterisation must be eps, x0 or score: ` +
        `current value is ${c.parameterisation}`,
    );
  }
  return c;
}

/**
 * Number of input features: 2 raw coordinates, 2 * 2 * octaves Fourier features, the time embedding.
 *
 * @example
 * ```ts
 * import { denoiserConfig, inputDim } from "./denoiser.ts";
 * const c = denoiserConfig({ parameterisation: "eps", T: 100, seed: 0 });
 * if (inputDim(c) !== 2 + 24 + 32) throw new Error("58 input features by default");
 * ```
 */
export function inputDim(c: DenoiserConfig): number {
  return 2 + 4 * c.fourierOctaves + c.timeEmbedDim;
}

/** Names and shapes of the weights, in variable order. */
function weightShapes(c: DenoiserConfig): [string, number[]][] {
  const shapes: [string, number[]][] = [];
  let fanIn = inputDim(c);
  for (let l = 0; l < c.layers; l++) {
    shapes.push([`dense${l}/kernel`, [fanIn, c.hidden]], [`dense${l}/bias`, [c.hidden]]);
    fanIn = c.hidden;
  }
  shapes.push(["out/kernel", [c.hidden, 2]], ["out/bias", [2]]);
  if (c.numClasses > 0) shapes.push(["label/kernel", [c.numClasses + 1, c.hidden]]);
  return shapes;
}

/**
 * The sinusoidal time embedding table, row t = [sin(omega_j t/T), cos(omega_j t/T)], t = 0..T.
 *
 * @param T Number of steps.
 * @param dim Embedding size (even).
 * @returns Flat [(T + 1), dim] float32 values.
 * @example
 * ```ts
 * import { timeEmbeddingTable } from "./denoiser.ts";
 * const e = timeEmbeddingTable(10, 4); // omega = 1, 100
 * if (Math.abs(e[4 * 10] - Math.sin(1)) > 1e-7) throw new Error("row T starts with sin(1)");
 * ```
 */
export function timeEmbeddingTable(T: number, dim: number): Float32Array {
  const half = dim / 2;
  const table = new Float32Array((T + 1) * dim); // [T + 1, dim]
  for (let t = 0; t <= T; t++) {
    for (let j = 0; j < half; j++) {
      const omega = half === 1 ? 1 : Math.exp((j / (half - 1)) * Math.log(TIME_MAX_FREQUENCY));
      table[t * dim + j] = Math.sin((omega * t) / T);
      table[t * dim + half + j] = Math.cos((omega * t) / T);
    }
  }
  return table;
}

/** The constant tensors a denoiser reads besides its weights. */
interface Constants {
  frequencies: tf.Tensor3D; // [1, 1, octaves]
  timeTable: tf.Tensor2D; // [T + 1, timeEmbedDim]
}

function initialWeights(c: DenoiserConfig): Float32Array[] {
  const rng = createRng(c.seed);
  return weightShapes(c).map(([name, shape]) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith("/bias")) return values; // biases start at 0
    const std = name === "label/kernel" ? 1 / Math.sqrt(inputDim(c)) : 1 / Math.sqrt(shape[0]);
    for (let i = 0; i < values.length; i++) values[i] = std * rng.normal(); // LeCun normal
    return values;
  });
}

/**
 * h W with a gradient built from explicit transposes: tfjs's WASM backend runs a matMul with
 * transpose flags about 8x slower than a transpose followed by a plain matMul (measured 4.5 ms
 * against 0.8 ms at [256, 128] x [128, 128]), and the default gradient uses the flags.
 */
const matMulExplicitGrad = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [h, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([h, w]);
  return {
    value: tf.matMul(h, w), // [B, out]
    gradFunc: (dy, saved) => {
      const [hs, ws] = saved as tf.Tensor2D[];
      return [
        tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), // [B, in] = dy W^T
        tf.matMul(tf.transpose(hs), dy as tf.Tensor2D), // [in, out] = h^T dy
      ];
    },
  };
}) as (h: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** Matrix product h W, with the WASM-friendly gradient on the WASM backend. */
function dense(h: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return tf.getBackend() === "wasm" ? matMulExplicitGrad(h, w) : tf.matMul(h, w);
}

function silu(z: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(z, tf.sigmoid(z)); // SiLU(z) = z \sigma(z)
}

/** The input features [x, sin(2^k x), cos(2^k x), time embedding of t] as a tensor. */
function inputTensor(
  c: DenoiserConfig,
  k: Constants,
  x: tf.Tensor2D,
  t: tf.Tensor1D,
): tf.Tensor2D {
  const B = x.shape[0];
  const parts: tf.Tensor2D[] = [x]; // [B, 2]
  if (c.fourierOctaves > 0) {
    const angles = tf.reshape(tf.mul(tf.reshape(x, [B, 2, 1]), k.frequencies), [
      B,
      -1,
    ]) as tf.Tensor2D; // [B, 2K]
    parts.push(tf.sin(angles), tf.cos(angles)); // [B, 2K] each
  }
  parts.push(tf.gather(k.timeTable, t)); // [B, E]
  return tf.concat(parts, 1); // [B, in]
}

/** The MLP on input features h [B, in]: SiLU hidden layers, then a linear output layer. */
function mlp(
  c: DenoiserConfig,
  v: tf.Variable[],
  input: tf.Tensor2D,
  y?: tf.Tensor1D,
): tf.Tensor2D {
  const B = input.shape[0];
  let h = input; // [B, in]
  for (let l = 0; l < c.layers; l++) {
    let z = tf.add(dense(h, v[2 * l] as tf.Tensor2D), v[2 * l + 1]) as tf.Tensor2D; // [B, H]
    if (l === 0 && c.numClasses > 0) {
      const label = y ?? tf.fill([B], c.numClasses, "int32"); // [B], null label when absent
      const oneHot = tf.oneHot(label, c.numClasses + 1); // [B, C + 1]
      z = tf.add(
        z,
        dense(tf.cast(oneHot, "float32") as tf.Tensor2D, v[2 * c.layers + 2] as tf.Tensor2D),
      ); // [B, H]
    }
    h = silu(z); // [B, H]
  }
  return tf.add(dense(h, v[2 * c.layers] as tf.Tensor2D), v[2 * c.layers + 1]) as tf.Tensor2D; // [B, 2]
}

const timeTables = new Map<string, Float32Array>();

/**
 * The denoiser's input features computed in plain TypeScript, row by row:
 * [x_1, x_2, sin(2^k x_i) (i-major, k < octaves), cos(2^k x_i), sin(omega_j t / T), cos(...)],
 * the same values `apply` computes with tensors. The trainer builds its minibatches in
 * TypeScript anyway, so computing the features there too saves six kernels a step (and the
 * backward pass never needs them: they hold no weights).
 *
 * @param c The denoiser configuration.
 * @param x Points, flat [B, 2] (float32 values).
 * @param t Times in 1..T (0..T accepted), one per point.
 * @param out Where to write (length B * inputDim(c)); allocated when omitted.
 * @returns The features, flat [B, inputDim(c)].
 * @example
 * ```ts
 * import { denoiserConfig, inputDim, inputFeatures, timeEmbeddingTable } from "./denoiser.ts";
 * const c = denoiserConfig({ parameterisation: "eps", T: 10, seed: 0, fourierOctaves: 2 });
 * const f = inputFeatures(c, [0.5, -1], [10]);
 * // [x1, x2, sin(x1), sin(2 x1), sin(x2), sin(2 x2), cos(...) x 4, time row 10]
 * if (f.length !== inputDim(c) || Math.abs(f[3] - Math.sin(1)) > 1e-7) throw new Error("sin(2 x1)");
 * if (f[10] !== timeEmbeddingTable(10, 32)[10 * 32]) throw new Error("time row t = 10");
 * ```
 */
export function inputFeatures(
  c: DenoiserConfig,
  x: ArrayLike<number>,
  t: ArrayLike<number>,
  out?: Float32Array,
): Float32Array {
  const B = t.length, K = c.fourierOctaves, E = c.timeEmbedDim, D = inputDim(c);
  if (x.length !== 2 * B) {
    throw new RangeError(
      `Cannot compute features as x must hold 2 values per time (${2 * B}): ` +
        `current length is ${x.length}`,
    );
  }
  const features = out ?? new Float32Array(B * D); // [B, in]
  if (features.length !== B * D) {
    throw new RangeError(
      `Cannot compute features as out must hold ${
        B * D
      } values: current length is ${features.length}`,
    );
  }
  const key = `${c.T},${E}`;
  let table = timeTables.get(key);
  if (!table) timeTables.set(key, table = timeEmbeddingTable(c.T, E)); // [T + 1, E]
  for (let b = 0; b < B; b++) {
    const row = b * D;
    const ti = t[b];
    if (!Number.isInteger(ti) || ti < 0 || ti > c.T) {
      throw new RangeError(
        `Cannot compute features as t must be an integer in [0, ${c.T}]: current value is ${ti}`,
      );
    }
    for (let i = 0; i < 2; i++) {
      const xi = Math.fround(x[2 * b + i]);
      features[row + i] = xi;
      // Doubling the angle: sin(2a) = 2 sin(a) cos(a), cos(2a) = cos^2(a) - sin^2(a), in float64
      // (the error at most doubles per octave: ~1e-14 after 6, far below float32's 6e-8), so two
      // calls to Math.sin / Math.cos per coordinate instead of 2 per octave (~5x faster here).
      let sin = Math.sin(xi), cos = Math.cos(xi);
      for (let k = 0; k < K; k++) {
        features[row + 2 + i * K + k] = sin; // sin(2^k x_i)
        features[row + 2 + 2 * K + i * K + k] = cos; // cos(2^k x_i)
        [sin, cos] = [2 * sin * cos, cos * cos - sin * sin];
      }
    }
    features.set(table.subarray(ti * E, (ti + 1) * E), row + 2 + 4 * K); // time embedding of t
  }
  return features;
}

/**
 * The network's output from precomputed input features (see {@link inputFeatures}); equal to
 * `denoiser.apply(x, t, y)` for the same points. Call inside `tf.tidy`.
 *
 * @param denoiser The network (its config and variables).
 * @param features [B, inputDim] features.
 * @param y [B] int32 labels for a conditional model (omitted: the null label).
 * @returns [B, 2] prediction.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { applyToFeatures, createDenoiser, inputFeatures } from "./denoiser.ts";
 * await tf.setBackend("cpu");
 * const d = createDenoiser({ parameterisation: "eps", T: 10, seed: 0, hidden: 4 });
 * const f = tf.tensor2d(inputFeatures(d.config, [0.1, 0.2], [3]), [1, 58]);
 * const a = tf.tidy(() => applyToFeatures(d, f).dataSync());
 * const b = tf.tidy(() => d.apply(tf.tensor2d([[0.1, 0.2]]), tf.tensor1d([3], "int32")).dataSync());
 * if (Math.abs(a[0] - b[0]) > 1e-5) throw new Error("same output");
 * f.dispose();
 * d.dispose();
 * ```
 */
export function applyToFeatures(
  denoiser: Denoiser,
  features: tf.Tensor2D,
  y?: tf.Tensor1D,
): tf.Tensor2D {
  const D = inputDim(denoiser.config);
  if (features.rank !== 2 || features.shape[1] !== D) {
    throw new RangeError(
      `Cannot apply denoiser to features as they must have shape [B, ${D}]: ` +
        `current shape is [${features.shape}]`,
    );
  }
  return mlp(denoiser.config, denoiser.variables, features, y);
}

function forward(
  c: DenoiserConfig,
  k: Constants,
  v: tf.Variable[],
  x: tf.Tensor2D,
  t: tf.Tensor1D,
  y?: tf.Tensor1D,
): tf.Tensor2D {
  return mlp(c, v, inputTensor(c, k, x, t), y); // [B, 2]
}

function makeDenoiser(
  c: DenoiserConfig,
  k: Constants,
  variables: tf.Variable[],
  owner: boolean,
): Denoiser {
  const shapes = weightShapes(c);
  const names = shapes.map(([name]) => name);
  const numParams = variables.reduce((n, v) => n + v.size, 0);
  let disposed = false;
  return {
    config: c,
    variables,
    weightNames: names,
    numParams,
    apply(x, t, y) {
      if (disposed) {
        throw new Error("Cannot apply denoiser as it is disposed: current state is disposed");
      }
      if (x.rank !== 2 || x.shape[1] !== 2) {
        throw new RangeError(
          `Cannot apply denoiser as x must have shape [B, 2]: current shape is [${x.shape}]`,
        );
      }
      if (y && c.numClasses === 0) {
        throw new RangeError(
          `Cannot apply denoiser with a label as numClasses must be positive: current value is 0`,
        );
      }
      return forward(c, k, variables, x, t, y);
    },
    async getWeights() {
      const out: Record<string, Float32Array> = {};
      for (let i = 0; i < variables.length; i++) {
        out[names[i]] = (await variables[i].data()) as Float32Array;
      }
      return out;
    },
    setWeights(weights) {
      variables.forEach((v, i) => {
        const w = weights[names[i]];
        if (!w || w.length !== v.size) {
          throw new RangeError(
            `Cannot set weight ${names[i]} as it must hold ${v.size} values: ` +
              `current length is ${w ? w.length : "missing"}`,
          );
        }
        tf.tidy(() => v.assign(tf.tensor(w, v.shape, "float32")));
      });
    },
    withVariables(others) {
      others.forEach((o, i) => {
        if (!variables[i] || o.shape.join() !== variables[i].shape.join()) {
          throw new RangeError(
            `Cannot view denoiser with other variables as variable ${i} must have shape ` +
              `[${variables[i]?.shape}]: current shape is [${o.shape}]`,
          );
        }
      });
      return makeDenoiser(c, k, others, false);
    },
    dispose() {
      if (disposed || !owner) return;
      disposed = true;
      variables.forEach((v) => v.dispose());
      k.frequencies.dispose();
      k.timeTable.dispose();
    },
  };
}

/**
 * Creates a denoiser with seeded initial weights (LeCun normal kernels, zero biases).
 *
 * @param opts Parameterisation, sizes, T, numClasses and seed.
 * @returns The network; call `dispose()` when done.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createDenoiser } from "./denoiser.ts";
 * await tf.setBackend("cpu");
 * const d = createDenoiser({ parameterisation: "eps", T: 100, seed: 1 });
 * // (58 * 128 + 128) + 2 (128 * 128 + 128) + (128 * 2 + 2) = 40834
 * if (d.numParams !== 40834) throw new Error(`numParams ${d.numParams}`);
 * d.dispose();
 * ```
 */
export function createDenoiser(opts: DenoiserOptions): Denoiser {
  const c = denoiserConfig(opts);
  const octaves = Float32Array.from({ length: c.fourierOctaves }, (_, j) => 2 ** j); // 2^k
  const k: Constants = {
    frequencies: tf.tensor3d(octaves, [1, 1, c.fourierOctaves]), // [1, 1, K]
    timeTable: tf.tensor2d(timeEmbeddingTable(c.T, c.timeEmbedDim), [c.T + 1, c.timeEmbedDim]),
  };
  const init = initialWeights(c);
  const variables = weightShapes(c).map(([, shape], i) => {
    const initial = tf.tensor(init[i], shape, "float32");
    const v = tf.variable(initial, true); // shares the data; the handle is freed below
    initial.dispose();
    return v;
  });
  return makeDenoiser(c, k, variables, true);
}
