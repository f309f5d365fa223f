/**
 * The two lab runs on tfjs, built from `engine/`: three models (eps, x_0 and score prediction)
 * trained interleaved on the same minibatches for Parameterisations, and one conditional model
 * trained with label dropout for Guidance. Each answers the view its island asks for. Runs in the
 * worker (and under Deno in tests); it holds no formula of its own.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createDenoiser, type Denoiser } from "../../engine/denoiser.ts";
import { classFidelity, spread } from "../../engine/guidance_metrics.ts";
import { mmd2 } from "../../engine/metrics.ts";
import { noisyClassifierGradients } from "../../engine/noisy_classifier_batch.ts";
import type { PredictionTarget } from "../../engine/parameterisation.ts";
import { ddpmSample, epsModelFromDenoiser } from "../../engine/samplers.ts";
import { createTrainer, DivergenceError, type Trainer } from "../../engine/train.ts";
import {
  guidanceMixture,
  LAB_NETWORK,
  LAB_T,
  labPool,
  labSchedule,
  ringMixture,
} from "./lab_data.ts";
import type { FromLab, GuideView, LabDemo, LabView, ModelSamples } from "./lab_protocol.ts";
import type { LabEngine, LabRun } from "./lab_session.ts";
import { rmsDistance, tweedieProbe, x0FromPrediction } from "./lab_tweedie.ts";
import { GUIDANCE_BUDGET, PARAMETERISATIONS_BUDGET } from "./lab_budgets.ts";
import { startBackend } from "./tf_backend.ts";

/** Samples per model for the pictures and MMD^2 (against as many fresh data points). */
export const LAB_SAMPLES = 500;
/** Minibatch size. */
export const LAB_BATCH = 128;
/** Probability of training on the null label (classifier-free guidance). */
export const LABEL_DROPOUT = 0.2;
/** The three prediction targets, in the order of every per-model array. */
export const TARGETS: readonly PredictionTarget[] = ["eps", "x0", "score"];

const POOL_SIZE = 20_000;

/** Options of the runs; tests shrink them. */
export interface LabRunOptions {
  /** Steps per model. */
  budget?: number;
  /** Samples per picture. */
  samples?: number;
}

interface Model {
  denoiser: Denoiser;
  trainer: Trainer;
}

function buildModel(
  target: PredictionTarget,
  seed: number,
  budget: number,
  numClasses = 0,
): Model {
  const schedule = labSchedule();
  const denoiser = createDenoiser({
    ...LAB_NETWORK,
    parameterisation: target,
    T: LAB_T,
    numClasses,
    seed,
  });
  const trainer = createTrainer(denoiser, schedule, {
    batchSize: LAB_BATCH,
    totalSteps: budget,
    labelDropout: LABEL_DROPOUT,
    seed, // the same seed for every model: the same minibatches, times and noise
  });
  return { denoiser, trainer };
}

/**
 * Three models, eps, x_0 and score, trained side by side on the same data and minibatches.
 * Views: `tweedie` (learned E[x_0 | x_t] against the exact one at step t); the full picture adds
 * each model's DDPM samples (from the same noise) and their MMD^2.
 *
 * @param seed Seed of the weights, data and minibatches.
 * @param opts Budget and sample count.
 * @returns The run.
 */
export function createParameterisationsRun(seed: number, opts: LabRunOptions = {}): LabRun {
  const budget = opts.budget ?? PARAMETERISATIONS_BUDGET;
  const n = opts.samples ?? LAB_SAMPLES;
  const mixture = ringMixture(), schedule = labSchedule();
  const pool = labPool(mixture, POOL_SIZE, seed).x; // [POOL, 2]
  const reference = labPool(mixture, n, seed + 7919).x; // [n, 2] fresh data for MMD^2
  const models = TARGETS.map((target) => buildModel(target, seed, budget));

  const tweedieReport = async (t: number, step: number): Promise<FromLab> => {
    const probe = tweedieProbe(mixture, schedule, t);
    const count = probe.xt.length / 2;
    const learned: Float32Array[] = [];
    const rms: number[] = [];
    for (const [i, { trainer }] of models.entries()) {
      const out = tf.tidy(() =>
        trainer.emaDenoiser().apply(
          tf.tensor2d(Float32Array.from(probe.xt), [count, 2]), // [n, 2] x_t
          tf.fill([count], t, "int32") as tf.Tensor1D, // [n] t
        )
      ); // [n, 2] eps, x_0 or score
      const prediction = (await out.data()) as Float32Array;
      out.dispose();
      const x0 = x0FromPrediction(schedule, TARGETS[i], probe.xt, prediction, t); // [n, 2]
      learned.push(Float32Array.from(x0));
      rms.push(rmsDistance(x0, probe.exact));
    }
    return { type: "tweedie", step, t, learned, rms };
  };

  return {
    budget,
    async train(steps) {
      const losses: number[] = [];
      for (const { trainer } of models) losses.push((await trainer.trainSteps(pool, steps)).loss);
      return losses;
    },
    async render(view: LabView, full: boolean, step: number) {
      const reports: FromLab[] = [];
      if (view.kind === "tweedie") reports.push(await tweedieReport(view.t, step));
      if (full) {
        const samples: ModelSamples[] = [];
        for (const [i, { trainer }] of models.entries()) {
          const model = epsModelFromDenoiser(trainer.emaDenoiser(), schedule);
          const { samples: points } = await ddpmSample({ model, schedule, n, seed: seed + 1 });
          samples.push({ target: TARGETS[i], points, mmd2: mmd2(points, reference) });
        }
        reports.push({ type: "models", step, models: samples });
      }
      return reports;
    },
    dispose() {
      for (const { denoiser, trainer } of models) {
        trainer.dispose();
        denoiser.dispose();
      }
    },
  };
}

/**
 * One conditional eps-model trained with label dropout, so that it predicts both eps(x_t | y) and
 * eps(x_t). Views: `guide` draws DDPM samples of class y with classifier-free guidance
 * (eps = gamma eps(x_t | y) + (1 - gamma) eps(x_t), i.e. weight w = gamma - 1) or with classifier
 * guidance by the exact noisy classifier on the unconditional prediction, and scores them.
 *
 * @param seed Seed of the weights, data and minibatches.
 * @param opts Budget and sample count.
 * @returns The run.
 */
export function createGuidanceRun(seed: number, opts: LabRunOptions = {}): LabRun {
  const budget = opts.budget ?? GUIDANCE_BUDGET;
  const n = opts.samples ?? LAB_SAMPLES;
  const mixture = guidanceMixture(), schedule = labSchedule();
  const pool = labPool(mixture, POOL_SIZE, seed);
  const classes = mixture.labels!.reduce((a, b) => Math.max(a, b), 0) + 1;
  const { denoiser, trainer } = buildModel("eps", seed, budget, classes);

  const classifierGrad = (y: number) => (x: tf.Tensor2D, t: number): tf.Tensor2D => {
    const v = x.dataSync(); // [n, 2]
    const g = noisyClassifierGradients(mixture, schedule, t, v, y); // [n, 2] grad_x log p(y | x_t)
    return tf.tensor2d(Float32Array.from(g), [v.length / 2, 2]);
  };

  const guided = async (view: GuideView, step: number): Promise<FromLab> => {
    const ema = trainer.emaDenoiser();
    const uncond = epsModelFromDenoiser(ema, schedule); // the null label
    const seedNoise = seed + 1; // the same noise for every view: pictures morph, not flicker
    const { samples: points } = view.method === "cfg"
      ? await ddpmSample({
        model: epsModelFromDenoiser(ema, schedule, view.y),
        uncondModel: uncond,
        guidanceWeight: view.gamma - 1, // eq:cfg-eps with w = gamma - 1
        schedule,
        n,
        seed: seedNoise,
      })
      : await ddpmSample({
        model: uncond,
        classifierGrad: classifierGrad(view.y),
        guidanceScale: view.gamma,
        schedule,
        n,
        seed: seedNoise,
      });
    return {
      type: "guided",
      step,
      view: { y: view.y, gamma: view.gamma, method: view.method },
      points,
      fidelity: classFidelity(mixture, points, view.y),
      diversity: spread(points),
    };
  };

  return {
    budget,
    async train(steps) {
      return [(await trainer.trainSteps(pool.x, steps, pool.label)).loss];
    },
    async render(view: LabView, _full: boolean, step: number) {
      return view.kind === "guide" ? [await guided(view, step)] : [];
    },
    dispose() {
      trainer.dispose();
      denoiser.dispose();
    },
  };
}

/**
 * Builds the run of a demo.
 *
 * @param demo Which demo.
 * @param seed Seed.
 * @param opts Budget and sample count.
 * @returns The run.
 */
export function createLabRun(demo: LabDemo, seed: number, opts: LabRunOptions = {}): LabRun {
  return demo === "guidance"
    ? createGuidanceRun(seed, opts)
    : createParameterisationsRun(seed, opts);
}

/** The lab session's engine on tfjs. */
export const labEngine: LabEngine = {
  initBackend: startBackend,
  numTensors: () => tf.memory().numTensors,
  createRun: (demo, seed) => Promise.resolve(createLabRun(demo, seed)),
  isDivergence: (error) => error instanceof DivergenceError,
};
