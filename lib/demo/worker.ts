/**
 * The training worker (bundled as the `train-worker` entry; the page starts it with
 * `new Worker(url, { type: "module" })`). It is the only code that imports tfjs and `engine/`,
 * so the page's own JavaScript stays small. Messages: `protocol.ts`; the loop: `session.ts`.
 *
 * @module
 */
import { tfEngine } from "./engine_run.ts";
import { type FromWorker, type ToWorker, transferablesOf } from "./protocol.ts";
import { createSession } from "./session.ts";

/** The worker's global scope, typed without the webworker lib (which clashes with "dom"). */
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

// Yield with a MessageChannel rather than setTimeout(0): no 4 ms clamp between chunks, and queued
// messages (Pause, Reset) still run first.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToEvents = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });

const session = createSession(
  tfEngine,
  (report: FromWorker) => scope.postMessage(report, transferablesOf(report)),
  { yieldToEvents },
);

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  session.handle(event.data);
};
