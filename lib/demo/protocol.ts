/**
 * The one protocol between a page and its demo worker (`worker.ts`). Every training demo speaks it:
 * the page starts, pauses, resumes and resets a run in a named slot, and asks it questions; the
 * worker reports the backend, progress (with the demo's pictures, `views`), why a run stopped,
 * resets, errors, and answers. What a view, a question or an answer holds is the run's business
 * (`runs/*.ts`); the protocol only carries them.
 *
 * @module
 */

/** The tfjs backends the worker may run on, in its order of preference. */
export type BackendName = "webgl" | "wasm" | "cpu";
/** `auto` lets the worker choose (see `chooseBackendOrder`); a name forces that backend first. */
export type BackendPreference = "auto" | BackendName;

/** How the worker should start tfjs (sent with `warm` and every start; used by the first). */
export interface BackendRequest {
  backend: BackendPreference;
  /** Folder URL of tfjs's `.wasm` files. */
  wasmPaths: string;
  /**
   * False when the page could not create a WebGL context: Chromium's `--disable-webgl` does not
   * reach OffscreenCanvas in workers, so the page tells the worker.
   */
  pageWebgl: boolean;
}

/** Commands from the page to the worker; `slot` names the run (one per demo on a page). */
export type ToWorker =
  /** Starts the backend before any run, so that a start finds it ready; answered by `backend`. */
  | { type: "warm" } & BackendRequest
  /**
   * Builds a fresh run of kind `run` (a key of the worker's registry) from `params`, disposing the
   * slot's earlier run, and trains it; with `model` (a saved denoiser's JSON) it rebuilds that
   * model at `step` and waits (stopped: `loaded`).
   */
  | {
    type: "start";
    slot: string;
    run: string;
    params: unknown;
    model?: string;
    step?: number;
  } & BackendRequest
  /** Stops the slot's training after the current chunk; the model stays. */
  | { type: "pause"; slot: string }
  /** Trains on from the current step; `more`: past the budget, by another budget (Train more). */
  | { type: "resume"; slot: string; more?: boolean }
  /** Disposes the slot's run; answered by `reset` with the tensor count. */
  | { type: "reset"; slot: string }
  /** A question for the slot's run (a picture at another t, a save, samples); answered by `answer`. */
  | { type: "ask"; slot: string; id: number; question: unknown };

/** Why a run stopped. `lost`: the WebGL context went away; `loaded`: a saved model is ready. */
export type StopReason = "paused" | "budget" | "diverged" | "lost" | "error" | "loaded";

/** Where a run stands, as the page shows it (`starting` includes loading a saved model). */
export type RunStatus = "idle" | "starting" | "training" | "paused" | "done" | "diverged" | "error";

/** Where a run's training stands in a report. */
export interface Progress {
  step: number;
  /** The step training stops at (it grows with Train more). */
  budget: number;
  /** Each model's mean loss over the last chunk (empty before any step). */
  losses: number[];
  /** Training steps per second over recent chunks (sampling excluded). */
  stepsPerSecond: number;
  /** Time spent training and drawing, pauses excluded. */
  elapsedMs: number;
  /** tf.memory().numTensors after the chunk. */
  numTensors: number;
}

/** Reports from the worker to the page. */
export type FromWorker =
  /** The backend is ready; `baselineTensors` is tf.memory().numTensors with no run built. */
  | { type: "backend"; backend: BackendName; reason: string; baselineTensors: number }
  /** A chunk of steps is done; `views` holds the pictures drawn after it (often none). */
  | { type: "progress"; slot: string; views: unknown[] } & Progress
  /** Training stopped; `message` says why in words; `views` are the pictures at that step. */
  | {
    type: "stopped";
    slot: string;
    reason: StopReason;
    message: string;
    views: unknown[];
  } & Progress
  /** The slot's run is disposed; `numTensors` should equal the backend's `baselineTensors`. */
  | { type: "reset"; slot: string; numTensors: number }
  /** Something failed; with `id`, the question of that id failed. */
  | { type: "error"; slot: string; id?: number; message: string }
  /** The answer to question `id`. */
  | { type: "answer"; slot: string; id: number; answer: unknown };
