/**
 * Training a denoiser: minibatches (x_0, t, eps) drawn from a seeded generator, the simple or the
 * ELBO-weighted loss, Adam with global-norm clipping and cosine learning-rate decay, and an
 * exponential moving average (EMA) of the weights for sampling.
 *
 * Losses, per example (x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps, t ~ U{1..T}):
 * - `simple` (`eq:simple-loss` for eps-models): the squared error of the network on its own
 *   target: ||eps - epsTheta||^2 for an eps-model, ||x_0 - x0Theta||^2 for an x0-model,
 *   ||-eps / sqrt(1 - alphaBar_t) - sTheta||^2 for a score model (all unweighted, summed over the
 *   2 coordinates, averaged over the batch).
 * - `elbo`: the same error times the weight that makes it the ELBO's denoising term
 *   KL(q(x_{t-1} | x_t, x_0) || p_theta(x_{t-1} | x_t)) with sigma_t^2 = beta_t:
 *   beta_t / (2 alpha_t (1 - alphaBar_t)) for eps, coefX0_t^2 / (2 beta_t) for x_0,
 *   beta_t / (2 alpha_t) for the score. Its batch mean estimates (1/T) sum_t L_{t-1}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type Denoiser, inputDim, inputFeatures } from "./denoiser.ts";
import { denoiserLossAndGrads } from "./denoiser_grad.ts";
import { createFlatLossAndGrads } from "./denoiser_grad_flat.ts";
import { transposeInto } from "./gemm.ts";
import { webglRenderer } from "./backend.ts";
import { prefersFusedUpdate } from "./renderer.ts";
import { createRng } from "./rng.ts";
import type { Schedule } from "./schedule.ts";

/** Thrown when the loss stops being finite or grows far above its starting value. */
export class DivergenceError extends Error {
  /** The optimiser step (1-based, counted since the trainer was created) where it happened. */
  readonly step: number;
  /** The loss at that step. */
  readonly loss: number;
  /**
   * @param message What happened.
   * @param step The step.
   * @param loss The loss value.
   */
  constructor(message: string, step: number, loss: number) {
    super(message);
    this.name = "DivergenceError";
    this.step = step;
    this.loss = loss;
  }
}

/** Options of {@link createTrainer}. */
export interface TrainerOptions {
  /** Peak Adam learning rate (2e-3). */
  lr?: number;
  /** Examples per step (256). */
  batchSize?: number;
  /** Length of the cosine decay: lr_k = lr (1 + cos(pi min(k, total) / total)) / 2 (4000). */
  totalSteps?: number;
  /** Linear warm-up: the rate above is scaled by min(1, k / warmupSteps) (0: none). */
  warmupSteps?: number;
  /** Adam's decay of the second moment (0.999). */
  adamBeta2?: number;
  /** EMA decay (0.995), warmed up as min(emaDecay, (1 + k) / (10 + k)). */
  emaDecay?: number;
  /** Gradients are rescaled so their global norm is at most this (1.0). */
  clipNorm?: number;
  /** `simple` (unweighted) or `elbo` (weighted) squared error; see the module notes. */
  loss?: "simple" | "elbo";
  /** Probability of replacing a label with the null label, for conditional models (0.1). */
  labelDropout?: number;
  /** A loss above this multiple of the first step's loss counts as divergence (1000). */
  divergenceFactor?: number;
  /** Seed of the minibatch stream. */
  seed: number;
  /**
   * Run Adam, clipping and the EMA as one loop over flat arrays on the CPU side instead of as
   * tensor ops (default: yes unless the backend is WebGL on a real GPU; see `renderer.ts`).
   */
  fusedUpdate?: boolean;
  /**
   * Where the loss and gradient are computed: `tfjs` (tensor ops on the active backend) or
   * `typescript` (plain loops over flat arrays, `denoiser_grad_flat.ts`; needs the fused update).
   * Default: `typescript` on the cpu backend, whose matMul is about a third as fast as those
   * loops, and `tfjs` elsewhere.
   */
  kernels?: "tfjs" | "typescript";
}

/** Result of a {@link Trainer.trainSteps} call. */
export interface TrainResult {
  /** Steps taken since the trainer was created. */
  step: number;
  /** Mean loss over the steps of this call. */
  loss: number;
  /** The loss of every step of this call. */
  losses: Float32Array;
}

/** A training loop bound to one denoiser. */
export interface Trainer {
  /** Steps taken so far. */
  readonly step: number;
  /**
   * Runs `steps` optimiser steps on minibatches drawn from `data`, reading the losses back once.
   *
   * @param data The pool of training points, flat [n, 2].
   * @param steps Number of steps.
   * @param labels Label of each pool point (required for a conditional denoiser).
   * @throws DivergenceError when a loss is not finite or explodes.
   */
  trainSteps(data: ArrayLike<number>, steps: number, labels?: Int32Array): Promise<TrainResult>;
  /** The learning rate used at step k (1-based). */
  learningRate(k: number): number;
  /**
   * Stretches the cosine decay to end at `totalSteps` instead (a demo's "Train more"): from the
   * current step the learning rate follows the longer schedule.
   */
  extendTo(totalSteps: number): void;
  /** A view of the denoiser that reads the EMA weights (owned by the trainer). */
  emaDenoiser(): Denoiser;
  /** Frees the optimiser state and the EMA weights (not the denoiser). */
  dispose(): void;
}

const BETA1 = 0.9;
const ADAM_EPSILON = 1e-8;

function zerosVariable(v: tf.Variable, trainable: boolean, copy: boolean): tf.Variable {
  const initial = copy ? v.clone() : tf.zerosLike(v);
  const out = tf.variable(initial, trainable); // shares the data; the handle is freed below
  initial.dispose();
  return out;
}

/**
 * Per-example loss weight for the ELBO loss at step t (sigma_t^2 = beta_t; see module notes).
 *
 * @param schedule The noise schedule.
 * @param parameterisation What the network predicts.
 * @param t Step in 1..T.
 * @returns The weight lambda_t.
 * @example
 * ```ts
 * import { elboWeight } from "./train.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const s = linearSchedule(10);
 * const w = elboWeight(s, "eps", 1); // beta_1 / (2 alpha_1 (1 - alphaBar_1)) = 1 / (2 alpha_1)
 * if (Math.abs(w - 1 / (2 * s.alphas[1])) > 1e-12) throw new Error("weight at t = 1");
 * ```
 */
export function elboWeight(
  schedule: Schedule,
  parameterisation: "eps" | "x0" | "score",
  t: number,
): number {
  const beta = schedule.betas[t], alpha = schedule.alphas[t], alphaBar = schedule.alphaBars[t];
  if (parameterisation === "eps") return beta / (2 * alpha * (1 - alphaBar));
  if (parameterisation === "score") return beta / (2 * alpha);
  return schedule.posteriorCoefX0[t] ** 2 / (2 * beta);
}

/**
 * Creates a trainer (Adam, cosine decay, clipping, EMA) for `denoiser` under `schedule`.
 *
 * @param denoiser The network to train (its T must equal the schedule's).
 * @param schedule The noise schedule.
 * @param opts Hyper-parameters and the seed.
 * @returns The trainer; `dispose()` it when done.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createDenoiser } from "./denoiser.ts";
 * import { createTrainer } from "./train.ts";
 * import { linearSchedule } from "./schedule.ts";
 * await tf.setBackend("cpu");
 * const d = createDenoiser({ parameterisation: "eps", T: 10, seed: 0, hidden: 8 });
 * const trainer = createTrainer(d, linearSchedule(10), { seed: 0, batchSize: 8 });
 * const { step, loss } = await trainer.trainSteps(new Float32Array([0, 0, 1, 1]), 2);
 * if (step !== 2 || !(loss > 0)) throw new Error("two steps with a positive loss");
 * trainer.dispose();
 * d.dispose();
 * ```
 */
export function createTrainer(
  denoiser: Denoiser,
  schedule: Schedule,
  opts: TrainerOptions,
): Trainer {
  const lr = opts.lr ?? 2e-3;
  const batchSize = opts.batchSize ?? 256;
  let totalSteps = opts.totalSteps ?? 4000;
  const warmupSteps = opts.warmupSteps ?? 0;
  const beta2 = opts.adamBeta2 ?? 0.999;
  const emaDecay = opts.emaDecay ?? 0.995;
  const clipNorm = opts.clipNorm ?? 1.0;
  const lossKind = opts.loss ?? "simple";
  const labelDropout = opts.labelDropout ?? 0.1;
  const divergenceFactor = opts.divergenceFactor ?? 1000;
  const { T, numClasses, parameterisation } = denoiser.config;
  if (schedule.T !== T) {
    throw new RangeError(
      `Cannot train as the schedule's T must equal the denoiser's T = ${T}: ` +
        `current value is ${schedule.T}`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Cannot train as batchSize must be a positive integer: current value is ${batchSize}`,
    );
  }
  const rng = createRng(opts.seed);
  const params = denoiser.variables;
  // Backends whose tensors live in CPU memory (wasm, cpu, a software WebGL) read the gradients
  // back every step at the cost of a copy, and run Adam, clipping and the EMA as one fused loop
  // over flat arrays: about 20 fewer kernel launches a step. A real GPU keeps everything there.
  const fused = opts.fusedUpdate ?? prefersFusedUpdate(tf.getBackend(), webglRenderer());
  const kernels = opts.kernels ?? (tf.getBackend() === "cpu" ? "typescript" : "tfjs");
  if (kernels === "typescript" && !fused) {
    throw new RangeError(
      `Cannot train with typescript kernels as they need the fused update: ` +
        `current value of fusedUpdate is false`,
    );
  }
  const ema = params.map((v) => zerosVariable(v, false, true));
  const emaView = denoiser.withVariables(ema);
  const offsets = params.map((_, i) => params.slice(0, i).reduce((n, v) => n + v.size, 0));
  const numParams = params.reduce((n, v) => n + v.size, 0);
  const flat = fused
    ? {
      theta: new Float32Array(numParams), // the weights, flat
      m: new Float32Array(numParams), // Adam's first moment
      s: new Float32Array(numParams), // Adam's second moment
      ema: new Float32Array(numParams), // EMA of the weights
      grad: new Float32Array(numParams), // the gradient of the current step
      emaReady: false,
    }
    : undefined;
  // On the GPU the optimiser state is flat too: one [P] tensor each, so that Adam, clipping and
  // the EMA are about 20 kernels a step instead of about 130.
  const onDevice = fused ? undefined : tf.tidy(() => {
    const theta = tf.concat(params.map((v) => tf.reshape(v, [-1]))); // [P]
    return {
      m: tf.variable(tf.zerosLike(theta), false), // [P] first moment
      s: tf.variable(tf.zerosLike(theta), false), // [P] second moment
      ema: tf.variable(theta, false), // [P] EMA of the weights
    };
  });
  const sizes = params.map((v) => v.size);
  // Per-t constants in float64, cast to float32 once per example.
  const sqrtAlphaBar = schedule.alphaBars.map(Math.sqrt); // \sqrt{\bar\alpha_t}
  const sqrtOneMinusAlphaBar = schedule.alphaBars.map((a) => Math.sqrt(1 - a)); // \sqrt{1-\bar\alpha_t}
  const weight = new Float64Array(T + 1);
  for (let t = 1; t <= T; t++) {
    weight[t] = lossKind === "elbo" ? elboWeight(schedule, parameterisation, t) : 1;
  }
  // The minibatch, reused every step.
  const xt = new Float32Array(2 * batchSize); // [B, 2]
  const target = new Float32Array(2 * batchSize); // [B, 2]
  const times = new Int32Array(batchSize); // [B]
  const weights = new Float32Array(batchSize); // [B]
  const y = numClasses > 0 ? new Int32Array(batchSize) : undefined; // [B]
  const features = new Float32Array(batchSize * inputDim(denoiser.config)); // [B, in]
  const featuresT = new Float32Array(features.length); // [in, B]
  let step = 0;
  let referenceLoss = NaN;
  let disposed = false;

  const learningRate = (k: number) =>
    lr * Math.min(1, warmupSteps > 0 ? k / warmupSteps : 1) * 0.5 *
    (1 + Math.cos((Math.PI * Math.min(k, totalSteps)) / totalSteps));

  /** Draws (x_0, t, eps) and fills the minibatch arrays, features included. */
  function drawBatch(data: ArrayLike<number>, n: number, labels?: Int32Array): void {
    for (let i = 0; i < batchSize; i++) {
      const j = rng.int(n);
      const t = 1 + rng.int(T); // t ~ U{1, ..., T}
      const x0x = data[2 * j], x0y = data[2 * j + 1];
      const ex = rng.normal(), ey = rng.normal();
      const a = sqrtAlphaBar[t], s = sqrtOneMinusAlphaBar[t];
      xt[2 * i] = a * x0x + s * ex; // x_t = \sqrt{\bar\alpha_t} x_0 + \sqrt{1-\bar\alpha_t} \epsilon
      xt[2 * i + 1] = a * x0y + s * ey;
      if (parameterisation === "eps") {
        target[2 * i] = ex;
        target[2 * i + 1] = ey;
      } else if (parameterisation === "x0") {
        target[2 * i] = x0x;
        target[2 * i + 1] = x0y;
      } else {
        target[2 * i] = -ex / s; // \nabla \log q(x_t | x_0) = -\epsilon / \sqrt{1-\bar\alpha_t}
        target[2 * i + 1] = -ey / s;
      }
      times[i] = t;
      weights[i] = weight[t];
      if (y && labels) y[i] = rng.uniform() < labelDropout ? numClasses : labels[j];
    }
    inputFeatures(denoiser.config, xt, times, features);
  }

  /** The loss of the current minibatch and its gradients, one per weight (inside tf.tidy). */
  function lossAndGrads(): { value: tf.Scalar; g: tf.Tensor[] } {
    // Fresh copies for the upload: WebGL uploads lazily and the cpu backend keeps the array.
    const D = features.length / batchSize;
    const { value, grads } = denoiserLossAndGrads(denoiser, {
      features: tf.tensor2d(features.slice(), [batchSize, D]), // [B, in]
      // [in, B]; a fresh copy, as above
      featuresT: tf.tensor2d(transposeInto(features, featuresT, batchSize, D).slice(), [
        D,
        batchSize,
      ]),
      target: tf.tensor2d(target.slice(), [batchSize, 2]), // [B, 2]
      weights: tf.tensor1d(weights.slice()), // [B]
      labels: y ? tf.tensor1d(y.slice(), "int32") : undefined, // [B]
    });
    return { value, g: grads };
  }

  /** One step on the GPU: Adam, clipping and EMA on flat tensors; the loss stays on the device. */
  function tensorStep(k: number): tf.Scalar {
    const state = onDevice!;
    return tf.tidy(() => {
      const { value, g } = lossAndGrads();
      const grad = tf.concat(g.map((gi) => tf.reshape(gi, [-1]))); // [P]
      const theta = tf.concat(params.map((v) => tf.reshape(v, [-1]))); // [P]
      const norm = tf.sqrt(tf.sum(tf.square(grad))); // [] global norm
      const clipped = tf.mul(grad, tf.div(clipNorm, tf.maximum(norm, clipNorm))); // [P] min(1, c / ||g||) g
      // Adam with bias correction folded into the step size.
      const stepSize = (learningRate(k) * Math.sqrt(1 - beta2 ** k)) / (1 - BETA1 ** k);
      const decay = Math.min(emaDecay, (1 + k) / (10 + k));
      const m = tf.add(tf.mul(state.m, BETA1), tf.mul(clipped, 1 - BETA1)); // [P]
      const s = tf.add(tf.mul(state.s, beta2), tf.mul(tf.square(clipped), 1 - beta2)); // [P]
      state.m.assign(m);
      state.s.assign(s);
      const next = tf.sub(theta, tf.div(tf.mul(m, stepSize), tf.add(tf.sqrt(s), ADAM_EPSILON))); // [P]
      state.ema.assign(tf.add(tf.mul(state.ema, decay), tf.mul(next, 1 - decay))); // [P] EMA
      tf.split(next, sizes).forEach((part, i) =>
        params[i].assign(tf.reshape(part, params[i].shape))
      );
      return value;
    });
  }

  const flatLossAndGrads = kernels === "typescript"
    ? createFlatLossAndGrads(denoiser.config, batchSize)
    : undefined;

  /**
   * The loss and flat gradient of the current minibatch, on tensors, read back in one go (one
   * synchronisation with the device instead of one per weight); returns the loss.
   */
  function tensorLossAndFlatGrad(grad: Float32Array): number {
    return tf.tidy(() => {
      const { value, g } = lossAndGrads();
      const all = tf.concat([...g.map((gi) => tf.reshape(gi, [-1])), tf.reshape(value, [1])]); // [P + 1]
      const values = all.dataSync() as Float32Array;
      grad.set(values.subarray(0, numParams));
      return values[numParams];
    });
  }

  /** One step with the update fused on the CPU side (wasm, cpu); returns the loss. */
  function fusedStep(k: number): number {
    const { theta, m, s, ema: e, grad } = flat!;
    const loss = flatLossAndGrads
      ? flatLossAndGrads(theta, { features, target, weights, labels: y }, grad)
      : tensorLossAndFlatGrad(grad);
    let squares = 0;
    for (let j = 0; j < numParams; j++) squares += grad[j] * grad[j];
    const clip = clipNorm / Math.max(Math.sqrt(squares), clipNorm); // min(1, c / ||g||)
    const stepSize = (learningRate(k) * Math.sqrt(1 - beta2 ** k)) / (1 - BETA1 ** k);
    const decay = Math.min(emaDecay, (1 + k) / (10 + k));
    for (let j = 0; j < numParams; j++) {
      const g = grad[j] * clip;
      const mj = (m[j] = BETA1 * m[j] + (1 - BETA1) * g); // m = b1 m + (1 - b1) g
      const sj = (s[j] = beta2 * s[j] + (1 - beta2) * g * g); // s = b2 s + (1 - b2) g^2
      const next = (theta[j] -= (stepSize * mj) / (Math.sqrt(sj) + ADAM_EPSILON));
      e[j] = decay * e[j] + (1 - decay) * next; // EMA
    }
    if (!flatLossAndGrads) writeFlat(params, theta); // the tensor path reads the variables
    return loss;
  }

  /** Copies a flat array into the variables (a fresh tensor each, never aliasing `values`). */
  function writeFlat(variables: tf.Variable[], values: Float32Array): void {
    tf.tidy(() => {
      variables.forEach((v, i) => {
        v.assign(tf.tensor(values.slice(offsets[i], offsets[i] + v.size), v.shape, "float32"));
      });
    });
  }

  /** Reads the variables into a flat array (they may have been set since the last call). */
  function readFlat(variables: tf.Variable[], values: Float32Array): void {
    variables.forEach((v, i) => values.set(v.dataSync() as Float32Array, offsets[i]));
  }

  return {
    get step() {
      return step;
    },
    learningRate,
    extendTo(total) {
      if (!(Number.isInteger(total) && total >= totalSteps)) {
        throw new RangeError(
          `Cannot extend the schedule as totalSteps must be an integer >= ${totalSteps}: ` +
            `current value is ${total}`,
        );
      }
      totalSteps = total;
    },
    async trainSteps(data, steps, labels) {
      if (disposed) {
        throw new Error("Cannot train as the trainer is disposed: current state is disposed");
      }
      const n = Math.floor(data.length / 2);
      if (n < 1) {
        throw new RangeError(
          `Cannot train as the data must hold at least one 2-D point: current length is ${data.length}`,
        );
      }
      if (numClasses > 0 && (!labels || labels.length < n)) {
        throw new RangeError(
          `Cannot train a conditional denoiser as labels must hold ${n} values: ` +
            `current length is ${labels ? labels.length : "missing"}`,
        );
      }
      if (!Number.isInteger(steps) || steps < 1) {
        throw new RangeError(
          `Cannot train as steps must be a positive integer: current value is ${steps}`,
        );
      }
      const first = step + 1;
      let losses: Float32Array;
      if (flat) {
        losses = new Float32Array(steps);
        readFlat(params, flat.theta);
        if (!flat.emaReady) readFlat(ema, flat.ema);
        flat.emaReady = true;
        for (let i = 0; i < steps; i++) {
          drawBatch(data, n, labels);
          losses[i] = fusedStep(++step);
        }
        if (flatLossAndGrads) writeFlat(params, flat.theta); // written once per call
        writeFlat(ema, flat.ema); // the EMA view reads the variables
      } else {
        const perStep: tf.Scalar[] = [];
        for (let i = 0; i < steps; i++) {
          drawBatch(data, n, labels);
          perStep.push(tensorStep(++step));
        }
        tf.tidy(() => {
          const parts = tf.split(onDevice!.ema, sizes); // the EMA view reads the variables
          parts.forEach((part, i) => ema[i].assign(tf.reshape(part, ema[i].shape)));
        });
        const stacked = tf.stack(perStep); // [steps]
        perStep.forEach((l) => l.dispose());
        losses = (await stacked.data()) as Float32Array; // one read-back per call
        stacked.dispose();
      }
      if (Number.isNaN(referenceLoss)) referenceLoss = losses[0];
      let total = 0;
      for (let i = 0; i < steps; i++) {
        const loss = losses[i];
        if (!Number.isFinite(loss)) {
          throw new DivergenceError(
            `Cannot continue training as the loss is not finite at step ${first + i}: ` +
              `current value is ${loss}`,
            first + i,
            loss,
          );
        }
        if (loss > divergenceFactor * referenceLoss) {
          throw new DivergenceError(
            `Cannot continue training as the loss exploded above ${divergenceFactor} times its ` +
              `first value (${referenceLoss}) at step ${first + i}: current value is ${loss}`,
            first + i,
            loss,
          );
        }
        total += loss;
      }
      return { step, loss: total / steps, losses };
    },
    emaDenoiser: () => emaView,
    dispose() {
      if (disposed) return;
      disposed = true;
      ema.forEach((v) => v.dispose());
      if (onDevice) [onDevice.m, onDevice.s, onDevice.ema].forEach((v) => v.dispose());
    },
  };
}
