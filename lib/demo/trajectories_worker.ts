/**
 * The worker of chapter 2's sampling demos (bundled as the `trajectories-worker` entry). It alone
 * imports tfjs and `engine/`; one worker per page trains one model that ReverseTrajectories and
 * MultiplyDistributions share. Messages: `trajectories_protocol.ts`; the loop:
 * `trajectories_session.ts`.
 *
 * @module
 */
import { startBackend } from "./tf_backend.ts";
import { createTrajectoryModel, isDivergence, numTensors } from "./trajectories_run.ts";
import { createTrajectorySession } from "./trajectories_session.ts";
import {
  type FromTrajectoriesWorker,
  type ToTrajectoriesWorker,
  trajectoryTransferables,
} from "./trajectories_protocol.ts";
import { createYieldToEvents } from "./yield_to_events.ts";

/** The worker's global scope, typed without the webworker lib (which clashes with "dom"). */
const scope = self as unknown as {
  postMessage(message: FromTrajectoriesWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToTrajectoriesWorker>) => void) | null;
};

const yieldToEvents = createYieldToEvents();

const session = createTrajectorySession(
  {
    initBackend: startBackend,
    numTensors,
    createModel: (dataset, totalSteps) => createTrajectoryModel(dataset, { totalSteps }),
    isDivergence,
  },
  (report) => scope.postMessage(report, trajectoryTransferables(report)),
  { yieldToEvents },
);

scope.onmessage = (event) => {
  session.handle(event.data);
};
