/**
 * How long the lab demos train, in one place so that the islands (which must not import tfjs)
 * and the worker's runs agree. Measured on a 2-core machine shared with other jobs (WASM, about
 * 8 steps/s per model for three models, 23 steps/s for one): by 300 steps the eps-model's samples
 * reach MMD^2 ~ 1e-3 and by 500 the conditional model's classifier-free fidelity at gamma = 1 is
 * ~0.86 (the class data's own is 0.94).
 *
 * @module
 */

/** Steps per model in a Parameterisations run (three models train interleaved). */
export const PARAMETERISATIONS_BUDGET = 400;
/** Steps in a Guidance run. */
export const GUIDANCE_BUDGET = 800;
