/**
 * How long the demos train, in one place so that the islands (which must not import tfjs)
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

/**
 * Chapter 2's sampling demos train this recipe when the chapter's Train demo has no model to lend
 * them: the swiss roll, T = 100 (linear beta 1e-3 .. 0.2), 2,000 steps, a recognisable model in
 * seconds.
 */
export const SAMPLING_STEPS = 2000;
