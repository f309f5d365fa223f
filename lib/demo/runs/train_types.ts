/**
 * What the training run (`train.ts`) is started with, draws and answers: pure types, so that the
 * islands can import them without tfjs.
 *
 * @module
 */
import type { Region } from "../../../engine/region.ts";
import type { TrainConfig } from "../config.ts";

/** How a training run is started. */
export interface TrainParams {
  config: TrainConfig;
  /** Flat [n, 2] points the reader drew (the `drawn` data set only). */
  points?: number[];
  /** False: draw no samples (a demo that shows only the ELBO); default true. */
  samples?: boolean;
  /** Draw the ELBO's terms; default: for mixture data only. */
  elbo?: boolean;
  /** Hidden width of the network (tests shrink it); default the engine's. */
  hidden?: number;
}

/** Which sampler draws the pictures. */
export type SamplerSettings = Pick<TrainConfig, "sampler" | "eta" | "samplerSteps">;

/** Some samples' paths: `points` is x_0 [n, 2]; `paths` the first `pathCount` paths [k, L, 2]. */
export interface Panel {
  points: Float32Array;
  paths: Float32Array;
  pathCount: number;
  pathLength: number;
}

/** The pictures a training run draws. */
export type TrainView =
  /**
   * Samples from the EMA model; `mmd2` against fresh data in a full picture, else NaN; `estimate`
   * a quick picture's rough MMD^2 (never shown: it only brings the next score forward).
   */
  | { kind: "samples"; step: number; mmd2: number; estimate: number } & Panel
  /**
   * The ELBO's terms (`eq:elbo-terms`, nats per point) on the same `n` points and noise every
   * time: `denoising[t]` for t = 2..T; `logQ` the exact mean log-density (mixture data, else NaN);
   * `gap` = logQ - elbo. Reverse variances sigma_t^2 = beta_t.
   */
  | {
    kind: "elbo";
    step: number;
    prior: number;
    denoising: Float64Array;
    reconstruction: number;
    elbo: number;
    logQ: number;
    gap: number;
    n: number;
  }
  /** The model's and the exact score field at t on a side x side grid, [side^2, 2] each. */
  | {
    kind: "field";
    step: number;
    t: number;
    side: number;
    learned: Float32Array;
    exact: Float32Array;
  };

/** DDPM vs DDIM from one x_T. */
export interface TrajectoriesRequest {
  /** Seed of the shared starting noise x_T. */
  noiseSeed: number;
  /** Seed of the noise added along the way (DDPM, and DDIM when eta > 0). */
  runSeed: number;
  eta: number;
  /** DDIM's number of steps (2..T). */
  ddimSteps: number;
  /** Samples per panel. */
  n: number;
  /** How many of them to return whole paths for. */
  paths: number;
}

/** Answer to a {@link TrajectoriesRequest}; `T` is the model's number of steps. */
export interface TrajectoriesResult {
  T: number;
  ddpm: Panel;
  ddim: Panel;
}

/** Sampling p(x_0) r(x_0) against p(x_0), with the same noise. */
export interface MultiplyRequest {
  region: Region;
  /** Strength lambda of r(x) = exp(-lambda d(x)^2 / 2). */
  lambda: number;
  n: number;
  seed: number;
  /** Paths returned for the multiplied chain. */
  paths: number;
}

/** Answer to a {@link MultiplyRequest}. */
export interface MultiplyResult {
  /** Unconditioned samples, flat [n, 2]. */
  plain: Float32Array;
  multiplied: Panel;
  /** Share of each set inside the region. */
  plainShare: number;
  multipliedShare: number;
}

/** The reverse SDE against the probability-flow ODE from one x_T (chapter 6). */
export interface FlowRequest {
  /** Seed of the shared starting noise x_T. */
  noiseSeed: number;
  /** Seed of the SDE's noise along the way. */
  runSeed: number;
  /** Samples per sampler (scored by MMD^2). */
  n: number;
  /** How many of them to return whole paths for. */
  paths: number;
}

/** One sampler's answer to a {@link FlowRequest}. */
export interface FlowPanel extends Panel {
  /** MMD^2 of the samples against fresh data. */
  mmd2: number;
  /** Same-time crossings among the first `crossingPaths` paths (`sameTimeCrossings`). */
  crossings: number;
}

/** Answer to a {@link FlowRequest}: `T` steps each, from the same x_T. */
export interface FlowResult {
  T: number;
  sde: FlowPanel;
  ode: FlowPanel;
  /** How many paths the crossings were counted among. */
  crossingPaths: number;
}

/** The model's own log-likelihood through its ODE beside its ELBO, on the ELBO's data points. */
export interface LikelihoodResult {
  step: number;
  n: number;
  /** Mean log p_theta(x_0) through the probability-flow ODE (nats per point). */
  odeLogLikelihood: number;
  /** Mean ELBO of the chain with sigma_t^2 = beta_t on the same points. */
  elbo: number;
  /** Mean exact log q(x_0) of the data (mixture data, else NaN). */
  logQ: number;
  /** Share of the points whose ODE log-likelihood is above their ELBO. */
  aboveElbo: number;
}

/** Inpainting by the replacement method: x_0's `coordinate` is observed to equal `value`. */
export interface InpaintRequest {
  /** 0: x_1 (horizontal) is observed; 1: x_2 (vertical). */
  coordinate: 0 | 1;
  value: number;
  /** Samples, for the pinned chain and for the model's own. */
  n: number;
  seed: number;
}

/** Answer to an {@link InpaintRequest}. */
export interface InpaintResult {
  /** The replacement method's x_0, flat [n, 2]: the observed coordinate equals the value. */
  pinned: Float32Array;
  /** The model's own samples within `band` of the observed value (its conditional), flat. */
  modelSlice: Float32Array;
  /** Fresh data within `band` of the observed value (the data's conditional), flat. */
  dataSlice: Float32Array;
  band: number;
  /** 1-D MMD^2 of the free coordinate: pinned against the data slice, and the model's slice. */
  pinnedMmd2: number;
  modelMmd2: number;
}

/** Questions a training run answers. */
export type TrainQuestion =
  /** Draw with another sampler from now on; answered with the scored samples. */
  | { kind: "sampler" } & SamplerSettings
  /** The score field at t from now on; answered with the field view (mixture data). */
  | { kind: "field"; t: number }
  /** The EMA model as JSON text (`saveDenoiser`), answered as `{ model, step }`. */
  | { kind: "save" }
  | { kind: "trajectories"; request: TrajectoriesRequest }
  | { kind: "multiply"; request: MultiplyRequest }
  | { kind: "flow"; request: FlowRequest }
  | { kind: "inpaint"; request: InpaintRequest }
  /** The model's ODE log-likelihood beside its ELBO, answered as a {@link LikelihoodResult}. */
  | { kind: "likelihood" };
