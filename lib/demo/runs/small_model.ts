/**
 * The small models of the Parameterisations and Guidance runs: the network, minibatch and sample
 * sizes, and one builder, so that both runs train alike.
 *
 * @module
 */
import { createDenoiser, type Denoiser } from "../../../engine/denoiser.ts";
import type { PredictionTarget } from "../../../engine/parameterisation.ts";
import { createTrainer, type Trainer } from "../../../engine/train.ts";
import { LAB_NETWORK, LAB_T, labSchedule } from "../mixtures.ts";

/** Samples per model for the pictures and MMD^2 (against as many fresh data points). */
export const LAB_SAMPLES = 500;
/** Minibatch size. */
export const LAB_BATCH = 128;
/** Probability of training on the null label (classifier-free guidance). */
export const LABEL_DROPOUT = 0.2;
/** Points in the training pool. */
export const LAB_POOL = 20_000;

/** How a small run is started; tests shrink the budget and the sample count. */
export interface SmallRunParams {
  seed: number;
  /** Steps per model. */
  budget?: number;
  /** Samples per picture. */
  samples?: number;
}

/** A denoiser and its trainer. */
export interface SmallModel {
  denoiser: Denoiser;
  trainer: Trainer;
}

/**
 * Builds one small model; the same seed gives every model the same minibatches, times and noise.
 *
 * @param target What the network predicts.
 * @param seed Seed of the weights and minibatches.
 * @param budget Steps of the cosine learning-rate decay.
 * @param numClasses Classes of a conditional model (0: unconditional).
 * @returns The model.
 */
export function buildSmallModel(
  target: PredictionTarget,
  seed: number,
  budget: number,
  numClasses = 0,
): SmallModel {
  const denoiser = createDenoiser({
    ...LAB_NETWORK,
    parameterisation: target,
    T: LAB_T,
    numClasses,
    seed,
  });
  const trainer = createTrainer(denoiser, labSchedule(), {
    batchSize: LAB_BATCH,
    totalSteps: budget,
    labelDropout: LABEL_DROPOUT,
    seed,
  });
  return { denoiser, trainer };
}
