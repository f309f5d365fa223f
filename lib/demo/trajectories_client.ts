/**
 * The page side of chapter 2's sampling worker: one client per worker URL, shared by every island
 * on the page, so ReverseTrajectories and MultiplyDistributions train one model between them. It
 * holds the training state (islands subscribe to it), turns sampling requests into promises, and
 * pauses training while the tab is hidden.
 *
 * @module
 */
import { probePageWebgl } from "./client.ts";
import { lazyWorker, type TypedWorker } from "./lazy_worker.ts";
import type { DatasetName } from "./config.ts";
import type { BackendPreference } from "./protocol.ts";
import type {
  FromTrajectoriesWorker,
  MultiplyRequest,
  MultiplyResult,
  ToTrajectoriesWorker,
  TrajectoriesRequest,
  TrajectoriesResult,
} from "./trajectories_protocol.ts";
import { TRAJECTORY_TRAINING } from "./trajectories_protocol.ts";
import { browserSitePath } from "../site/browser_path.ts";

/** The worker, typed with this protocol's messages. */
export type TrajectoryWorkerLike = TypedWorker<ToTrajectoriesWorker, FromTrajectoriesWorker>;

/** Where training stands. */
export type TrajectoryPhase = "idle" | "starting" | "training" | "paused" | "ready" | "error";

/** What the islands show. */
export interface TrajectoryState {
  phase: TrajectoryPhase;
  step: number;
  total: number;
  loss: number;
  stepsPerSecond: number;
  mmd2?: number;
  trainMs?: number;
  backend?: string;
  reason?: string;
  numTensors?: number;
  baselineTensors?: number;
  /** Paused because the tab was hidden (resumes when it is shown). */
  hiddenPause: boolean;
  message?: string;
}

/** A sampling answer with its timing and the worker's tensor count after it. */
export interface Answer<R> {
  result: R;
  ms: number;
  numTensors: number;
}

/** The client. */
export interface TrajectoryClient {
  readonly state: TrajectoryState;
  /** Calls `listener` on every change (and once now); returns the unsubscribe function. */
  subscribe(listener: (state: TrajectoryState) => void): () => void;
  /** Trains the shared model (no-op when it is training or trained). */
  train(dataset: DatasetName): void;
  pause(): void;
  resume(): void;
  /** Pauses or resumes because the tab was hidden or shown. */
  visibility(hidden: boolean): void;
  trajectories(request: TrajectoriesRequest): Promise<Answer<TrajectoriesResult>>;
  multiply(request: MultiplyRequest): Promise<Answer<MultiplyResult>>;
  /** Disposes the model in the worker; pending requests are rejected. */
  reset(): void;
  terminate(): void;
}

/** The state before anything starts (also shown when the page gave no worker). */
export const INITIAL: Readonly<TrajectoryState> = {
  phase: "idle",
  step: 0,
  total: TRAJECTORY_TRAINING.steps,
  loss: NaN,
  stepsPerSecond: 0,
  hiddenPause: false,
};

type Pending = { resolve: (a: Answer<unknown>) => void; reject: (e: Error) => void };

/**
 * Creates a client; nothing starts until `train`.
 *
 * @param makeWorker Starts the worker.
 * @param wasmPaths Folder URL of tfjs's `.wasm` files.
 * @param backend Backend preference (`auto`, or one the URL asks for).
 * @param probe Whether the page has WebGL (probed on the first `train` when left out).
 * @param steps Optimiser steps to train for.
 * @returns The client.
 * @example
 * ```ts
 * import { createTrajectoryClient } from "./trajectories_client.ts";
 * const sent: { type: string }[] = [];
 * const fake = { postMessage: (m: { type: string }) => sent.push(m), terminate() {}, onmessage: null, onerror: null };
 * const client = createTrajectoryClient(() => fake, "/vendor/tfjs/", "auto", false);
 * client.train("swissroll");
 * client.train("swissroll"); // already training: not sent again
 * if (sent.length !== 1 || client.state.phase !== "starting") throw new Error("one train");
 * ```
 */
export function createTrajectoryClient(
  makeWorker: () => TrajectoryWorkerLike,
  wasmPaths = browserSitePath("/vendor/tfjs/"), // the page's base path in front
  backend: BackendPreference = "auto",
  probe?: boolean,
  steps: number = TRAJECTORY_TRAINING.steps,
): TrajectoryClient {
  const initial: TrajectoryState = { ...INITIAL, total: steps };
  let state: TrajectoryState = { ...initial };
  const listeners = new Set<(s: TrajectoryState) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;

  const set = (patch: Partial<TrajectoryState>) => {
    state = { ...state, ...patch };
    for (const l of listeners) l(state);
  };
  const rejectAll = (message: string) => {
    for (const p of pending.values()) p.reject(new Error(message));
    pending.clear();
  };

  const onReport = (r: FromTrajectoriesWorker) => {
    switch (r.type) {
      case "backend":
        return set({ backend: r.backend, reason: r.reason, baselineTensors: r.baselineTensors });
      case "progress":
        return set({
          phase: state.phase === "paused" ? "paused" : "training",
          step: r.step,
          total: r.total,
          loss: r.loss,
          stepsPerSecond: r.stepsPerSecond,
        });
      case "paused":
        return set({ phase: "paused", step: r.step });
      case "ready":
        return set({
          phase: "ready",
          step: r.step,
          trainMs: r.trainMs,
          numTensors: r.numTensors,
          message: undefined,
        });
      case "scored":
        return set({ mmd2: r.mmd2 });
      case "trajectories":
      case "multiply": {
        const p = pending.get(r.id);
        pending.delete(r.id);
        set({ numTensors: r.numTensors });
        p?.resolve({ result: r.result, ms: r.ms, numTensors: r.numTensors });
        return;
      }
      case "reset":
        rejectAll("Cannot sample as the model was reset");
        return set({
          ...initial,
          backend: state.backend,
          reason: state.reason,
          numTensors: r.numTensors,
          baselineTensors: r.baselineTensors,
          message: `Reset: ${r.numTensors} tensors held (baseline ${r.baselineTensors}).`,
        });
      case "error": {
        if (r.id !== undefined) {
          const p = pending.get(r.id);
          pending.delete(r.id);
          p?.reject(new Error(r.message));
          return;
        }
        return set({ phase: "error", message: r.message });
      }
    }
  };

  const worker = lazyWorker<ToTrajectoriesWorker, FromTrajectoriesWorker>(
    makeWorker,
    (report) => onReport(report),
    (reason) => {
      rejectAll("Cannot sample as the worker failed");
      set({ phase: "error", message: `Cannot run the sampling worker as it failed: ${reason}` });
    },
  );

  const request = <R>(
    message: { type: "trajectories" | "multiply"; request: unknown },
  ): Promise<Answer<R>> => {
    if (!worker.started || state.phase !== "ready") {
      return Promise.reject(
        new Error(
          `Cannot sample as the model must be trained first: current state is ${state.phase}`,
        ),
      );
    }
    const id = nextId++;
    return new Promise<Answer<R>>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (a: Answer<unknown>) => void, reject });
      worker.send({ ...message, id } as ToTrajectoriesWorker);
    });
  };

  return {
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },
    train(dataset) {
      if (["starting", "training", "ready"].includes(state.phase)) return;
      if (state.phase === "paused") return this.resume();
      const pageWebgl = probe ??= probePageWebgl();
      set({ ...initial, phase: "starting", backend: state.backend, reason: state.reason });
      worker.post({ type: "train", dataset, steps, backend, wasmPaths, pageWebgl });
    },
    pause() {
      if (state.phase !== "training" && state.phase !== "starting") return;
      worker.send({ type: "pause" });
      set({ phase: "paused", hiddenPause: false });
    },
    resume() {
      if (state.phase !== "paused") return;
      worker.send({ type: "resume" });
      set({ phase: "training", hiddenPause: false });
    },
    visibility(hidden) {
      if (hidden && (state.phase === "training" || state.phase === "starting")) {
        worker.send({ type: "pause" });
        set({ phase: "paused", hiddenPause: true });
      } else if (!hidden && state.phase === "paused" && state.hiddenPause) {
        worker.send({ type: "resume" });
        set({ phase: "training", hiddenPause: false });
      }
    },
    trajectories: (r) => request<TrajectoriesResult>({ type: "trajectories", request: r }),
    multiply: (r) => request<MultiplyResult>({ type: "multiply", request: r }),
    reset() {
      if (worker.started) worker.send({ type: "reset" });
      else set({ ...initial });
    },
    terminate() {
      worker.terminate();
      rejectAll("Cannot sample as the worker was stopped");
      set({ ...initial });
    },
  };
}

const shared = new Map<string, TrajectoryClient>();

/**
 * The page's one client for a worker URL (created on first use, with the `?backend=` and
 * `?trainsteps=` the URL asks for, and a listener that pauses training while the tab is hidden).
 *
 * @param workerUrl The `trajectories-worker` bundle's URL.
 * @returns The shared client.
 */
export function sharedTrajectoryClient(workerUrl: string): TrajectoryClient {
  const existing = shared.get(workerUrl);
  if (existing) return existing;
  const query = new URLSearchParams(location.search);
  const b = query.get("backend");
  const backend: BackendPreference = b === "webgl" || b === "wasm" || b === "cpu" ? b : "auto";
  const client = createTrajectoryClient(
    () => new Worker(workerUrl, { type: "module" }) as unknown as TrajectoryWorkerLike,
    browserSitePath("/vendor/tfjs/"),
    backend,
    undefined,
    trainStepsFromQuery(query.get("trainsteps")),
  );
  document.addEventListener("visibilitychange", () => client.visibility(document.hidden));
  shared.set(workerUrl, client);
  return client;
}

/**
 * The number of training steps a URL asks for (`?trainsteps=`), else the recipe's.
 *
 * @param raw The query value, or null.
 * @returns An integer in [50, 20000], or the default.
 * @example
 * ```ts
 * import { trainStepsFromQuery } from "./trajectories_client.ts";
 * if (trainStepsFromQuery("300") !== 300 || trainStepsFromQuery("x") !== 2000) throw new Error();
 * ```
 */
export function trainStepsFromQuery(raw: string | null): number {
  const n = Number(raw);
  return raw !== null && Number.isInteger(n) && n >= 50 && n <= 20_000
    ? n
    : TRAJECTORY_TRAINING.steps;
}
