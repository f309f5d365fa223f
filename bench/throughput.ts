/**
 * Measurements that run on whatever tfjs backend is active, under Deno or in a browser worker:
 * the engine's training step, the tutorial-style step, a large matMul, and sampling 1,000 points.
 * Each returns the median of several timed runs after a warm-up.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createDenoiser, type DenoiserConfig, denoiserConfig } from "../engine/denoiser.ts";
import { createTrainer } from "../engine/train.ts";
import { linearSchedule } from "../engine/schedule.ts";
import { swissRoll } from "../engine/datasets.ts";
import { matMulInto } from "../engine/gemm.ts";
import { webglRenderer } from "../engine/backend.ts";
import { prefersFusedUpdate } from "../engine/renderer.ts";
import { createRng } from "../engine/rng.ts";
import { ddimSample, ddpmSample, epsModelFromDenoiser } from "../engine/samplers.ts";
import { gflops, matMulFlops, trainStepFlops } from "./flops.ts";
import { median } from "./table.ts";
import { createTutorialTrainer } from "./tutorial.ts";

/** The book's reference denoiser (docs/quality.md's reference recipe): eps, T = 100, width 128, 3 layers. */
export const DEFAULT_DENOISER: DenoiserConfig = denoiserConfig({
  parameterisation: "eps",
  T: 100,
  seed: 1,
});

/**
 * How long to measure: `warmup` steps (which also set the pace), then `runs` timed runs of as many
 * steps as fit in about `runMs` milliseconds (at least 1, at most 200).
 */
export interface Effort {
  runs: number;
  runMs: number;
  warmup: number;
}

/** A training measurement: milliseconds per step (median over runs) and what it means. */
export interface StepTiming {
  msPerStep: number;
  stepsPerSecond: number;
  gflops: number;
  /** Every run's ms per step, for the JSON. */
  samples: number[];
}

function pool(): Float32Array {
  return Float32Array.from(swissRoll(20_000, createRng(1))); // [n, 2]
}

/** Warms up and returns how many steps fill about `effort.runMs`. */
async function pace(effort: Effort, run: (steps: number) => Promise<void>): Promise<number> {
  const first = await timed(1, run); // first call: kernels compile, memory grows
  if (first > effort.runMs) return 1; // slow backend: one step per run, no more warm-up
  const warmup = Math.max(1, effort.warmup);
  const msPerStep = await timed(warmup, run);
  return Math.min(200, Math.max(1, Math.round(effort.runMs / msPerStep)));
}

/** Milliseconds per step of one run of `steps` steps. */
async function timed(steps: number, run: (steps: number) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run(steps);
  return (performance.now() - t0) / steps;
}

function timing(samples: number[], batchSize: number): StepTiming {
  const ms = median(samples);
  return {
    msPerStep: ms,
    stepsPerSecond: 1000 / ms,
    gflops: gflops(trainStepFlops(DEFAULT_DENOISER, batchSize), ms),
    samples,
  };
}

/** Engine and tutorial timed in alternation, with the per-run ratios. */
export interface TrainingComparison {
  engine: StepTiming;
  tutorial: StepTiming;
  /** Median over runs of tutorial ms per step / engine ms per step (> 1: the engine is faster). */
  speedup: number;
  /**
   * With `ceilingN`: per run, the engine's GFLOP/s over a large matMul's GFLOP/s timed right after
   * it (median over runs), so that a change in machine speed during the bench hits both alike.
   */
  ceilingShare?: number;
  /** The large matMul's GFLOP/s of each run (with `ceilingN`). */
  ceilingSamples?: number[];
  /** How the engine ran Adam: as one loop over flat arrays ("fused") or as tensor kernels. */
  update: "fused" | "tensors";
  /** The WebGL renderer, when the backend is WebGL. */
  renderer?: string;
}

/**
 * The engine's training step (`createTrainer().trainSteps`, losses read once per call, as the
 * demo's worker calls it) against the tutorial-style step (`bench/tutorial.ts`: tf.layers +
 * optimizer.minimize, loss read every step), on the default denoiser and the active backend.
 * Timed runs alternate (engine, tutorial, engine, ...) so that a change in machine load hits both.
 *
 * @param batchSize Examples per step.
 * @param effort Runs, milliseconds per run, warm-up steps.
 * @param fusedUpdate Force the trainer's CPU-side update on or off (default: the trainer's choice).
 * @param ceilingN Also time an [n, n] x [n, n] matMul after each engine run (see `ceilingShare`).
 * @returns Both timings and the median speed-up.
 */
export async function compareTraining(
  batchSize: number,
  effort: Effort,
  fusedUpdate?: boolean,
  ceilingN?: number,
): Promise<TrainingComparison> {
  const before = tf.memory().numTensors;
  const data = pool();
  const schedule = linearSchedule(DEFAULT_DENOISER.T);
  const denoiser = createDenoiser(DEFAULT_DENOISER);
  const trainer = createTrainer(denoiser, schedule, { seed: 1, batchSize, fusedUpdate });
  const tutorial = createTutorialTrainer(DEFAULT_DENOISER, schedule, data, batchSize);
  const runEngine = async (steps: number) => {
    await trainer.trainSteps(data, steps);
  };
  const runTutorial = async (steps: number) => {
    for (let i = 0; i < steps; i++) await tutorial.step();
  };
  try {
    const engineSteps = await pace(effort, runEngine);
    const tutorialSteps = await pace(effort, runTutorial);
    const e: number[] = [], t: number[] = [], ratios: number[] = [];
    const ceilings: number[] = [], shares: number[] = [];
    const flops = trainStepFlops(DEFAULT_DENOISER, batchSize);
    for (let r = 0; r < effort.runs; r++) {
      e.push(await timed(engineSteps, runEngine));
      if (ceilingN) {
        ceilings.push((await matMulCeiling(ceilingN, 1)).gflops);
        shares.push(gflops(flops, e[r]) / ceilings[r]);
      }
      t.push(await timed(tutorialSteps, runTutorial));
      ratios.push(t[r] / e[r]);
    }
    const renderer = webglRenderer();
    return {
      engine: timing(e, batchSize),
      tutorial: timing(t, batchSize),
      speedup: median(ratios),
      ...(ceilingN ? { ceilingShare: median(shares), ceilingSamples: ceilings } : {}),
      update: (fusedUpdate ?? prefersFusedUpdate(tf.getBackend(), renderer)) ? "fused" : "tensors",
      ...(renderer ? { renderer } : {}),
    };
  } finally {
    trainer.dispose();
    denoiser.dispose();
    tutorial.dispose();
    const leaked = tf.memory().numTensors - before;
    if (leaked !== 0) {
      // deno-lint-ignore no-unsafe-finally
      throw new Error(`Cannot trust the training timings as ${leaked} tensors leaked`);
    }
  }
}

/**
 * The backend's ceiling: an [n, n] x [n, n] matMul, read back, GFLOP/s of the fastest of `runs`
 * (a ceiling is a best case; taking it, rather than the median, keeps the training step's share
 * of it conservative on a noisy machine).
 *
 * @param n Matrix size.
 * @param runs Timed repetitions (after one warm-up).
 * @returns GFLOP/s and the ms of each run.
 */
export async function matMulCeiling(
  n: number,
  runs: number,
): Promise<{ n: number; gflops: number; samples: number[] }> {
  const rng = createRng(2);
  const values = Float32Array.from({ length: n * n }, () => rng.normal());
  const a = tf.tensor2d(values, [n, n]); // [n, n]
  const b = tf.tensor2d(values.reverse(), [n, n]); // [n, n]
  const samples: number[] = [];
  try {
    for (let r = 0; r <= runs; r++) {
      const t0 = performance.now();
      const c = tf.matMul(a, b); // [n, n]
      await c.data();
      c.dispose();
      if (r > 0) samples.push(performance.now() - t0); // run 0 warms up (shader compile, pages)
    }
  } finally {
    a.dispose();
    b.dispose();
  }
  return { n, gflops: gflops(matMulFlops(n, n, n), Math.min(...samples)), samples };
}

/**
 * The ceiling of the engine's own TypeScript matrix product (`engine/gemm.ts`, which the trainer
 * uses on the tfjs cpu backend): an [n, n] x [n, n] product, GFLOP/s of the fastest of `runs`.
 *
 * @param n Matrix size.
 * @param runs Timed repetitions (after one warm-up).
 * @returns GFLOP/s and the ms of each run.
 */
export function gemmCeiling(
  n: number,
  runs: number,
): { n: number; gflops: number; samples: number[] } {
  const rng = createRng(2);
  const a = Float32Array.from({ length: n * n }, () => rng.normal()); // [n, n]
  const b = a.slice().reverse(); // [n, n]
  const out = new Float32Array(n * n); // [n, n]
  const samples: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    matMulInto(a, b, out, n, n, n);
    if (r > 0) samples.push(performance.now() - t0);
  }
  return { n, gflops: gflops(matMulFlops(n, n, n), Math.min(...samples)), samples };
}

/** Which sampler to time. */
export type SamplerJob = { sampler: "ddpm"; steps: 100 } | { sampler: "ddim"; steps: number };

/**
 * Sampling `n` points from the (untrained) default denoiser; the cost does not depend on the
 * weights.
 *
 * @param job DDPM (100 steps) or DDIM with a number of steps.
 * @param n Number of points (1,000).
 * @param runs Timed repetitions.
 * @param warmup Whether to run once untimed first (kernels compile; shared by the samplers).
 * @returns Median seconds and each run's seconds.
 */
export async function sampling(
  job: SamplerJob,
  n: number,
  runs: number,
  warmup: boolean,
): Promise<{ seconds: number; samples: number[] }> {
  const schedule = linearSchedule(DEFAULT_DENOISER.T);
  const denoiser = createDenoiser(DEFAULT_DENOISER);
  const model = epsModelFromDenoiser(denoiser, schedule);
  const samples: number[] = [];
  try {
    for (let r = warmup ? 0 : 1; r <= runs; r++) {
      const t0 = performance.now();
      if (job.sampler === "ddpm") await ddpmSample({ model, schedule, n, seed: r });
      else await ddimSample({ model, schedule, n, seed: r, steps: job.steps });
      if (r > 0) samples.push((performance.now() - t0) / 1000);
    }
  } finally {
    denoiser.dispose();
  }
  return { seconds: median(samples), samples };
}
