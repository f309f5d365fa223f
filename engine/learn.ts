/**
 * The learning half of the engine on tfjs: backend start-up, data sets, metrics, the denoiser,
 * the trainer, the samplers and saving models.
 * Kept apart from `mod.ts` so that the exact float64 math loads without tfjs.
 *
 * @example
 * ```ts
 * import { datasetByName, mmd2 } from "./learn.ts";
 * import { createRng } from "./rng.ts";
 * const moons = datasetByName("twoMoons");
 * const v = mmd2(moons(200, createRng(1)), moons(200, createRng(2)));
 * if (!(Math.abs(v) < 0.01)) throw new Error("same distribution, MMD^2 near 0");
 * ```
 *
 * @module
 */
export * from "./backend.ts";
export * from "./datasets.ts";
export * from "./metrics.ts";
export * from "./denoiser.ts";
export * from "./train.ts";
export * from "./samplers.ts";
export * from "./model_io.ts";
export * from "./ode_likelihood_model.ts";
