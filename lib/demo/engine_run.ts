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
import { type Dataset2D, datasetByName } from "../../engine/datasets.ts";
import { elboTermsBatch } from "../../engine/elbo_batch.ts";
import { marginalScore, type Mixture, mixtureLogPdf } from "../../engine/mixture.ts";
import { loadDenoiser, saveDenoiser } from "../../engine/model_io.ts";
import { reverseMeanFromEps, scoreFromEps } from "../../engine/parameterisation.ts";
import type { Schedule } from "../../engine/schedule.ts";
import { bookMixture2D, mixtureDataset, mixtureFromPoints } from "../../engine/toy_mixture.ts";
import { mmd2 } from "../../engine/metrics.ts";
import { createDenoiser } from "../../engine/denoiser.ts";
import { createTrainer, DivergenceError } from "../../engine/train.ts";
import {
  ddimSample,
  ddpmSample,
  type EpsModel,
  epsModelFromDenoiser,
} from "../../engine/samplers.ts";
import { DEMO_RECIPE, ENGINE_DATASET, type TrainConfig } from "./config.ts";
import { FIELD_SIDE, fieldGrid } from "./field.ts";
import type { ElboReport, Engine, FieldReport, Run, RunInit, SampleReport } from "./session.ts";
import { guardRun, startBackend } from "./tf_backend.ts";

/** Points in the training pool (batches are drawn from it). */
export const POOL_SIZE = 50_000;
/** Samples drawn for MMD^2 (docs/quality.md: n = 2,000). */
export const SAMPLE_COUNT = 2000;
/** Samples drawn for a preview picture between scored samples. */
export const PREVIEW_COUNT = 500;
/** Trajectories drawn on the picture. */
export const TRAJECTORY_COUNT = 8;
/** Data points the ELBO terms are averaged over. */
export const ELBO_COUNT = 256;
/** About this many points along each trajectory. */
const TRAJECTORY_POINTS = 25;

/**
 * The data of a run: a generator, and the exact mixture when the data set is one.
 *
 * @param config The settings.
 * @param points Flat [n, 2] drawn points (the `drawn` data set).
 * @returns The generator and the mixture (undefined for the sampled data sets).
 * @example
 * ```ts
 * import { dataOf } from "./engine_run.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const { mixture } = dataOf({ ...DEFAULT_CONFIG, dataset: "drawn" }, [0, 0, 1, 1]);
 * if (mixture?.weights.length !== 2) throw new Error("one component per drawn point");
 * ```
 */
export function dataOf(
  config: TrainConfig,
  points?: number[],
): { sampleData: Dataset2D; mixture?: Mixture } {
  if (config.dataset === "mixture" || config.dataset === "drawn") {
    if (config.dataset === "drawn" && !(points && points.length >= 2)) {
      throw new RangeError(
        `Cannot train on drawn points as none were drawn: current value is ${
          points?.length ?? 0
        } numbers`,
      );
    }
    const mixture = config.dataset === "mixture" ? bookMixture2D() : mixtureFromPoints(points!);
    return { sampleData: mixtureDataset(mixture), mixture };
  }
  return { sampleData: datasetByName(ENGINE_DATASET[config.dataset]) };
}

/**
 * The model's reverse-step mean for a batch, mu_theta(x_t, t) (`eq:eps-mean`), from its eps
 * prediction: one network call for all points.
 */
function batchReverseMean(model: EpsModel, schedule: Schedule) {
  return (xt: Float64Array, t: number): Float64Array => {
    const eps = tf.tidy(() =>
      model(tf.tensor2d(Float32Array.from(xt), [xt.length / 2, 2]), t).dataSync()
    ); // [N, 2]
    return reverseMeanFromEps(schedule, xt, Float64Array.from(eps), t); // [N, 2]
  };
}

/**
 * Builds a run for `config`.
 *
 * @param config The settings (validated by the caller).
 * @param init Drawn points (`drawn` data) and/or a saved model to start from.
 * @returns A run whose `train`, `sample` and `dispose` the session calls.
 */
export async function createEngineRun(config: TrainConfig, init: RunInit = {}): Promise<Run> {
  const schedule = config.schedule === "cosine"
    ? cosineSchedule(config.T)
    : linearSchedule(config.T);
  const { sampleData, mixture } = dataOf(config, init.points);
  const pool = Float32Array.from(sampleData(POOL_SIZE, createRng(config.seed))); // [POOL, 2]
  const reference = sampleData(SAMPLE_COUNT, createRng(config.seed + 7919)); // [n, 2] fresh data
  // [PREVIEW_COUNT, 2] more fresh data for a preview's estimate (a prefix of `reference` would not
  // do: two moons lists one moon, then the other)
  const previewReference = sampleData(PREVIEW_COUNT, createRng(config.seed + 2 * 7919));
  const denoiser = init.model ? loadDenoiser(init.model) : createDenoiser({
    parameterisation: config.parameterisation,
    T: config.T,
    seed: config.seed,
    hidden: DEMO_RECIPE.hidden,
  });
  if (
    denoiser.config.T !== config.T || denoiser.config.parameterisation !== config.parameterisation
  ) {
    const saved = `T = ${denoiser.config.T}, ${denoiser.config.parameterisation}`;
    denoiser.dispose();
    throw new RangeError(
      `Cannot use the saved model as it must match T = ${config.T}, ${config.parameterisation}: current value is ${saved}`,
    );
  }
  // The ELBO's data points: the same ones (and the same noise) at every evaluation.
  const elboData = sampleData(ELBO_COUNT, createRng(config.seed + 104_729)); // [N, 2]
  const elboLogQ = mixture
    ? Array.from(
      { length: ELBO_COUNT },
      (_, i) => mixtureLogPdf(mixture, elboData.subarray(2 * i, 2 * i + 2)),
    )
    : undefined; // [N] \log q(x_0)
  const grid = fieldGrid(FIELD_SIDE); // [side^2, 2]
  const trainer = createTrainer(denoiser, schedule, {
    lr: config.lr,
    batchSize: config.batchSize,
    totalSteps: config.stepBudget,
    adamBeta2: DEMO_RECIPE.adamBeta2,
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
        // A preview's rough MMD^2 against as many fresh points: decides when to score in full.
        estimate: full ? undefined : mmd2(points, previewReference),
      };
    },
    dispose() {
      trainer.dispose();
      denoiser.dispose();
    },
    elbo(): Promise<ElboReport> {
      const model = epsModelFromDenoiser(trainer.emaDenoiser(), schedule);
      const r = elboTermsBatch(
        schedule,
        elboData,
        2,
        batchReverseMean(model, schedule),
        createRng(config.seed + 15_485_863),
        { variance: "beta" },
      );
      let logQ = NaN;
      let gap = NaN;
      if (elboLogQ) {
        logQ = elboLogQ.reduce((a, b) => a + b, 0) / ELBO_COUNT; // mean \log q(x_0)
        gap = elboLogQ.reduce((a, b, i) => a + b - r.elboPerPoint[i], 0) / ELBO_COUNT;
      }
      return Promise.resolve({
        prior: r.prior,
        denoising: r.denoising,
        reconstruction: r.reconstruction,
        elbo: r.elbo,
        logQ,
        gap,
        n: ELBO_COUNT,
        variance: "beta",
      });
    },
    save: () => saveDenoiser(trainer.emaDenoiser()),
  };
  if (mixture) {
    run.field = (t: number): Promise<FieldReport> => {
      const model = epsModelFromDenoiser(trainer.emaDenoiser(), schedule);
      const n = grid.length / 2;
      const eps = tf.tidy(() => model(tf.tensor2d(Float32Array.from(grid), [n, 2]), t).dataSync()); // [n, 2]
      const learned = Float32Array.from(scoreFromEps(schedule, grid, Float64Array.from(eps), t)); // [n, 2]
      const exact = new Float32Array(2 * n); // [n, 2] \nabla \log q(x_t)
      for (let i = 0; i < n; i++) {
        exact.set(marginalScore(mixture, schedule, t, grid.subarray(2 * i, 2 * i + 2)), 2 * i);
      }
      return Promise.resolve({ t, side: FIELD_SIDE, learned, exact });
    };
  }
  return await Promise.resolve(run);
}

/** The session's engine, on tfjs: backend start-up, tensor count, runs, divergence test. */
export const tfEngine: Engine = {
  initBackend: startBackend,
  numTensors: () => tf.memory().numTensors,
  // A lost WebGL context stops the run with a message instead of hanging (tf_backend.ts).
  createRun: (config, init) => createEngineRun(config, init).then(guardRun),
  isDivergence: (error) => error instanceof DivergenceError,
};
