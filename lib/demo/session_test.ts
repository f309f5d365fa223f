import assert from "node:assert/strict";
import { DEFAULT_CONFIG, type TrainConfig } from "./config.ts";
import type { FromWorker } from "./protocol.ts";
import { createSession, type Engine, type SessionTiming } from "./session.ts";

class FakeDivergence extends Error {}

/** A fake engine on a fake clock: each step costs 2 ms, each sample 50 ms; tensors are counted. */
function fakeEngine(
  opts: { divergeAt?: number; baseline?: number; estimate?: (step: number) => number } = {},
) {
  const clock = { t: 0 };
  const state = { tensors: opts.baseline ?? 3, runs: 0, samplers: [] as string[], inits: 0 };
  const engine: Engine = {
    initBackend() {
      state.inits++;
      return new Promise((r) => setTimeout(() => r({ backend: "wasm", reason: "fake" }), 5));
    },
    numTensors: () => state.tensors,
    isDivergence: (e) => e instanceof FakeDivergence,
    createRun(config: TrainConfig) {
      state.runs++;
      state.tensors += 20; // weights, Adam moments, EMA copy
      let step = 0;
      return Promise.resolve({
        async train(n: number) {
          await new Promise((r) => setTimeout(r, 0));
          for (let i = 0; i < n; i++) {
            step++;
            if (opts.divergeAt !== undefined && step >= opts.divergeAt) {
              throw new FakeDivergence(`Training diverged at step ${step}: loss is NaN`);
            }
          }
          clock.t += 2 * n;
          return 1 / step;
        },
        sample(c: TrainConfig, full: boolean) {
          state.samplers.push(c.sampler);
          clock.t += full ? 50 : 10;
          return Promise.resolve({
            points: new Float32Array([step, config.seed]),
            trajectories: new Float32Array(4),
            trajectoryCount: 1,
            trajectoryLength: 2,
            mmd2: full ? 1 / step : NaN,
            estimate: full ? undefined : opts.estimate?.(step),
          });
        },
        dispose() {
          state.tensors -= 20;
        },
      });
    },
  };
  const timing: Partial<SessionTiming> = {
    now: () => clock.t,
    chunkMs: 20,
    sampleEveryMs: 100,
    mmdEveryMs: 300,
    yieldToEvents: () => new Promise((r) => setTimeout(r, 0)),
  };
  return { engine, state, timing };
}

const start = (config: Partial<TrainConfig> = {}) => ({
  type: "start" as const,
  config: { ...DEFAULT_CONFIG, stepBudget: 200, ...config },
  backend: "auto" as const,
  wasmPaths: "/vendor/tfjs/",
  pageWebgl: true,
});

Deno.test("a run trains every step up to its budget, in order, and stops with final samples", async () => {
  const { engine, timing } = fakeEngine();
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), timing);
  await session.handle(start());
  await session.idle();
  assert.equal(reports[0].type, "backend");
  const progress = reports.filter((r) => r.type === "progress");
  // Steps increase chunk by chunk, and each loss is the last of its chunk.
  for (const p of progress) assert.ok(Math.abs(p.loss - 1 / p.step) < 1e-12, `loss at ${p.step}`);
  assert.equal(progress.at(-1)!.step, 200);
  // Chunks adapt to chunkMs = 20 at 2 ms a step: 4 steps first, then 10 a chunk.
  assert.deepEqual(progress.slice(0, 3).map((p) => p.step), [4, 14, 24]);
  // steps/s counts training time only: 2 ms a step on the fake clock.
  assert.ok(Math.abs(progress.at(-1)!.stepsPerSecond - 500) < 1e-9);
  assert.deepEqual(reports.at(-1), {
    type: "stopped",
    reason: "budget",
    step: 200,
    message: "Reached the budget of 200 steps.",
  });
  const samples = reports.filter((r) => r.type === "samples");
  const last = samples.at(-1)!;
  assert.equal(last.step, 200, "the last samples are of the final model");
  assert.equal(last.mmd2, 1 / 200, "and they are scored");
  // 400 ms of training: previews every 100 ms (each 10 ms), scored ones every 300 ms (50 ms,
  // so at least 333 ms apart under the 15% share).
  const scored = samples.filter((r) => Number.isFinite(r.mmd2)).length;
  const previews = samples.length - scored;
  assert.ok(scored >= 2 && scored <= 4, `scored ${scored} times`);
  assert.ok(previews >= 1 && previews <= 5, `previewed ${previews} times`);
});

Deno.test("a diverging run stops within the chunk and reports the engine's message", async () => {
  const { engine, timing } = fakeEngine({ divergeAt: 7 });
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), timing);
  await session.handle(start());
  await session.idle();
  const stopped = reports.filter((r) => r.type === "stopped");
  assert.equal(stopped.length, 1);
  assert.equal(stopped[0].type === "stopped" && stopped[0].reason, "diverged");
  assert.match(stopped[0].type === "stopped" ? stopped[0].message : "", /diverged at step 7/);
  const lastProgress = reports.filter((r) => r.type === "progress").at(-1);
  assert.ok(!lastProgress || lastProgress.step < 7, "no progress after divergence");
});

Deno.test("pause stops the loop, resume continues from the same step, reset frees every tensor", async () => {
  const { engine, state, timing } = fakeEngine({ baseline: 3 });
  const reports: FromWorker[] = [];
  let pauseSent = false;
  // deno-lint-ignore prefer-const
  let session: ReturnType<typeof createSession>;
  session = createSession(engine, (r) => {
    reports.push(r);
    if (r.type === "progress" && r.step >= 30 && !pauseSent) {
      pauseSent = true;
      session.handle({ type: "pause" });
    }
  }, timing);
  await session.handle(start());
  await session.idle();
  const paused = reports.at(-1)!;
  assert.equal(paused.type, "stopped");
  assert.equal(paused.type === "stopped" && paused.reason, "paused");
  const pausedAt = paused.type === "stopped" ? paused.step : -1;
  assert.ok(pausedAt >= 30 && pausedAt < 200);
  assert.equal(state.tensors, 23, "the model stays while paused");

  await session.handle({ type: "resume" });
  await session.idle();
  const progress = reports.filter((r) => r.type === "progress");
  const afterPause = progress.find((p) => p.step > pausedAt)!;
  // The fake's loss is 1 / (its own step count): equal only if no step was lost or repeated.
  assert.ok(Math.abs(afterPause.loss - 1 / afterPause.step) < 1e-12);
  const end = reports.at(-1)!;
  assert.equal(end.type === "stopped" && end.step, 200);

  await session.handle({ type: "reset" });
  assert.deepEqual(reports.at(-1), { type: "reset", numTensors: 3, baselineTensors: 3 });
  assert.equal(state.inits, 1, "the backend starts once");
});

Deno.test("a pause sent while the backend starts is not lost; a new start replaces the run", async () => {
  const { engine, state, timing } = fakeEngine();
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), timing);
  session.handle(start());
  session.handle({ type: "pause" });
  await session.idle();
  const steps = reports.filter((r) => r.type === "progress").length;
  assert.ok(steps <= 1, `training went on after pause: ${steps} chunks`);
  await session.handle(start({ seed: 5, stepBudget: 20 }));
  await session.idle();
  assert.equal(state.runs, 2);
  assert.equal(state.tensors, 3 + 20, "the first run was disposed");
  const last = reports.filter((r) => r.type === "samples").at(-1);
  assert.equal(last?.type === "samples" && last.points[1], 5, "samples come from the new run");
});

Deno.test("sampler changes apply to the next samples; a bad config is refused with a message", async () => {
  const { engine, state, timing } = fakeEngine();
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), timing);
  await session.handle(start({ stepBudget: 10 }));
  await session.idle();
  await session.handle({ type: "sampler", config: { ...DEFAULT_CONFIG, sampler: "ddim" } });
  assert.equal(state.samplers.at(-1), "ddim", "a paused run redraws with the new sampler");
  await session.handle(start({ T: 2 }));
  const error = reports.at(-1)!;
  assert.equal(error.type, "error");
  assert.match(error.type === "error" ? error.message : "", /Cannot use T as .*current value is 2/);
});

Deno.test("ELBO reports come during training and at the end; load, save and field answer", async () => {
  const { engine, timing } = fakeEngine();
  const inits: unknown[] = [];
  const withExtras: Engine = {
    ...engine,
    async createRun(config, init) {
      inits.push(init);
      const run = await engine.createRun(config);
      return {
        ...run,
        elbo: () =>
          Promise.resolve({
            prior: 0.01,
            denoising: new Float64Array(config.T + 1),
            reconstruction: -1,
            elbo: -1.01,
            logQ: -0.9,
            gap: 0.11,
            n: 4,
            variance: "beta",
          }),
        field: (t) =>
          Promise.resolve({ t, side: 1, learned: new Float32Array(2), exact: new Float32Array(2) }),
        save: () => Promise.resolve(`{"seed":${config.seed}}`),
      };
    },
  };
  const reports: FromWorker[] = [];
  const session = createSession(withExtras, (r) => reports.push(r), { ...timing, elboEveryMs: 50 });
  await session.handle({ ...start(), points: [1, 2], elbo: true });
  await session.idle();
  assert.deepEqual(inits[0], { points: [1, 2] });
  const elbos = reports.filter((r) => r.type === "elbo");
  assert.ok(elbos.length >= 2, `${elbos.length} ELBO reports`);
  assert.equal(elbos.at(-1)!.step, 200, "a final ELBO at the budget");
  assert.ok(reports.some((r) => r.type === "field"), "a field comes with the samples");
  await session.handle({ type: "save" });
  const saved = reports.at(-1)!;
  assert.ok(saved.type === "model" && saved.model === '{"seed":1}' && saved.step === 200);
  await session.handle({ type: "field", t: 7 });
  const field = reports.at(-1)!;
  assert.ok(field.type === "field" && field.t === 7, "a field at once when not training");
  reports.length = 0;
  const { backend: _b, wasmPaths, pageWebgl } = start();
  const config = { ...start().config, dataset: "mixture" as const };
  await session.handle({
    type: "load",
    config,
    model: "{}",
    step: 123,
    backend: "auto",
    wasmPaths,
    pageWebgl,
  });
  assert.deepEqual(inits.at(-1), { points: undefined, model: "{}" });
  assert.deepEqual(reports.map((r) => r.type), ["loaded", "samples", "field", "elbo"]);
  assert.ok(reports.every((r) => !("step" in r) || r.step === 123));
});

Deno.test("a start with samples: false trains to its budget without drawing a sample", async () => {
  const { engine, state, timing } = fakeEngine();
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), timing);
  await session.handle({ ...start(), samples: false });
  await session.idle();
  assert.equal(state.samplers.length, 0, "no sample drawn");
  assert.equal(reports.at(-1)!.type, "stopped");
});

Deno.test("the ELBO is reported for mixture data by default and not for the swiss roll", async () => {
  const { engine, timing } = fakeEngine();
  const counted: Engine = {
    ...engine,
    async createRun(config) {
      const run = await engine.createRun(config);
      return {
        ...run,
        elbo: () =>
          Promise.resolve({
            prior: 0,
            denoising: new Float64Array(config.T + 1),
            reconstruction: 0,
            elbo: 0,
            logQ: 0,
            gap: 0,
            n: 1,
            variance: "beta",
          }),
      };
    },
  };
  for (const [dataset, expected] of [["swissroll", false], ["mixture", true]] as const) {
    const reports: FromWorker[] = [];
    const session = createSession(counted, (r) => reports.push(r), timing);
    await session.handle(start({ dataset }));
    await session.idle();
    assert.equal(reports.some((r) => r.type === "elbo"), expected, dataset);
  }
});

Deno.test("a preview whose estimate nears the threshold brings the next full score forward", async () => {
  // The estimate falls below 1.5 x 2e-3 from step 100 on; the steady clock alone would score
  // at about 300 ms, 600 ms, ... of the fake clock (steps ~140, ~280).
  const { engine, timing } = fakeEngine({ estimate: (step) => (step >= 100 ? 1e-3 : 1) });
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), timing);
  await session.handle(start({ stepBudget: 400 }));
  await session.idle();
  const samples = reports.filter((r) => r.type === "samples");
  const firstClose = samples.find((r) => !Number.isFinite(r.mmd2) && r.step >= 100)!;
  const next = samples[samples.indexOf(firstClose) + 1];
  assert.ok(Number.isFinite(next.mmd2), "the sample after a close preview is scored");
  assert.ok(
    next.step - firstClose.step <= 20,
    `scored at ${next.step}, close at ${firstClose.step}`,
  );
  // The estimate is never posted: the page shows only the full metric.
  assert.ok(samples.every((r) => !("estimate" in r)));
});
