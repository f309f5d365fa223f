/**
 * Chapter 6's questions to a trained noise model: the reverse SDE against the probability-flow
 * ODE from the same x_T, and the model's own log-likelihood through its ODE beside its ELBO. The
 * reverse SDE is DDPM's ancestral chain (its Euler–Maruyama discretisation, `eq:reverse-sde`), the
 * ODE is DDIM with eta = 0 over all T steps (its Euler discretisation, `eq:ddim-euler`), and the
 * likelihood is `modelOdeLogLikelihood` (`eq:ode-likelihood`). Runs in the worker; no formula here.
 *
 * @module
 */
import { mmd2 } from "../../../engine/metrics.ts";
import { modelOdeLogLikelihood } from "../../../engine/ode_likelihood_model.ts";
import { createRng } from "../../../engine/rng.ts";
import { ddimSample, ddpmSample, type EpsModel } from "../../../engine/samplers.ts";
import type { Schedule } from "../../../engine/schedule.ts";
import { sameTimeCrossings } from "../path_crossings.ts";
import { panelOf } from "./panel.ts";
import type { FlowRequest, FlowResult, LikelihoodResult } from "./train_types.ts";

/** Paths among which same-time crossings are counted (the count grows as its square). */
export const CROSSING_PATHS = 200;
/**
 * Runge–Kutta steps per interval of the ODE likelihood: one, as holding t on each interval
 * already costs an error first order in 1/T, and each step is four passes with two derivatives.
 */
export const LIKELIHOOD_SUBSTEPS = 1;

/**
 * Samples `r.n` points with the reverse SDE and with the probability-flow ODE from one x_T.
 *
 * @param model The noise model.
 * @param schedule Its schedule.
 * @param reference Fresh data, flat [m, 2], for MMD^2.
 * @param r Seeds, sample and path counts.
 * @returns Both panels with their MMD^2 and same-time crossings.
 */
export async function sdeVsOde(
  model: EpsModel,
  schedule: Schedule,
  reference: ArrayLike<number>,
  r: FlowRequest,
): Promise<FlowResult> {
  const rng = createRng(r.noiseSeed);
  const initial = Float32Array.from({ length: 2 * r.n }, () => rng.normal()); // [n, 2] x_T
  const shared = { model, schedule, n: r.n, seed: r.runSeed, initial, trajectory: 1 };
  const sde = await ddpmSample(shared);
  const ode = await ddimSample({ ...shared, steps: schedule.T, eta: 0 });
  const count = Math.min(CROSSING_PATHS, r.n);
  const scored = (result: typeof sde) => ({
    ...panelOf(result, r.paths),
    mmd2: mmd2(result.samples, reference),
    crossings: sameTimeCrossings(result.trajectory!, count),
  });
  return { T: schedule.T, sde: scored(sde), ode: scored(ode), crossingPaths: count };
}

/**
 * The model's mean log-likelihood through its probability-flow ODE on `x0`, beside the ELBO of
 * its chain on the same points.
 *
 * @param model The noise model.
 * @param schedule Its schedule.
 * @param x0 The points, flat [n, 2].
 * @param elboPerPoint The ELBO of each point (`elboTermsBatch`).
 * @param logQ The exact log q of each point, when the data are a mixture.
 * @param step The training step of the model.
 * @returns The means and the share of points whose ODE log-likelihood is above their ELBO.
 */
export async function likelihoodBesideElbo(
  model: EpsModel,
  schedule: Schedule,
  x0: ArrayLike<number>,
  elboPerPoint: ArrayLike<number>,
  logQ: readonly number[] | undefined,
  step: number,
): Promise<LikelihoodResult> {
  const { logLikelihood } = await modelOdeLogLikelihood(model, schedule, x0, LIKELIHOOD_SUBSTEPS);
  const n = logLikelihood.length;
  const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / n;
  const above = logLikelihood.filter((l, i) => l > elboPerPoint[i]).length;
  return {
    step,
    n,
    odeLogLikelihood: mean(logLikelihood),
    elbo: mean(elboPerPoint),
    logQ: logQ ? mean(logQ) : NaN,
    aboveElbo: above / n,
  };
}
