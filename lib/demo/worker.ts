/**
 * The one demo worker (bundled as the `train-worker` entry; a page starts it once, through
 * `client.ts`, with `new Worker(url, { type: "module" })`). It alone imports tfjs and `engine/`, so
 * the page's own JavaScript stays small. Messages: `protocol.ts`; the loop: `session.ts`; the runs
 * it can build: `runs/mod.ts`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { DivergenceError } from "../../engine/train.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { RUNS } from "./runs/mod.ts";
import { createSession, type Engine } from "./session.ts";
import { guardWebglContext, startBackend, WebglContextLostError } from "./tf_backend.ts";
import { createYieldToEvents } from "./yield_to_events.ts";

/** The worker's global scope (typed as a Worker: the webworker lib clashes with "dom"). */
const scope = self as unknown as Worker;

/** The session's engine on tfjs: a lost WebGL context stops every run with a message. */
const engine: Engine = {
  initBackend: startBackend,
  numTensors: () => tf.memory().numTensors,
  runs: RUNS,
  guard: guardWebglContext,
  stopReasonOf: (error) =>
    error instanceof DivergenceError
      ? "diverged"
      : error instanceof WebglContextLostError
      ? "lost"
      : undefined,
};

const session = createSession(engine, (report: FromWorker) => scope.postMessage(report), {
  yieldToEvents: createYieldToEvents(),
});

scope.onmessage = (event: MessageEvent<ToWorker>) => session.handle(event.data);
