/**
 * The Parameterisations run: three small models, predicting the noise eps, the clean point x_0 and
 * the score, trained interleaved on the same minibatches of the ring mixture. It draws Tweedie's
 * denoiser at the chosen step t (learned E[x_0 | x_t] of each model against the exact one) and, in
 * full pictures, each model's DDPM samples from the same noise with their MMD^2. Runs in the
 * worker; it holds no formula of its own.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { mmd2 } from "../../../engine/metrics.ts";
import type { PredictionTarget } from "../../../engine/parameterisation.ts";
import { ddpmSample, epsModelFromDenoiser } from "../../../engine/samplers.ts";
import { labPool, labSchedule, ringMixture } from "../mixtures.ts";
import type { Run } from "../session.ts";
import { rmsDistance, tweedieProbe, x0FromPrediction } from "../tweedie.ts";
import { PARAMETERISATIONS_BUDGET } from "../budgets.ts";
import { buildSmallModel, LAB_POOL, LAB_SAMPLES, type SmallRunParams } from "./small_model.ts";

/** The three prediction targets, in the order of every per-model array. */
export const TARGETS: readonly PredictionTarget[] = ["eps", "x0", "score"];

/** One model's samples and their MMD^2 against fresh data (QUALITY.md). */
export interface ModelSamples {
  target: PredictionTarget;
  /** Flat [n, 2] samples. */
  points: Float32Array;
  mmd2: number;
}

/** What the run draws. */
export type ParameterisationsView =
  /** Learned E[x_0 | x_t] of each model at the probe points ([n, 2] each) and its RMS error. */
  | { kind: "tweedie"; step: number; t: number; learned: Float32Array[]; rms: number[] }
  /** Each model's samples (full pictures only). */
  | { kind: "models"; step: number; models: ModelSamples[] };

/** Draw Tweedie's denoiser at step t from now on; answered with that view. */
export type ParameterisationsQuestion = { kind: "tweedie"; t: number };

/**
 * Builds the run.
 *
 * @param params Seed, and smaller budget and sample count for tests.
 * @returns The run.
 */
export function createParameterisationsRun(
  params: SmallRunParams,
): Run<ParameterisationsView> {
  const { seed } = params;
  const budget = params.budget ?? PARAMETERISATIONS_BUDGET;
  const n = params.samples ?? LAB_SAMPLES;
  const mixture = ringMixture(), schedule = labSchedule();
  const pool = labPool(mixture, LAB_POOL, seed).x; // [POOL, 2]
  const reference = labPool(mixture, n, seed + 7919).x; // [n, 2] fresh data for MMD^2
  const models = TARGETS.map((target) => buildSmallModel(target, seed, budget));
  let t = 10;

  const tweedie = async (step: number): Promise<ParameterisationsView> => {
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
    return { kind: "tweedie", step, t, learned, rms };
  };

  return {
    budget,
    async train(steps) {
      const losses: number[] = [];
      for (const { trainer } of models) losses.push((await trainer.trainSteps(pool, steps)).loss);
      return losses;
    },
    async render(full, step) {
      const views = [await tweedie(step)];
      if (!full) return views;
      const samples: ModelSamples[] = [];
      for (const [i, { trainer }] of models.entries()) {
        const model = epsModelFromDenoiser(trainer.emaDenoiser(), schedule);
        const { samples: points } = await ddpmSample({ model, schedule, n, seed: seed + 1 });
        samples.push({ target: TARGETS[i], points, mmd2: mmd2(points, reference) });
      }
      views.push({ kind: "models", step, models: samples });
      return views;
    },
    ask(question, step) {
      const q = question as ParameterisationsQuestion;
      if (q?.kind !== "tweedie" || !(q.t >= 1 && q.t <= schedule.T)) {
        throw new RangeError(
          `Cannot draw Tweedie's denoiser as t must be in [1, ${schedule.T}]: current value is ${q?.t}`,
        );
      }
      t = q.t;
      return tweedie(step);
    },
    extend: (total) => models.forEach(({ trainer }) => trainer.extendTo(total)),
    dispose() {
      for (const { denoiser, trainer } of models) {
        trainer.dispose();
        denoiser.dispose();
      }
    },
  };
}
