/**
 * The Guidance run: one conditional eps-model of the three-class mixture, trained with label
 * dropout so that it predicts both eps(x_t | y) and eps(x_t). It draws DDPM samples of class y with
 * classifier-free guidance (eps = gamma eps(x_t | y) + (1 - gamma) eps(x_t), i.e. weight
 * w = gamma - 1) or with classifier guidance by the exact noisy classifier, and scores their
 * fidelity and spread. Runs in the worker; it holds no formula of its own.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { classFidelity, spread } from "../../../engine/guidance_metrics.ts";
import { noisyClassifierGradients } from "../../../engine/noisy_classifier_batch.ts";
import { ddpmSample, epsModelFromDenoiser } from "../../../engine/samplers.ts";
import { guidanceMixture, labPool, labSchedule } from "../mixtures.ts";
import type { Run } from "../session.ts";
import { GUIDANCE_BUDGET } from "../budgets.ts";
import { buildSmallModel, LAB_POOL, LAB_SAMPLES, type SmallRunParams } from "./small_model.ts";

/** Guidance by the conditional model (classifier-free) or by the exact noisy classifier. */
export type GuidanceMethod = "cfg" | "classifier";

/** What the island wants to see: class y, strength gamma, method. */
export interface GuideView {
  y: number;
  /** 0: ignore y, 1: condition on y, above 1: sharper. */
  gamma: number;
  method: GuidanceMethod;
}

/** Samples for a view, their fidelity (share in class y's region) and spread. */
export interface GuidedView {
  kind: "guided";
  step: number;
  view: GuideView;
  points: Float32Array;
  fidelity: number;
  diversity: number;
}

/** Draw this view from now on; answered with its samples. */
export type GuidanceQuestion = { kind: "guide" } & GuideView;

/**
 * Builds the run.
 *
 * @param params Seed (and smaller budget and sample count for tests); `view` the first view.
 * @returns The run.
 */
export function createGuidanceRun(
  params: SmallRunParams & { view?: GuideView },
): Run<GuidedView> {
  const { seed } = params;
  const budget = params.budget ?? GUIDANCE_BUDGET;
  const n = params.samples ?? LAB_SAMPLES;
  const mixture = guidanceMixture(), schedule = labSchedule();
  const pool = labPool(mixture, LAB_POOL, seed);
  const classes = mixture.labels!.reduce((a, b) => Math.max(a, b), 0) + 1;
  const { denoiser, trainer } = buildSmallModel("eps", seed, budget, classes);
  let view: GuideView = params.view ?? { y: 0, gamma: 1, method: "cfg" };

  const classifierGrad = (y: number) => (x: tf.Tensor2D, t: number): tf.Tensor2D => {
    const v = x.dataSync(); // [n, 2]
    const g = noisyClassifierGradients(mixture, schedule, t, v, y); // [n, 2] grad_x log p(y | x_t)
    return tf.tensor2d(Float32Array.from(g), [v.length / 2, 2]);
  };

  const guided = async (step: number): Promise<GuidedView> => {
    const v = view;
    const ema = trainer.emaDenoiser();
    const uncond = epsModelFromDenoiser(ema, schedule); // the null label
    const seedNoise = seed + 1; // the same noise for every view: pictures morph, not flicker
    const { samples: points } = v.method === "cfg"
      ? await ddpmSample({
        model: epsModelFromDenoiser(ema, schedule, v.y),
        uncondModel: uncond,
        guidanceWeight: v.gamma - 1, // eq:cfg-eps with w = gamma - 1
        schedule,
        n,
        seed: seedNoise,
      })
      : await ddpmSample({
        model: uncond,
        classifierGrad: classifierGrad(v.y),
        guidanceScale: v.gamma,
        schedule,
        n,
        seed: seedNoise,
      });
    return {
      kind: "guided",
      step,
      view: { y: v.y, gamma: v.gamma, method: v.method },
      points,
      fidelity: classFidelity(mixture, points, v.y),
      diversity: spread(points),
    };
  };

  return {
    budget,
    async train(steps) {
      return [(await trainer.trainSteps(pool.x, steps, pool.label)).loss];
    },
    async render(_full, step) {
      return [await guided(step)];
    },
    ask(question, step) {
      const q = question as GuidanceQuestion;
      if (q?.kind !== "guide" || !(q.y >= 0 && q.y < classes) || !(q.gamma >= 0)) {
        throw new RangeError(
          `Cannot guide as y must be in [0, ${classes}) and gamma >= 0: current value is ` +
            JSON.stringify(q),
        );
      }
      view = { y: q.y, gamma: q.gamma, method: q.method };
      return guided(step);
    },
    extend: (total) => trainer.extendTo(total),
    dispose() {
      trainer.dispose();
      denoiser.dispose();
    },
  };
}
