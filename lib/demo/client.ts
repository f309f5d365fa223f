/**
 * The main-thread side of the training worker: starts the worker lazily (so tfjs loads only when a
 * reader presses Train), sends typed commands, and hands typed reports to one listener.
 *
 * @module
 */
import type { TrainConfig } from "./config.ts";
import type { BackendPreference, FromWorker, ToWorker } from "./protocol.ts";
import type { SavedRun } from "./saved_run.ts";
import { browserSitePath } from "../site/browser_path.ts";
import { lazyWorker, type TypedWorker } from "./lazy_worker.ts";

/** The part of `Worker` the client uses (a fake one in tests). */
export type WorkerLike = TypedWorker<ToWorker, FromWorker>;

/** Commands the island can give. */
export interface TrainClient {
  /**
   * Builds a fresh model and trains it (starting the worker on first use); `points` are the drawn
   * points of the `drawn` data set.
   */
  start(
    config: TrainConfig,
    backend?: BackendPreference,
    points?: number[],
    opts?: { samples?: boolean; elbo?: boolean },
  ): void;
  /** Rebuilds a saved model without training (see `saved_run.ts`). */
  load(run: SavedRun, backend?: BackendPreference): void;
  /** Asks for the model as JSON text (answered by a `model` report). */
  save(): void;
  /** Sets the score field's time step (answered by a `field` report for mixture data). */
  field(t: number): void;
  resume(): void;
  pause(): void;
  /** Changes only the sampler settings of the current run. */
  sampler(config: TrainConfig): void;
  /** Disposes the model; the worker answers with a `reset` report. */
  reset(): void;
  /** Stops the worker thread for good (on unmount). */
  terminate(): void;
  /** Whether the worker thread has been started. */
  readonly started: boolean;
}

/**
 * Creates a client.
 *
 * @param makeWorker Starts the worker (`() => new Worker(url, { type: "module" })` in the page).
 * @param listener Receives every report, and an `error` report if the worker fails to load.
 * @param wasmPaths Where tfjs's `.wasm` files are served (a folder URL ending in `/`).
 * @param probe Whether the page has WebGL; left out, it is probed on the first start.
 * @returns The client; nothing starts until the first command.
 * @example
 * ```ts
 * import { createTrainClient } from "./client.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const sent: unknown[] = [];
 * const fake = { postMessage: (m: unknown) => sent.push(m), terminate() {}, onmessage: null, onerror: null };
 * const client = createTrainClient(() => fake, () => {}, "/vendor/tfjs/", false);
 * client.pause(); // no worker yet: nothing to pause, nothing sent
 * client.start(DEFAULT_CONFIG);
 * if (sent.length !== 1 || (sent[0] as { type: string }).type !== "start") throw new Error("start");
 * ```
 */
export function createTrainClient(
  makeWorker: () => WorkerLike,
  listener: (report: FromWorker) => void,
  wasmPaths = browserSitePath("/vendor/tfjs/"), // the page's base path in front
  probe?: boolean,
): TrainClient {
  let pageWebgl: boolean | undefined = probe;
  const worker = lazyWorker<ToWorker, FromWorker>(makeWorker, listener, (reason) =>
    listener({
      type: "error",
      message: `Cannot run the training worker as it failed: ${reason}`,
    }));
  const send = (message: ToWorker) => worker.send(message);
  return {
    start(config, backend = "auto", points, opts = {}) {
      pageWebgl ??= probePageWebgl();
      worker.post({
        type: "start",
        config,
        backend,
        wasmPaths,
        pageWebgl,
        ...(points ? { points } : {}),
        ...(opts.samples === false ? { samples: false } : {}),
        ...(opts.elbo !== undefined ? { elbo: opts.elbo } : {}),
      });
    },
    load(run, backend = "auto") {
      pageWebgl ??= probePageWebgl();
      const { config, model, step, points } = run;
      worker.post({
        type: "load",
        config,
        model,
        step,
        points,
        backend,
        wasmPaths,
        pageWebgl,
      });
    },
    save: () => send({ type: "save" }),
    field: (t) => send({ type: "field", t }),
    resume: () => send({ type: "resume" }),
    pause: () => send({ type: "pause" }),
    sampler: (config) => send({ type: "sampler", config }),
    reset: () => send({ type: "reset" }),
    terminate: () => worker.terminate(),
    get started() {
      return worker.started;
    },
  };
}

/**
 * Whether the page can create a WebGL2 context (about 16 ms with SwiftShader; done once, on the
 * first Train). False where WebGL is disabled, e.g. Chromium's `--disable-webgl`, which does not
 * reach OffscreenCanvas in workers.
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
