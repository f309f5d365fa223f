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
import { createYieldToEvents } from "./yield_to_events.ts";

/** The worker's global scope, typed without the webworker lib (which clashes with "dom"). */
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const yieldToEvents = createYieldToEvents();

const session = createSession(
  tfEngine,
  (report: FromWorker) => scope.postMessage(report, transferablesOf(report)),
  { yieldToEvents },
);

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  session.handle(event.data);
};
