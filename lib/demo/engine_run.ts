/**
 * A training run built from `engine/`: data pool, denoiser, trainer (Adam, cosine decay, EMA) and
 * sampler, behind the small `Run` interface the session drives. Runs inside the worker (and under
 * Deno in tests); it holds no formula of its own.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../../engine/rng.ts";
import { cosineSchedule, linearSchedule } from "../../engine/schedule.ts";
import { datasetByName } from "../../engine/datasets.ts";
import { mmd2 } from "../../engine/metrics.ts";
import { createDenoiser } from "../../engine/denoiser.ts";
import { createTrainer, DivergenceError } from "../../engine/train.ts";
import { ddimSample, ddpmSample, epsModelFromDenoiser } from "../../engine/samplers.ts";
import { ENGINE_DATASET, type TrainConfig } from "./config.ts";
import type { Engine, Run, SampleReport } from "./session.ts";
import { startBackend } from "./tf_backend.ts";

/** Points in the training pool (batches are drawn from it). */
export const POOL_SIZE = 50_000;
/** Samples drawn for MMD^2 (QUALITY.md: n = 2,000). */
export const SAMPLE_COUNT = 2000;
/** Samples drawn for a preview picture between scored samples. */
export const PREVIEW_COUNT = 500;
/** Trajectories drawn on the picture. */
export const TRAJECTORY_COUNT = 8;
/** About this many points along each trajectory. */
const TRAJECTORY_POINTS = 25;

/**
 * Builds a run for `config`.
 *
 * @param config The settings (validated by the caller).
 * @returns A run whose `train`, `sample` and `dispose` the session calls.
 */
export function createEngineRun(config: TrainConfig): Promise<Run> {
  const schedule = config.schedule === "cosine"
    ? cosineSchedule(config.T)
    : linearSchedule(config.T);
  const sampleData = datasetByName(ENGINE_DATASET[config.dataset]);
  const pool = Float32Array.from(sampleData(POOL_SIZE, createRng(config.seed))); // [POOL, 2]
  const reference = sampleData(SAMPLE_COUNT, createRng(config.seed + 7919)); // [n, 2] fresh data
  const denoiser = createDenoiser({
    parameterisation: config.parameterisation,
    T: config.T,
    seed: config.seed,
  });
  const trainer = createTrainer(denoiser, schedule, {
    lr: config.lr,
    batchSize: config.batchSize,
    totalSteps: config.stepBudget,
    seed: config.seed,
  });

  const run: Run = {
    async train(steps) {
      const { loss } = await trainer.trainSteps(pool, steps);
      return loss;
    },
    async sample(c: TrainConfig, full: boolean): Promise<SampleReport> {
      const n = full ? SAMPLE_COUNT : PREVIEW_COUNT;
      const model = epsModelFromDenoiser(trainer.emaDenoiser(), schedule); // the EMA weights
      // The same noise every time (a fixed seed), so successive pictures morph, not flicker.
      const seed = config.seed + 1;
      const result = c.sampler === "ddim"
        ? await ddimSample({
          model,
          schedule,
          n,
          seed,
          steps: c.samplerSteps,
          eta: c.eta,
          trajectory: Math.max(1, Math.round(c.samplerSteps / TRAJECTORY_POINTS)),
        })
        : await ddpmSample({
          model,
          schedule,
          n,
          seed,
          trajectory: Math.max(1, Math.round(config.T / TRAJECTORY_POINTS)),
        });
      const points = result.samples; // [n, 2]
      const frames = result.trajectory ?? [points];
      const trajectories = new Float32Array(TRAJECTORY_COUNT * frames.length * 2); // [k, L, 2]
      for (let k = 0; k < TRAJECTORY_COUNT; k++) {
        frames.forEach((frame, l) => {
          trajectories[(k * frames.length + l) * 2] = frame[2 * k];
          trajectories[(k * frames.length + l) * 2 + 1] = frame[2 * k + 1];
        });
      }
      return {
        points,
        trajectories,
        trajectoryCount: TRAJECTORY_COUNT,
        trajectoryLength: frames.length,
        mmd2: full ? mmd2(points, reference) : NaN,
      };
    },
    dispose() {
      trainer.dispose();
      denoiser.dispose();
    },
  };
  return Promise.resolve(run);
}

/** The session's engine, on tfjs: backend start-up, tensor count, runs, divergence test. */
export const tfEngine: Engine = {
  initBackend: startBackend,
  numTensors: () => tf.memory().numTensors,
  createRun: createEngineRun,
  isDivergence: (error) => error instanceof DivergenceError,
};
