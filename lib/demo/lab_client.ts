/**
 * The main-thread side of the lab worker: starts it lazily (tfjs loads only when a reader presses
 * Train), sends typed commands and hands typed reports to one listener. Shared by the
 * Parameterisations and Guidance islands.
 *
 * @module
 */
import { probePageWebgl } from "./client.ts";
import type { BackendPreference } from "./protocol.ts";
import type { FromLab, LabDemo, LabView, ToLab } from "./lab_protocol.ts";
import { browserSitePath } from "../site/browser_path.ts";
import { lazyWorker, type TypedWorker } from "./lazy_worker.ts";

/** The part of `Worker` the client uses (a fake one in tests). */
export type LabWorkerLike = TypedWorker<ToLab, FromLab>;

/** Commands an island can give. */
export interface LabClient {
  /** Builds fresh models for `demo` and trains them (starting the worker on first use). */
  start(demo: LabDemo, seed: number, view: LabView, backend?: BackendPreference): void;
  pause(): void;
  resume(): void;
  /** Asks for another view (sent only once the worker runs). */
  view(view: LabView): void;
  reset(): void;
  /** Stops the worker for good (on unmount). */
  terminate(): void;
  readonly started: boolean;
}

/**
 * Creates a client.
 *
 * @param makeWorker Starts the worker (`() => new Worker(url, { type: "module" })`).
 * @param listener Receives every report, and an `error` report if the worker fails to load.
 * @param wasmPaths Where tfjs's `.wasm` files are served.
 * @param probe Whether the page has WebGL; left out, it is probed on the first start.
 * @returns The client; nothing starts until `start`.
 * @example
 * ```ts
 * import { createLabClient } from "./lab_client.ts";
 * const sent: { type: string }[] = [];
 * const fake = { postMessage: (m: { type: string }) => sent.push(m), terminate() {}, onmessage: null, onerror: null };
 * const client = createLabClient(() => fake, () => {}, "/vendor/tfjs/", false);
 * client.view({ kind: "tweedie", t: 3 }); // no worker yet: nothing sent
 * client.start("parameterisations", 1, { kind: "tweedie", t: 3 });
 * if (sent.length !== 1 || sent[0].type !== "start") throw new Error("only the start is sent");
 * ```
 */
export function createLabClient(
  makeWorker: () => LabWorkerLike,
  listener: (report: FromLab) => void,
  wasmPaths = browserSitePath("/vendor/tfjs/"), // the page's base path in front
  probe?: boolean,
): LabClient {
  let pageWebgl: boolean | undefined = probe;
  const worker = lazyWorker<ToLab, FromLab>(
    makeWorker,
    listener,
    (reason) =>
      listener({ type: "error", message: `Cannot run the lab worker as it failed: ${reason}` }),
  );
  const send = (message: ToLab) => worker.send(message);
  return {
    start(demo, seed, view, backend = "auto") {
      pageWebgl ??= probePageWebgl();
      worker.post({ type: "start", demo, seed, view, backend, wasmPaths, pageWebgl });
    },
    pause: () => send({ type: "pause" }),
    resume: () => send({ type: "resume" }),
    view: (view) => send({ type: "view", view }),
    reset: () => send({ type: "reset" }),
    terminate: () => worker.terminate(),
    get started() {
      return worker.started;
    },
  };
}
