/**
 * The benchmark's Web Worker (bundled by `bench/browser.ts`): starts the backend it is asked for,
 * then runs the jobs of `bench/throughput.ts` one message at a time, as the demo's training worker
 * would run the engine.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../engine/backend.ts";
import { type Job, runJob } from "../jobs.ts";

const scope = self as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
};

scope.onmessage = async (event: MessageEvent) => {
  const { id, backend, wasmPaths, job } = event.data as {
    id: number;
    backend?: "webgl" | "wasm" | "cpu";
    wasmPaths?: string;
    job?: Job;
  };
  try {
    if (backend) {
      const info = await initBackend([backend], { wasmPaths });
      scope.postMessage({ id, result: { ...info, tfBackend: tf.getBackend() } });
      return;
    }
    scope.postMessage({ id, result: await runJob(job!) });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
