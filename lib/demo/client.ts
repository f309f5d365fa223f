/**
 * The page side of the demo worker: one client per page, shared by every training island on it,
 * so that islands can share a model (chapter 2's sampling demos use the Train demo's). It starts
 * the worker lazily (tfjs loads only when a reader presses Train, or an island warms it), keeps
 * each slot's state (islands subscribe to it), turns questions into promises by id, pauses
 * training while the tab is hidden, and frees a slot's tensors when its last island goes away.
 *
 * @module
 */
import type { BackendPreference, FromWorker, Progress, RunStatus, ToWorker } from "./protocol.ts";
import { browserSitePath } from "../site/browser_path.ts";

/** The part of `Worker` the client uses, typed with the protocol (a fake one in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

/** What a slot's islands show. */
export interface SlotState {
  status: RunStatus;
  progress: Progress;
  /** A sentence for the reader ("" when there is nothing to say). */
  message: string;
  /** The run and parameters of the slot's model; undefined when it has none. */
  run?: string;
  params?: unknown;
  /** "wasm — why" once the worker has started a backend. */
  backend?: string;
  /** tf.memory().numTensors with no model built (known once a backend runs). */
  baselineTensors?: number;
  /** The latest scored picture's MMD^2 (any view with a finite `mmd2`) and its step. */
  score?: { step: number; mmd2: number };
}

/** The score among `views`, if one carries a finite `mmd2`. */
function scoreOf(views: unknown[]): SlotState["score"] {
  for (const v of views) {
    const { mmd2, step } = (v ?? {}) as { mmd2?: unknown; step?: unknown };
    if (typeof mmd2 === "number" && Number.isFinite(mmd2) && typeof step === "number") {
      return { step, mmd2 };
    }
  }
  return undefined;
}

/** Receives a slot's state on every change, with the pictures that came with it. */
export type SlotListener = (state: SlotState, views: unknown[]) => void;

/** A progress with nothing done. */
export const NO_PROGRESS: Readonly<Progress> = Object.freeze({
  step: 0,
  budget: 0,
  losses: [],
  stepsPerSecond: 0,
  elapsedMs: 0,
  numTensors: 0,
});

/** A slot with no model and nothing to say. */
export const IDLE: Readonly<SlotState> = Object.freeze({
  status: "idle",
  progress: NO_PROGRESS,
  message: "",
  run: undefined,
  params: undefined,
  score: undefined,
});
const HIDDEN_MESSAGE = "Paused because the tab was hidden; press Resume to go on.";

type Pending = { slot: string; resolve: (answer: unknown) => void; reject: (e: Error) => void };

/** The client: one per page, shared by every training island on it. */
export type DemoClient = ReturnType<typeof createDemoClient>;

/**
 * Creates a client; nothing starts until the first `start` or `warm`.
 *
 * @param makeWorker Starts the worker (`() => new Worker(url, { type: "module" })` in a page).
 * @param wasmPaths Folder URL of tfjs's `.wasm` files.
 * @param backend `auto`, or the backend the page's `?backend=` asks for.
 * @param pageWebgl Whether the page has WebGL (asked on every start).
 * @returns The client.
 * @example
 * ```ts
 * import { createDemoClient } from "./client.ts";
 * const sent: { type: string }[] = [];
 * const fake = { postMessage: (m: { type: string }) => sent.push(m), terminate() {}, onmessage: null, onerror: null };
 * const client = createDemoClient(() => fake, "/vendor/tfjs/", "auto", () => false);
 * client.pause("a"); // no worker yet: nothing to pause, nothing sent
 * client.start("a", "train", {});
 * if (sent.length !== 1 || client.state("a").status !== "starting") throw new Error("one start");
 * ```
 */
export function createDemoClient(
  makeWorker: () => WorkerLike,
  wasmPaths = browserSitePath("/vendor/tfjs/"), // the page's base path in front
  backend: BackendPreference = "auto",
  pageWebgl: () => boolean = probePageWebgl,
) {
  const states = new Map<string, SlotState>();
  const listeners = new Map<string, Set<SlotListener>>();
  const pending = new Map<number, Pending>();
  let page: Pick<SlotState, "backend" | "baselineTensors"> = {};
  let nextId = 1;

  /** The slot's state now. */
  const state = (slot: string): SlotState => states.get(slot) ?? { ...IDLE, ...page };
  // Progress alone (no pictures, no change of status) reaches the islands at most four times a
  // second, so that a page of several islands does not redraw its readouts at every chunk.
  const quiet = new Map<string, ReturnType<typeof setTimeout>>();
  const notify = (slot: string, views: unknown[]) => {
    clearTimeout(quiet.get(slot));
    quiet.delete(slot);
    const now = state(slot);
    for (const l of listeners.get(slot) ?? []) l(now, views);
  };
  const set = (slot: string, patch: Partial<SlotState>, views: unknown[] = [], later = false) => {
    const score = scoreOf(views);
    const next = { ...state(slot), ...patch, ...page, ...(score ? { score } : {}) };
    states.set(slot, next);
    if (!later) notify(slot, views);
    else if (!quiet.has(slot)) quiet.set(slot, setTimeout(() => notify(slot, []), 250));
  };
  const known = () => new Set([...states.keys(), ...listeners.keys()]);
  const rejectAll = (slot: string | undefined, message: string) => {
    for (const p of pending.values()) {
      if (slot === undefined || p.slot === slot) p.reject(new Error(message));
    }
  };

  const onReport = (r: FromWorker) => {
    switch (r.type) {
      case "backend":
        page = { backend: `${r.backend} — ${r.reason}`, baselineTensors: r.baselineTensors };
        for (const slot of known()) set(slot, {}); // a warm start reports before any run
        return;
      case "progress": {
        const { type: _, slot, views, ...progress } = r;
        const s = state(slot);
        // A chunk reported after Pause was pressed (or on its way) does not undo the pause.
        const status = s.status === "starting" ? "training" : s.status;
        return set(slot, { status, progress }, views, views.length === 0 && status === s.status);
      }
      case "stopped": {
        const { type: _, slot, views, reason, message, ...progress } = r;
        const hidden = reason === "paused" && state(slot).message === HIDDEN_MESSAGE;
        const gone = reason === "lost" || reason === "error";
        if (gone) rejectAll(slot, `Cannot answer as the model stopped: ${message}`);
        // A spent budget or a loaded model is done; a lost context is an error.
        const done = reason === "budget" || reason === "loaded";
        return set(slot, {
          status: done ? "done" : gone ? "error" : reason,
          progress,
          message: hidden ? HIDDEN_MESSAGE : message,
          ...(gone ? { run: undefined, params: undefined } : {}),
        }, views);
      }
      case "reset":
        rejectAll(r.slot, "Cannot answer as the model was reset");
        return set(r.slot, {
          ...IDLE,
          progress: { ...NO_PROGRESS, numTensors: r.numTensors },
          message: "Reset: the model is gone and its memory is freed.",
        });
      case "answer":
        return pending.get(r.id)?.resolve(r.answer);
      case "error":
        if (r.id !== undefined) return pending.get(r.id)?.reject(new Error(r.message));
        return set(r.slot, { status: "error", message: r.message });
    }
  };

  // The worker starts on the first start or warm (so tfjs loads only when a reader is about to
  // train); a worker that fails to load is reported, not thrown. Other commands go only to a
  // running worker.
  let thread: WorkerLike | undefined;
  const tfjs = () => ({ backend, wasmPaths, pageWebgl: pageWebgl() });
  const open = () => {
    thread = makeWorker();
    thread.onmessage = (event) => onReport(event.data);
    thread.onerror = (event) => {
      event.preventDefault?.();
      rejectAll(undefined, "Cannot answer as the worker failed");
      const message = `Cannot run the demo worker as it failed: ${event.message || "load error"}`;
      for (const slot of known()) {
        set(slot, { status: "error", message, run: undefined, params: undefined });
      }
    };
    return thread;
  };

  const client = {
    state,
    /**
     * Calls `listener` on every change of the slot (and once now). Returns the unsubscribe: the
     * slot's last listener (island) to go frees its model, the client's last stops the worker.
     */
    subscribe(slot: string, listener: SlotListener): () => void {
      let set = listeners.get(slot);
      if (!set) listeners.set(slot, set = new Set());
      set.add(listener);
      listener(state(slot), []);
      return () => {
        if (!set.delete(listener) || set.size > 0) return;
        listeners.delete(slot);
        if (state(slot).params !== undefined) client.reset(slot);
        if (listeners.size === 0) client.terminate();
      };
    },
    /** Builds a fresh run in the slot and trains it, or rebuilds a saved model (`init.model`). */
    start(slot: string, run: string, params: unknown, init?: { model: string; step: number }) {
      rejectAll(slot, "Cannot answer as a new model replaced this one");
      set(slot, {
        ...IDLE,
        status: "starting", // or loading a saved model
        progress: { ...NO_PROGRESS, step: init?.step ?? 0 },
        run,
        params,
      });
      (thread ?? open()).postMessage({ type: "start", slot, run, params, ...init, ...tfjs() });
    },
    /**
     * Starts the worker and its tfjs backend before any Train (once; the worker answers with
     * `backend`), so that the first start finds the backend ready.
     */
    warm() {
      if (!thread) open().postMessage({ type: "warm", ...tfjs() });
    },
    pause(slot: string) {
      thread?.postMessage({ type: "pause", slot });
    },
    /** Trains on from the current step; `more`: past the budget (Train more). */
    resume(slot: string, more?: boolean) {
      thread?.postMessage({ type: "resume", slot, ...(more ? { more } : {}) });
      set(slot, { status: "training", message: "" });
    },
    /** Disposes the slot's model; pending questions are rejected. */
    reset(slot: string) {
      if (thread) thread.postMessage({ type: "reset", slot });
      else set(slot, { ...IDLE });
    },
    /** Asks the slot's run a question; rejects when it fails or the model goes. */
    ask<A>(slot: string, question: unknown): Promise<A> {
      if (!thread || state(slot).params === undefined) {
        return Promise.reject(
          new Error("Cannot answer as there is no model yet: press Train first"),
        );
      }
      const id = nextId++;
      thread.postMessage({ type: "ask", slot, id, question });
      return new Promise<A>((resolve, reject) => {
        pending.set(id, { slot, resolve: resolve as (answer: unknown) => void, reject });
      }).finally(() => pending.delete(id));
    },
    /** Pauses every training slot because the tab was hidden. */
    hidden() {
      for (const [slot, s] of states) {
        if (s.status !== "training" && s.status !== "starting") continue;
        thread?.postMessage({ type: "pause", slot });
        set(slot, { message: HIDDEN_MESSAGE });
      }
    },
    /** Stops the worker for good. */
    terminate() {
      rejectAll(undefined, "Cannot answer as the worker was stopped");
      thread?.terminate();
      thread = undefined;
      states.clear();
      page = {};
    },
  };
  return client;
}

/** The page's client (the page has one demo worker). */
let shared: DemoClient | undefined;

/**
 * The page's client, created on first use: `?backend=` is read from the page's URL, and runs
 * pause when the tab is hidden. An island joins a slot with `subscribe` and leaves with its
 * unsubscribe (the last island of a slot frees its model, the last of the page stops the worker).
 *
 * @param workerUrl The worker bundle's URL.
 * @param wasmPaths Folder URL of tfjs's `.wasm` files.
 * @returns The client.
 */
export function pageClient(workerUrl: string, wasmPaths?: string): DemoClient {
  if (shared) return shared;
  const b = new URLSearchParams(location.search).get("backend");
  const backend = b === "webgl" || b === "wasm" || b === "cpu" ? b : "auto";
  // The page's first WebGL context starts Chromium's GPU process: 100 ms and more of main
  // thread on a busy machine. Probed when the page is idle after hydration, not when the
  // reader presses Train (the charts, next to it, are made at the same moment).
  let webgl: boolean | undefined;
  const probe = () => webgl ??= probePageWebgl();
  if ("requestIdleCallback" in globalThis) requestIdleCallback(probe, { timeout: 3000 });
  const worker = () => new Worker(workerUrl, { type: "module" }) as unknown as WorkerLike;
  const client = shared = createDemoClient(worker, wasmPaths, backend, probe);
  document.addEventListener("visibilitychange", () => document.hidden && client.hidden());
  return client;
}

/**
 * Whether the page can create a WebGL2 context (about 16 ms with SwiftShader; the page's client
 * asks once, when the page is idle). False where WebGL is disabled, e.g. Chromium's
 * `--disable-webgl`, which does not reach OffscreenCanvas in workers.
 *
 * @returns True when a context could be created.
 */
export function probePageWebgl(): boolean {
  if (typeof document === "undefined") return false;
  try {
    const gl = document.createElement("canvas").getContext("webgl2");
    gl?.getExtension("WEBGL_lose_context")?.loseContext();
    return gl !== null;
  } catch {
    return false;
  }
}
