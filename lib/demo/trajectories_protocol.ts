/**
 * The messages between chapter 2's sampling demos (ReverseTrajectories, MultiplyDistributions) and
 * their shared worker (`trajectories_worker.ts`). The worker trains one small model per page, then
 * answers sampling requests; the islands only ask and draw.
 *
 * @module
 */
import type { Region } from "../../engine/region.ts";
import type { BackendName, BackendPreference } from "./protocol.ts";
import type { DatasetName } from "./config.ts";

/** The training recipe (docs/quality.md's reference network, a short cosine-decayed run). */
export const TRAJECTORY_TRAINING = Object.freeze({
  /** Diffusion steps T (linear beta 1e-3 .. 0.2). */
  T: 100,
  /** Optimiser steps: enough for a recognisable swiss roll in seconds. */
  steps: 2000,
  lr: 2e-3,
  batchSize: 256,
  seed: 1,
});

/** DDPM vs DDIM from one x_T. */
export interface TrajectoriesRequest {
  /** Seed of the shared starting noise x_T. */
  noiseSeed: number;
  /** Seed of the noise added along the way (DDPM, and DDIM when eta > 0). */
  runSeed: number;
  /** DDIM's eta in [0, 1]. */
  eta: number;
  /** DDIM's number of steps (2..T). */
  ddimSteps: number;
  /** Samples per panel. */
  n: number;
  /** How many of them to return whole paths for. */
  paths: number;
}

/** One sampler's result: points and paths (x_T first, x_0 last). */
export interface Panel {
  /** x_0, flat [n, 2]. */
  points: Float32Array;
  /** The first `pathCount` samples' paths, flat [k, L, 2]. */
  paths: Float32Array;
  pathCount: number;
  pathLength: number;
}

/** Answer to a {@link TrajectoriesRequest}. */
export interface TrajectoriesResult {
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
  /** Samples of the multiplied chain, with some paths. */
  multiplied: Panel;
  /** Share of each set inside the region. */
  plainShare: number;
  multipliedShare: number;
}

/** Commands from the page. */
export type ToTrajectoriesWorker =
  | {
    type: "train";
    dataset: DatasetName;
    /** Optimiser steps (the recipe's, unless the page's URL asks for another number). */
    steps: number;
    backend: BackendPreference;
    wasmPaths: string;
    pageWebgl: boolean;
  }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "trajectories"; id: number; request: TrajectoriesRequest }
  | { type: "multiply"; id: number; request: MultiplyRequest }
  /** Disposes the model; answered with `reset` and the tensor count. */
  | { type: "reset" };

/** Reports from the worker. */
export type FromTrajectoriesWorker =
  | { type: "backend"; backend: BackendName; reason: string; baselineTensors: number }
  | { type: "progress"; step: number; total: number; loss: number; stepsPerSecond: number }
  | { type: "paused"; step: number }
  /** Training is done: the model answers sampling requests from now on. */
  | { type: "ready"; step: number; trainMs: number; numTensors: number }
  /** The trained model's MMD^2: 2,000 DDPM samples against fresh data (docs/quality.md). */
  | { type: "scored"; mmd2: number }
  | {
    type: "trajectories";
    id: number;
    result: TrajectoriesResult;
    ms: number;
    numTensors: number;
  }
  | { type: "multiply"; id: number; result: MultiplyResult; ms: number; numTensors: number }
  | { type: "reset"; numTensors: number; baselineTensors: number }
  | { type: "error"; message: string; id?: number };

/**
 * The buffers inside a report, to transfer rather than copy.
 *
 * @param message A report.
 * @returns Its ArrayBuffers (each once).
 * @example
 * ```ts
 * import { trajectoryTransferables } from "./trajectories_protocol.ts";
 * const a = new Float32Array(2), b = new Float32Array(4);
 * const panel = { points: a, paths: b, pathCount: 1, pathLength: 2 };
 * const list = trajectoryTransferables({
 *   type: "trajectories", id: 1, ms: 1, numTensors: 0, result: { ddpm: panel, ddim: panel },
 * });
 * if (list.length !== 2) throw new Error("each buffer once");
 * ```
 */
export function trajectoryTransferables(message: FromTrajectoriesWorker): ArrayBuffer[] {
  const arrays: Float32Array[] = [];
  if (message.type === "trajectories") {
    const { ddpm, ddim } = message.result;
    arrays.push(ddpm.points, ddpm.paths, ddim.points, ddim.paths);
  } else if (message.type === "multiply") {
    const r = message.result;
    arrays.push(r.plain, r.multiplied.points, r.multiplied.paths);
  }
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
