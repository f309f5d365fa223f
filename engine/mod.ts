/**
 * The book's engine: every formula the chapters state, in one place. The demos and the tests
 * import from here.
 *
 * @module
 */

// ---- Exact float64 math (plain TypeScript, no tfjs, no DOM) ----
export * from "./rng.ts";
export * from "./schedule.ts";
export * from "./vector.ts";
export * from "./gaussian.ts";
export * from "./forward.ts";
export * from "./posterior.ts";
export * from "./parameterisation.ts";
export * from "./mixture.ts";
export * from "./path.ts";
export * from "./elbo.ts";
export * from "./binomial.ts";
export * from "./quadrature.ts";
export * from "./multiply.ts";
export * from "./inpaint.ts";
export * from "./schedule_steps.ts";
export * from "./gaussian_gap.ts";
export * from "./reverse_average.ts";
export * from "./binomial_reverse.ts";
export * from "./mixture_1d.ts";
export * from "./langevin.ts";
export * from "./langevin_bias.ts";
export * from "./score_matching.ts";
export * from "./sde.ts";
export * from "./ddim_ode.ts";
export * from "./ode_likelihood.ts";
export * from "./continuous_elbo.ts";
export * from "./vae.ts";

// The learning half (tfjs: denoiser, trainer, samplers, data sets, metrics) is `./learn.ts`, kept
// apart so that importing the exact math never loads tfjs.
