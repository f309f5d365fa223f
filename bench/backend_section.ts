/**
 * One backend's rows: training speed (engine vs tutorial at batch 256 and 2048, GFLOP/s, share
 * of the backend's own large-matMul GFLOP/s) and sampling time for 1,000 points. The jobs run
 * through `run`, under Deno or in the browser worker alike.
 *
 * @module
 */
import type { Job } from "./jobs.ts";
import type { Row } from "./table.ts";
import { median, meets } from "./table.ts";
import type { SamplerJob, TrainingComparison } from "./throughput.ts";

/** How much a backend section may do. */
export interface SectionOptions {
  /** Timed runs per figure (3). */
  runs: number;
  /** Milliseconds per timed training run (600). */
  runMs: number;
  /** Run every job even where it would take long (plain-JS CPU at batch 2048, DDPM on CPU). */
  full: boolean;
  /** Seconds one sampling figure may take in all; longer ones are extrapolated, not run (20). */
  samplingBudgetS: number;
}

/** Rows plus the raw results for the JSON. */
export interface SectionResult {
  rows: Row[];
  raw: Record<string, unknown>;
}

/** The sampling jobs, in the order they run (the cheapest first: it paces the others). */
export const SAMPLER_JOBS: readonly { label: string; job: SamplerJob }[] = [
  { label: "DDIM-10", job: { sampler: "ddim", steps: 10 } },
  { label: "DDIM-50", job: { sampler: "ddim", steps: 50 } },
  { label: "DDPM-100", job: { sampler: "ddpm", steps: 100 } },
];

/**
 * Measures one backend.
 *
 * @param section Row label, e.g. "deno/wasm" or "chromium/webgl".
 * @param backend The tfjs backend name.
 * @param run Runs a job on that backend.
 * @param opts Effort.
 * @returns Rows and raw results.
 */
export async function measureBackend(
  section: string,
  backend: string,
  run: <T>(job: Job) => Promise<T>,
  opts: SectionOptions,
): Promise<SectionResult> {
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  const slow = backend === "cpu";
  // Plain JS takes seconds at 1024; SwiftShader about 0.7 s, and at 512 its rate varies run to
  // run by a third (2.5 to 3.3 GFLOP/s measured), too little work to fill its threads.
  const n = backend === "cpu" ? 512 : 1024;
  const ceiling = await run<{ n: number; gflops: number; samples: number[] }>({
    kind: "matmul",
    n,
    runs: opts.runs,
  });
  raw.matmul = ceiling;
  rows.push({
    section,
    name: `matMul ${n}x${n} (ceiling)`,
    value: ceiling.gflops,
    unit: "GFLOP/s",
    note: `tf.matMul, fastest of ${opts.runs}`,
  });
  // On cpu the trainer computes with its own TypeScript loops (engine/gemm.ts), so their speed is
  // the ceiling that counts there: the share below is taken of the faster of the two.
  let top = ceiling.gflops;
  if (backend === "cpu") {
    const gemm = await run<{ n: number; gflops: number; samples: number[] }>({
      kind: "gemm",
      n,
      runs: opts.runs,
    });
    raw.gemm = gemm;
    top = Math.max(top, gemm.gflops);
    rows.push({
      section,
      name: `TS gemm ${n}x${n} (ceiling)`,
      value: gemm.gflops,
      unit: "GFLOP/s",
      note: `engine/gemm.ts, the engine's kernel on cpu; fastest of ${opts.runs}`,
    });
  }
  for (const batchSize of [256, 2048]) {
    if (slow && batchSize === 2048 && !opts.full) {
      rows.push({
        section,
        name: `train B=${batchSize}`,
        value: "skipped",
        unit: "",
        note: "plain-JS CPU takes seconds per step here; --full runs it",
      });
      continue;
    }
    const c = await run<TrainingComparison>({
      kind: "train",
      batchSize,
      effort: { runs: opts.runs, runMs: opts.runMs, warmup: 2 },
      // The share of the ceiling pairs each engine run with a matMul timed right after it; on
      // cpu the engine's own gemm is the ceiling (above), so the fastest-run figure serves.
      ...(backend === "cpu" ? {} : { ceilingN: n }),
    });
    raw[`train${batchSize}`] = c;
    const share = c.ceilingShare ?? c.engine.gflops / top;
    rows.push(
      {
        section,
        name: `engine steps/s B=${batchSize}`,
        value: c.engine.stepsPerSecond,
        unit: "steps/s",
        note: `${c.engine.msPerStep.toFixed(1)} ms/step, ${c.engine.gflops.toFixed(2)} GFLOP/s`,
      },
      {
        section,
        name: `tutorial steps/s B=${batchSize}`,
        value: c.tutorial.stepsPerSecond,
        unit: "steps/s",
        note: `${c.tutorial.msPerStep.toFixed(1)} ms/step, ${c.tutorial.gflops.toFixed(2)} GFLOP/s`,
      },
      {
        section,
        name: `engine / tutorial speed B=${batchSize}`,
        value: c.speedup,
        unit: "x",
        goal: ">= 2",
        ok: meets(c.speedup, ">= 2"),
        note: `median of ${opts.runs} alternating runs; engine update: ${c.update}` +
          (c.renderer ? ` (${c.renderer.match(/swiftshader|llvmpipe/i)?.[0] ?? "GPU"})` : ""),
      },
      {
        section,
        name: `train GFLOP/s / matMul B=${batchSize}`,
        value: share,
        unit: "",
        goal: batchSize === 2048 ? ">= 0.5" : undefined,
        ok: batchSize === 2048 ? meets(share, ">= 0.5") : undefined,
        note: c.ceilingShare === undefined
          ? `${c.engine.gflops.toFixed(2)} of ${top.toFixed(2)} GFLOP/s`
          : `median of ${opts.runs} runs, each against a ${n}x${n} matMul timed after it ` +
            `(${c.engine.gflops.toFixed(2)} of ${median(c.ceilingSamples!).toFixed(2)} GFLOP/s)`,
      },
    );
  }
  let secondsPerStep = NaN;
  for (const [i, { label, job }] of SAMPLER_JOBS.entries()) {
    const estimate = secondsPerStep * job.steps;
    const goal = backend === "wasm" && label === "DDIM-50" ? "<= 0.5" : undefined;
    if (!opts.full && estimate * opts.runs > opts.samplingBudgetS) {
      rows.push({
        section,
        name: `sample 1,000 ${label}`,
        value: `~${estimate.toFixed(1)} s (est.)`,
        unit: "s",
        goal,
        note: `not run: extrapolated from DDIM-10; --full runs it`,
      });
      continue;
    }
    const r = await run<{ seconds: number; samples: number[] }>({
      kind: "sample",
      job,
      n: 1000,
      runs: opts.runs,
      warmup: i === 0,
    });
    raw[`sample_${label}`] = r;
    if (i === 0) secondsPerStep = r.seconds / job.steps;
    rows.push({
      section,
      name: `sample 1,000 ${label}`,
      value: r.seconds,
      unit: "s",
      goal,
      ok: goal ? meets(r.seconds, goal) : undefined,
    });
  }
  return { rows, raw };
}
