/**
 * The messages between the Parameterisations and Guidance islands and their worker
 * (`lab_worker.ts`). The worker owns tfjs, the models and the optimisers; the page sends commands
 * and the view it wants (a step t for Tweedie's denoiser, or a class, method and guidance
 * strength), and draws what comes back.
 *
 * @module
 */
import type { BackendName, BackendPreference, StopReason } from "./protocol.ts";

/** Which demo a run serves. */
export type LabDemo = "parameterisations" | "guidance";

/** Guidance by the conditional model (classifier-free) or by the exact noisy classifier. */
export type GuidanceMethod = "cfg" | "classifier";

/** What the Guidance island wants to see. */
export interface GuideView {
  /** The class to sample, 0..GUIDANCE_CLASSES-1. */
  y: number;
  /** Guidance strength gamma: 0 unconditional, 1 conditional, above 1 sharper. */
  gamma: number;
  method: GuidanceMethod;
}

/** What an island wants to see: Tweedie's denoiser at step t, or guided samples. */
export type LabView = { kind: "tweedie"; t: number } | { kind: "guide" } & GuideView;

/** Commands from the page to the worker. */
export type ToLab =
  /** Builds fresh models for `demo` (disposing earlier ones) and starts training. */
  | {
    type: "start";
    demo: LabDemo;
    seed: number;
    view: LabView;
    backend: BackendPreference;
    wasmPaths: string;
    pageWebgl: boolean;
  }
  | { type: "pause" }
  | { type: "resume" }
  /** Changes what is drawn (no retraining); answered at once when paused. */
  | { type: "view"; view: LabView }
  /** Disposes every model; the worker answers with `reset` and its tensor count. */
  | { type: "reset" };

/** Why training stopped (the same reasons as the training worker's). */
export type LabStopReason = StopReason;

/** One model's samples and their MMD^2 against fresh data. */
export interface ModelSamples {
  /** What the model predicts. */
  target: "eps" | "x0" | "score";
  /** Flat [n, 2] samples. */
  points: Float32Array;
  /** Unbiased MMD^2 against as many fresh data points (docs/quality.md). */
  mmd2: number;
}

/** Reports from the worker to the page. */
export type FromLab =
  | { type: "backend"; backend: BackendName; reason: string; baselineTensors: number }
  /** A chunk of steps is done; `losses` holds one mean loss per model (eps, x0, score or one). */
  | {
    type: "progress";
    step: number;
    budget: number;
    losses: number[];
    stepsPerSecond: number;
    elapsedMs: number;
    numTensors: number;
  }
  /** Parameterisations: each model's samples (DDPM from the same noise) and MMD^2. */
  | { type: "models"; step: number; models: ModelSamples[] }
  /**
   * Parameterisations: at step t, the learned E[x_0 | x_t] of each model at the probe points
   * (`lab_tweedie.ts`), flat [n, 2] each, and its RMS distance to the exact one.
   */
  | { type: "tweedie"; step: number; t: number; learned: Float32Array[]; rms: number[] }
  /** Guidance: samples for `view`, their fidelity (share in class y's region) and spread. */
  | {
    type: "guided";
    step: number;
    view: GuideView;
    points: Float32Array;
    fidelity: number;
    diversity: number;
  }
  | { type: "stopped"; reason: LabStopReason; step: number; message: string }
  | { type: "reset"; numTensors: number; baselineTensors: number }
  | { type: "error"; message: string };

/**
 * The buffers a report can move to the page instead of copying.
 *
 * @param message A report.
 * @returns Its distinct ArrayBuffers.
 * @example
 * ```ts
 * import { labTransferables } from "./lab_protocol.ts";
 * const points = new Float32Array(4);
 * const view = { y: 0, gamma: 1, method: "cfg" as const };
 * const list = labTransferables({ type: "guided", step: 1, view, points, fidelity: 1, diversity: 0 });
 * if (list.length !== 1 || list[0] !== points.buffer) throw new Error("points move");
 * ```
 */
export function labTransferables(message: FromLab): ArrayBuffer[] {
  const arrays: ArrayLike<number>[] = message.type === "models"
    ? message.models.map((m) => m.points)
    : message.type === "tweedie"
    ? message.learned
    : message.type === "guided"
    ? [message.points]
    : [];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) buffers.add((a as Float32Array).buffer as ArrayBuffer);
  return [...buffers];
}
