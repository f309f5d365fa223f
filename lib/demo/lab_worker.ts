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
import { createYieldToEvents } from "./yield_to_events.ts";

/** The worker's global scope, typed without the webworker lib (which clashes with "dom"). */
const scope = self as unknown as {
  postMessage(message: FromLab, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToLab>) => void) | null;
};

const yieldToEvents = createYieldToEvents();

const session = createLabSession(
  labEngine,
  (report: FromLab) => scope.postMessage(report, labTransferables(report)),
  { yieldToEvents },
);

scope.onmessage = (event: MessageEvent<ToLab>) => {
  session.handle(event.data);
};
