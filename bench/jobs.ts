/**
 * The throughput jobs as plain data, so that the same list runs under Deno and, posted as a
 * message, in the browser worker.
 *
 * @module
 */
import {
  compareTraining,
  type Effort,
  gemmCeiling,
  matMulCeiling,
  type SamplerJob,
  sampling,
} from "./throughput.ts";

/** One measurement to run on the active backend. */
export type Job =
  | {
    kind: "train";
    batchSize: number;
    effort: Effort;
    fusedUpdate?: boolean;
    ceilingN?: number;
  }
  | { kind: "matmul"; n: number; runs: number }
  | { kind: "gemm"; n: number; runs: number }
  | { kind: "sample"; job: SamplerJob; n: number; runs: number; warmup: boolean };

/**
 * Runs one job on the active tfjs backend.
 *
 * @param job What to measure.
 * @returns The measurement (see `bench/throughput.ts`).
 */
export function runJob(job: Job): Promise<unknown> {
  if (job.kind === "train") {
    return compareTraining(job.batchSize, job.effort, job.fusedUpdate, job.ceilingN);
  }
  if (job.kind === "matmul") return matMulCeiling(job.n, job.runs);
  if (job.kind === "gemm") return Promise.resolve(gemmCeiling(job.n, job.runs));
  return sampling(job.job, job.n, job.runs, job.warmup);
}
