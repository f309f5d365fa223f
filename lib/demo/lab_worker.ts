/**
 * The lab worker (bundled as the `lab-worker` entry) behind the Parameterisations and Guidance
 * islands: the only code of those demos that imports tfjs, so the pages' own JavaScript stays
 * small. Messages: `lab_protocol.ts`; the loop: `lab_session.ts`; the models: `lab_runs.ts`.
 *
 * @module
 */
import { type FromLab, labTransferables, type ToLab } from "./lab_protocol.ts";
import { labEngine } from "./lab_runs.ts";
import { createLabSession } from "./lab_session.ts";

/** The worker's global scope, typed without the webworker lib (which clashes with "dom"). */
const scope = self as unknown as {
  postMessage(message: FromLab, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToLab>) => void) | null;
};

// Yield with a MessageChannel rather than setTimeout(0): no 4 ms clamp between chunks, and queued
// messages (Pause, Reset, a new view) still run first.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToEvents = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });

const session = createLabSession(
  labEngine,
  (report: FromLab) => scope.postMessage(report, labTransferables(report)),
  { yieldToEvents },
);

scope.onmessage = (event: MessageEvent<ToLab>) => {
  session.handle(event.data);
};
