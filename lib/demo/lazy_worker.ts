/**
 * A Web Worker started on first use, typed with its protocol: the plumbing every demo client
 * shares (the training, lab and trajectories clients), so that tfjs loads only when a reader
 * presses Train and a worker that fails to load is reported, not thrown.
 *
 * @module
 */

/** The part of `Worker` a client uses, typed with its messages (a fake one in tests). */
export interface TypedWorker<To, From> {
  postMessage(message: To): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<From>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

/** A worker that starts when first posted to. */
export interface LazyWorker<To> {
  /** Posts `message`, starting the worker first if needed. */
  post(message: To): void;
  /** Posts `message` only if the worker runs (a pause before any start means nothing). */
  send(message: To): void;
  /** Stops the worker; the next `post` starts a fresh one. */
  terminate(): void;
  /** Whether the worker runs. */
  readonly started: boolean;
}

/**
 * Wraps `makeWorker` so that the worker starts on the first `post`.
 *
 * @param makeWorker Starts the worker (`() => new Worker(url, { type: "module" })` in a page).
 * @param onReport Receives every message from the worker.
 * @param onFailure Receives the reason when the worker fails (a load error, an uncaught throw).
 * @returns The lazy worker.
 * @example
 * ```ts
 * import { lazyWorker } from "./lazy_worker.ts";
 * let made = 0;
 * const sent: string[] = [];
 * const w = lazyWorker<string, string>(() => {
 *   made++;
 *   return { postMessage: (m) => sent.push(m), terminate() {}, onmessage: null, onerror: null };
 * }, () => {}, () => {});
 * w.send("pause"); // not started: dropped
 * w.post("start");
 * if (made !== 1 || sent.join() !== "start" || !w.started) throw new Error("started on post");
 * ```
 */
export function lazyWorker<To, From>(
  makeWorker: () => TypedWorker<To, From>,
  onReport: (report: From) => void,
  onFailure: (reason: string) => void,
): LazyWorker<To> {
  let worker: TypedWorker<To, From> | undefined;
  return {
    post(message) {
      if (!worker) {
        const w = makeWorker();
        w.onmessage = (event) => onReport(event.data);
        w.onerror = (event) => {
          event.preventDefault?.();
          onFailure(event.message || "load error");
        };
        worker = w;
      }
      worker.postMessage(message);
    },
    send(message) {
      worker?.postMessage(message);
    },
    terminate() {
      worker?.terminate();
      worker = undefined;
    },
    get started() {
      return worker !== undefined;
    },
  };
}
