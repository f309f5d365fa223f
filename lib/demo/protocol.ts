/**
 * The messages between the TrainAndSample island (main thread) and the training worker. The worker
 * owns tfjs, the model and the optimiser; the page only sends commands and draws what comes back.
 *
 * @module
 */
import type { TrainConfig } from "./config.ts";

/** The tfjs backends the worker may run on, in its order of preference. */
export type BackendName = "webgl" | "wasm" | "cpu";
/** `auto` lets the worker choose (see `chooseBackendOrder`); a name forces that backend first. */
export type BackendPreference = "auto" | BackendName;

/** Commands from the page to the worker. */
export type ToWorker =
  /**
   * Builds a fresh model for `config` (disposing any earlier one) and starts training.
   * `pageWebgl` is false when the page could not create a WebGL context (WebGL disabled by the
   * reader or the browser): Chromium's `--disable-webgl` does not reach OffscreenCanvas in
   * workers, so the page tells the worker.
   */
  | {
    type: "start";
    config: TrainConfig;
    backend: BackendPreference;
    wasmPaths: string;
    pageWebgl: boolean;
    /** Flat [n, 2] points the reader drew (the `drawn` data set only). */
    points?: number[];
    /** False: draw no samples while training (a demo that shows only the ELBO); default true. */
    samples?: boolean;
    /** Report the ELBO terms while training; default: for mixture data only (`isMixtureDataset`). */
    elbo?: boolean;
  }
  /**
   * Rebuilds a saved model (`saved_run.ts`; `model` is `saveDenoiser`'s JSON) without training: the
   * worker answers `loaded`, then samples, ELBO and score field as after a finished run.
   */
  | {
    type: "load";
    config: TrainConfig;
    model: string;
    step: number;
    points?: number[];
    backend: BackendPreference;
    wasmPaths: string;
    pageWebgl: boolean;
  }
  /** Asks for the current EMA model as JSON text; the worker answers `model`. */
  | { type: "save" }
  /** Sets the time step t of the score field (mixture data); the worker answers `field`. */
  | { type: "field"; t: number }
  /** Continues a paused run. */
  | { type: "resume" }
  /** Stops after the current chunk of steps; the model stays. */
  | { type: "pause" }
  /** Changes how samples are drawn (sampler, eta, samplerSteps) without retraining. */
  | { type: "sampler"; config: TrainConfig }
  /** Disposes the model, optimiser and data; the worker answers with `reset` and its tensor count. */
  | { type: "reset" };

/** Why a run stopped. */
export type StopReason = "paused" | "budget" | "diverged" | "error";

/**
 * The status an island shows after a `stopped` report: a spent budget is done, a pause is paused.
 *
 * @example
 * ```ts
 * import { statusAfterStop } from "./protocol.ts";
 * if (statusAfterStop("budget") !== "done" || statusAfterStop("paused") !== "paused") {
 *   throw new Error("budget -> done, paused -> paused");
 * }
 * ```
 */
export function statusAfterStop(reason: StopReason): "done" | "paused" | "diverged" | "error" {
  return reason === "budget" ? "done" : reason;
}

/** Reports from the worker to the page. */
export type FromWorker =
  /** The backend is ready; `baselineTensors` is tf.memory().numTensors with no model built. */
  | { type: "backend"; backend: BackendName; reason: string; baselineTensors: number }
  /** A chunk of optimiser steps is done; `loss` is its mean loss. */
  | {
    type: "progress";
    step: number;
    loss: number;
    stepsPerSecond: number;
    elapsedMs: number;
    numTensors: number;
  }
  /**
   * Samples from the EMA model at `step`: `points` is [n, 2] row-major; `trajectories` holds
   * `trajectoryCount` paths of `trajectoryLength` points each (x_T first, x_0 last), [k, L, 2].
   * `mmd2` is the unbiased MMD^2 of 2,000 samples against 2,000 fresh data points, or NaN for a
   * preview (fewer samples, drawn between scored ones to keep the picture moving).
   */
  | {
    type: "samples";
    step: number;
    points: Float32Array;
    trajectories: Float32Array;
    trajectoryCount: number;
    trajectoryLength: number;
    mmd2: number;
    sampleMs: number;
  }
  /**
   * The ELBO's terms (`eq:elbo-terms`, nats per point) of the EMA model at `step`, one Monte Carlo
   * draw over `n` data points with the same points and noise every time (so changes are the
   * model's): `denoising[t]` for t = 2..T (entries 0, 1 are 0), and `logQ`, the exact log-density
   * of the data distribution at the same points (mixture data; NaN otherwise). `gap` is
   * logQ - elbo, which is >= 0 in expectation (E log q >= E log p_theta >= E ELBO).
   */
  | {
    type: "elbo";
    step: number;
    prior: number;
    denoising: Float64Array;
    reconstruction: number;
    elbo: number;
    logQ: number;
    gap: number;
    n: number;
    /** sigma_t^2 of the model's reverse steps (`beta`: as the DDPM sampler uses). */
    variance: string;
    ms: number;
  }
  /**
   * Score fields at time t on a `side` x `side` grid (`field.ts`): the model's
   * -epsTheta / sqrt(1 - alphaBar_t) and the exact grad log q(x_t) of the mixture, each [side^2, 2].
   */
  | {
    type: "field";
    step: number;
    t: number;
    side: number;
    learned: Float32Array;
    exact: Float32Array;
  }
  /** The model as JSON text (`saveDenoiser`), for `save`. */
  | { type: "model"; step: number; model: string }
  /** A saved model was rebuilt. */
  | { type: "loaded"; step: number }
  /** Training stopped; `message` says why in words (the DivergenceError's message for `diverged`). */
  | { type: "stopped"; reason: StopReason; step: number; message: string }
  /** Everything is disposed; `numTensors` should equal `baselineTensors`. */
  | { type: "reset"; numTensors: number; baselineTensors: number }
  /** Something failed outside training (e.g. no backend could start). */
  | { type: "error"; message: string };

/**
 * The transferable buffers inside a message, so that posting moves them instead of copying.
 *
 * @param message A report from the worker.
 * @returns The ArrayBuffers to list as transferables.
 * @example
 * ```ts
 * import { transferablesOf } from "./protocol.ts";
 * const points = new Float32Array(4);
 * const list = transferablesOf({
 *   type: "samples", step: 1, points, trajectories: points, trajectoryCount: 1,
 *   trajectoryLength: 2, mmd2: 0, sampleMs: 1,
 * });
 * if (list.length !== 1 || list[0] !== points.buffer) throw new Error("points must transfer");
 * ```
 */
export function transferablesOf(message: FromWorker): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  if (message.type === "samples") {
    buffers.push(message.points.buffer as ArrayBuffer);
    if (message.trajectories.buffer !== message.points.buffer) {
      buffers.push(message.trajectories.buffer as ArrayBuffer);
    }
  }
  return buffers;
}
