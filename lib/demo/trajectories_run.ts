/**
 * The model behind chapter 2's sampling demos, built from `engine/`: a denoiser trained with the
 * engine's trainer, then sampled on request: DDPM and DDIM from one shared x_T
 * (ReverseTrajectories), and the chain multiplied by a painted region's r(x)
 * (MultiplyDistributions). Runs in the worker (and under Deno in tests); holds no formula.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../../engine/rng.ts";
import { linearSchedule } from "../../engine/schedule.ts";
import { datasetByName } from "../../engine/datasets.ts";
import { mmd2 } from "../../engine/metrics.ts";
import { createDenoiser } from "../../engine/denoiser.ts";
import { createTrainer, DivergenceError } from "../../engine/train.ts";
import { regionLogRGradTensor, shareInside } from "../../engine/region.ts";
import {
  ddimSample,
  ddpmSample,
  epsModelFromDenoiser,
  type SampleResult,
} from "../../engine/samplers.ts";
import { type DatasetName, ENGINE_DATASET } from "./config.ts";
import {
  type MultiplyRequest,
  type MultiplyResult,
  type Panel,
  type TrajectoriesRequest,
  type TrajectoriesResult,
  TRAJECTORY_TRAINING,
} from "./trajectories_protocol.ts";

/** Points in the training pool. */
const POOL_SIZE = 50_000;
/** Samples scored by MMD^2 (docs/quality.md). */
const SCORE_COUNT = 2000;
/** DDPM keeps every 4th state of its paths (T / 4 + 1 points): the picture stays legible. */
const DDPM_PATH_STRIDE = 4;
/** Most samples one request may ask for. */
export const MAX_REQUEST_SAMPLES = 4000;

/** A trained (or training) model and what the demos ask of it. */
export interface TrajectoryModel {
  /** Takes `steps` optimiser steps; resolves with their mean loss (DivergenceError on blow-up). */
  train(steps: number): Promise<number>;
  /** MMD^2 of 2,000 DDPM samples against 2,000 fresh data points. */
  score(): Promise<number>;
  trajectories(request: TrajectoriesRequest): Promise<TrajectoriesResult>;
  multiply(request: MultiplyRequest): Promise<MultiplyResult>;
  dispose(): void;
}

/** Options for tests: a smaller network and recipe. */
export interface TrajectoryModelOptions {
  T?: number;
  totalSteps?: number;
  hidden?: number;
  batchSize?: number;
}

function checkCount(what: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(
      `Cannot sample as ${what} must be an integer in [1, ${max}]: current value is ${value}`,
    );
  }
}

/** The first `count` paths of a sampler's trajectory, as [k, L, 2]. */
function panelOf(result: SampleResult, count: number): Panel {
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

/**
 * Builds the model for a data set (weights and minibatches from the recipe's seed).
 *
 * @param dataset The book's data set name.
 * @param options Smaller settings for tests.
 * @returns The model, untrained.
 */
export function createTrajectoryModel(
  dataset: DatasetName,
  options: TrajectoryModelOptions = {},
): TrajectoryModel {
  const T = options.T ?? TRAJECTORY_TRAINING.T;
  const seed = TRAJECTORY_TRAINING.seed;
  const schedule = linearSchedule(T);
  const sampleData = datasetByName(ENGINE_DATASET[dataset]);
  const pool = Float32Array.from(sampleData(POOL_SIZE, createRng(seed))); // [POOL, 2]
  const denoiser = createDenoiser({
    parameterisation: "eps",
    T,
    seed,
    ...(options.hidden ? { hidden: options.hidden } : {}),
  });
  const trainer = createTrainer(denoiser, schedule, {
    lr: TRAJECTORY_TRAINING.lr,
    batchSize: options.batchSize ?? TRAJECTORY_TRAINING.batchSize,
    totalSteps: options.totalSteps ?? TRAJECTORY_TRAINING.steps,
    seed,
  });
  const model = () => epsModelFromDenoiser(trainer.emaDenoiser(), schedule); // EMA weights
  let plainCache: { key: string; samples: Float32Array } | undefined;

  return {
    async train(steps) {
      return (await trainer.trainSteps(pool, steps)).loss;
    },
    async score() {
      const reference = sampleData(SCORE_COUNT, createRng(seed + 7919)); // [n, 2] fresh data
      const { samples } = await ddpmSample({ model: model(), schedule, n: SCORE_COUNT, seed });
      return mmd2(samples, reference);
    },
    async trajectories(r) {
      checkCount("n", r.n, MAX_REQUEST_SAMPLES);
      checkCount("ddimSteps", r.ddimSteps, T);
      const rng = createRng(r.noiseSeed);
      const initial = Float32Array.from({ length: 2 * r.n }, () => rng.normal()); // [n, 2] x_T
      const shared = { model: model(), schedule, n: r.n, seed: r.runSeed, initial };
      const ddpm = await ddpmSample({ ...shared, trajectory: DDPM_PATH_STRIDE });
      const ddim = await ddimSample({ ...shared, steps: r.ddimSteps, eta: r.eta, trajectory: 1 });
      return { ddpm: panelOf(ddpm, r.paths), ddim: panelOf(ddim, r.paths) };
    },
    async multiply(r) {
      checkCount("n", r.n, MAX_REQUEST_SAMPLES);
      // The same seed gives both chains the same x_T and the same step noise: a paired comparison.
      const key = `${r.n}/${r.seed}`;
      if (plainCache?.key !== key) {
        const plain = await ddpmSample({ model: model(), schedule, n: r.n, seed: r.seed });
        plainCache = { key, samples: plain.samples };
      }
      const multiplied = await ddpmSample({
        model: model(),
        schedule,
        n: r.n,
        seed: r.seed,
        logRGrad: regionLogRGradTensor(r.region, r.lambda),
        trajectory: 4,
      });
      const plain = plainCache.samples.slice(); // a copy: the result's buffers are transferred
      return {
        plain,
        multiplied: panelOf(multiplied, r.paths),
        plainShare: shareInside(r.region, plain),
        multipliedShare: shareInside(r.region, multiplied.samples),
      };
    },
    dispose() {
      trainer.dispose();
      denoiser.dispose();
    },
  };
}

/** Whether an error is the engine's divergence signal. */
export const isDivergence = (error: unknown): boolean => error instanceof DivergenceError;

/** tf.memory().numTensors. */
export const numTensors = (): number => tf.memory().numTensors;
