import assert from "node:assert/strict";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { createSession, type Engine, type Run, type SessionOptions } from "./session.ts";

class FakeDivergence extends Error {}
class FakeContextLost extends Error {}

/**
 * A fake engine on a fake clock: each step costs 2 ms, a quick picture 10 ms, a full one 50 ms;
 * each run holds 20 tensors. `lose.at` makes the guard throw a lost context from that step on.
 */
function fakeEngine(
  opts: { divergeAt?: number; budget?: number; estimate?: (step: number) => number } = {},
) {
  const clock = { t: 0 };
  const state = {
    tensors: 3,
    runs: 0,
    extended: [] as number[],
    lost: false,
    disposed: false,
    asked: [] as unknown[],
  };
  const build = (params: unknown, init: { model?: string }): Promise<Run> => {
    state.runs++;
    state.tensors += 20; // weights, Adam moments, EMA copy
    let trained = 0;
    return Promise.resolve({
      budget: opts.budget ?? 200,
      async train(n: number) {
        if (state.disposed) throw new Error("Cannot train as the trainer is disposed");
        await new Promise((r) => setTimeout(r, 0));
        for (let i = 0; i < n; i++) {
          trained++;
          if (opts.divergeAt !== undefined && trained >= opts.divergeAt) {
            throw new FakeDivergence(`Training diverged at step ${trained}: loss is NaN`);
          }
        }
        clock.t += 2 * n;
        return [1 / trained];
      },
      render(full: boolean, step: number) {
        clock.t += full ? 50 : 10;
        const estimate = full ? NaN : opts.estimate?.(step) ?? NaN;
        return Promise.resolve([{ full, step, params, model: init.model, estimate }]);
      },
      async ask(question: unknown, step: number) {
        state.asked.push(question);
        if (question === "slow") await new Promise((r) => setTimeout(r, 30)); // a chunk queues
        if (question === "bad") return Promise.reject(new RangeError("Cannot answer bad"));
        return Promise.resolve({ question, step });
      },
      extend(total: number) {
        state.extended.push(total);
      },
      dispose() {
        state.tensors -= 20;
        state.disposed = true;
      },
    });
  };
  const engine: Engine = {
    initBackend: () =>
      new Promise((r) => setTimeout(() => r({ backend: "wasm", reason: "fake" }), 5)),
    numTensors: () => state.tensors,
    runs: { demo: build },
    guard: async (work) => {
      const value = await work();
      if (state.lost) throw new FakeContextLost("The WebGL context was lost");
      return value;
    },
    stopReasonOf: (e) =>
      e instanceof FakeDivergence ? "diverged" : e instanceof FakeContextLost ? "lost" : undefined,
  };
  const options: SessionOptions = {
    now: () => clock.t,
    cadence: { chunkMs: 20, previewEveryMs: 100, fullEveryMs: 300 },
    yieldToEvents: () => new Promise((r) => setTimeout(r, 0)),
  };
  return { engine, state, options };
}

const start = (slot = "a", extra: Partial<Extract<ToWorker, { type: "start" }>> = {}) => ({
  type: "start" as const,
  slot,
  run: "demo",
  params: { slot },
  backend: "auto" as const,
  wasmPaths: "/vendor/tfjs/",
  pageWebgl: true,
  ...extra,
});

type Stopped = Extract<FromWorker, { type: "stopped" }>;
const stops = (reports: FromWorker[]) => reports.filter((r) => r.type === "stopped") as Stopped[];

Deno.test("a run trains every step up to its budget, draws on the cadence, and stops scored", async () => {
  const { engine, options } = fakeEngine();
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), options);
  await session.handle(start());
  await session.idle();
  assert.equal(reports[0].type, "backend");
  const progress = reports.filter((r) => r.type === "progress");
  const steps = progress.map((r) => (r as { step: number }).step);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b), "steps only grow");
  assert.equal(steps.at(-1), 200);
  const views = progress.flatMap((r) => (r as { views: { full: boolean }[] }).views);
  assert.ok(views.some((v) => !v.full) && views.some((v) => v.full), "quick and scored pictures");
  const [stop] = stops(reports);
  assert.equal(stop.reason, "budget");
  assert.equal(stop.step, 200);
  assert.equal((stop.views[0] as { full: boolean }).full, true, "the final picture is scored");
});

Deno.test("pause keeps the model; resume goes on; Train more extends the schedule; reset frees it", async () => {
  const { engine, state, options } = fakeEngine({ budget: 40 });
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), options);
  await session.handle(start());
  await new Promise((r) => setTimeout(r, 5));
  await session.handle({ type: "pause", slot: "a" });
  await session.idle();
  const paused = stops(reports).at(-1)!;
  assert.equal(paused.reason, "paused");
  assert.ok(paused.step > 0 && paused.step < 40, `paused at ${paused.step}`);
  assert.equal(paused.stepsPerSecond, 0, "no speed while paused");
  await session.handle({ type: "resume", slot: "a" });
  await session.idle();
  assert.equal(stops(reports).at(-1)!.reason, "budget");
  const firstProgressAfter = reports.find((r) => r.type === "progress" && r.step > paused.step) as {
    step: number;
  };
  assert.ok(firstProgressAfter.step > paused.step, "resumed from the paused step");
  await session.handle({ type: "resume", slot: "a" }); // at the budget without `more`: nothing
  await session.idle();
  assert.equal(stops(reports).length, 2);
  await session.handle({ type: "resume", slot: "a", more: true });
  await session.idle();
  const more = stops(reports).at(-1)!;
  assert.equal(more.step, 80);
  assert.equal(more.budget, 80);
  assert.deepEqual(state.extended, [80], "the schedule runs to 80 steps");
  assert.equal(state.runs, 1, "one model all along");
  await session.handle({ type: "reset", slot: "a" });
  const reset = reports.at(-1) as Extract<FromWorker, { type: "reset" }>;
  assert.equal(reset.type, "reset");
  const backend = reports.find((r) => r.type === "backend") as Extract<
    FromWorker,
    { type: "backend" }
  >;
  assert.equal(reset.numTensors, backend.baselineTensors);
});

Deno.test("a saved model loads at its step, answers, and trains on from there", async () => {
  const { engine, state, options } = fakeEngine({ budget: 50 });
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), options);
  await session.handle(start("a", { model: "{}", step: 30 }));
  const loaded = stops(reports).at(-1)!;
  assert.equal(loaded.reason, "loaded");
  assert.equal(loaded.step, 30);
  assert.match(loaded.message, /step 30; press Train to go on to step 50/);
  assert.equal((loaded.views[0] as { model: string }).model, "{}");
  await session.handle({ type: "ask", slot: "a", id: 7, question: "field" });
  assert.deepEqual(reports.at(-1), {
    type: "answer",
    slot: "a",
    id: 7,
    answer: { question: "field", step: 30 },
  });
  await session.handle({ type: "ask", slot: "a", id: 8, question: "bad" });
  assert.deepEqual(reports.at(-1), {
    type: "error",
    slot: "a",
    id: 8,
    message: "Cannot answer bad",
  });
  await session.handle({ type: "resume", slot: "a" });
  await session.idle();
  assert.equal(stops(reports).at(-1)!.step, 50);
  assert.deepEqual(state.extended, [], "20 steps fit the fresh schedule of 50");
});

Deno.test("a diverging run stops with the engine's message; unknown runs and questions without a model are refused", async () => {
  const { engine, options } = fakeEngine({ divergeAt: 7 });
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), options);
  await session.handle({ type: "ask", slot: "a", id: 1, question: "x" });
  assert.match((reports.at(-1) as { message: string }).message, /no model yet/);
  await session.handle({ ...start(), run: "nope" });
  assert.match((reports.at(-1) as { message: string }).message, /knows only: demo/);
  await session.handle(start());
  await session.idle();
  const stop = stops(reports).at(-1)!;
  assert.equal(stop.reason, "diverged");
  assert.match(stop.message, /diverged at step 7/);
});

Deno.test("a lost context stops every slot's run and frees them; a pause sent while starting is kept", async () => {
  const { engine, state, options } = fakeEngine({ budget: 10_000 });
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), options);
  session.handle(start("a"));
  session.handle({ type: "pause", slot: "a" }); // while the backend is still starting
  await session.idle();
  assert.equal(stops(reports).at(-1)!.reason, "paused");
  await session.handle(start("b"));
  await new Promise((r) => setTimeout(r, 5));
  state.lost = true;
  await session.idle();
  const lost = stops(reports).filter((s) => s.reason === "lost");
  assert.deepEqual(lost.map((s) => s.slot).sort(), ["a", "b"], "both runs stop");
  assert.ok(lost.every((s) => /context was lost/.test(s.message)));
  assert.equal(state.tensors, 3, "every run freed: back to the baseline");
});

Deno.test("a lost context seen by a question stops the run as lost, not as a failed chunk", async () => {
  const { engine, state, options } = fakeEngine({ budget: 10_000 });
  const reports: FromWorker[] = [];
  const guard = engine.guard;
  // Only the question's work sees the loss; the chunk queued behind it finds its run freed.
  engine.guard = async (work) => {
    const value = await guard(work);
    if (value && typeof value === "object" && "question" in value) {
      throw new FakeContextLost("The WebGL context was lost");
    }
    return value;
  };
  const session = createSession(engine, (r) => reports.push(r), options);
  await session.handle(start("a"));
  await new Promise((r) => setTimeout(r, 5));
  await session.handle({ type: "ask", slot: "a", id: 1, question: "slow" });
  await session.idle();
  const last = stops(reports).at(-1)!;
  assert.equal(last.reason, "lost");
  assert.ok(!reports.some((r) => r.type === "error" && r.id === undefined), "no engine failure");
  assert.equal(state.tensors, 3);
});

Deno.test("a quick picture whose estimate nears the threshold brings the next score forward", async () => {
  // The estimate falls below 1.5 x 2e-3 from step 100 on; the steady clock alone would score only
  // every 300 ms of the fake clock.
  const { engine, options } = fakeEngine({ budget: 400, estimate: (s) => (s >= 100 ? 1e-3 : 1) });
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), options);
  await session.handle(start());
  await session.idle();
  const views = reports.flatMap((r) =>
    r.type === "progress" ? (r.views as { full: boolean; step: number }[]) : []
  );
  const close = views.findIndex((v) => !v.full && v.step >= 100);
  assert.ok(
    close >= 0 && views[close + 1]?.full,
    `a score follows the close picture: ${JSON.stringify(views)}`,
  );
});

Deno.test("warm starts the backend before any run; the start after it does not start it again", async () => {
  const { engine, state, options } = fakeEngine({ budget: 20 });
  let inits = 0;
  const init = engine.initBackend;
  engine.initBackend = (request) => (inits++, init(request));
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), options);
  const { type: _, slot: __, run: ___, params: ____, ...tfjs } = start();
  await session.handle({ type: "warm", ...tfjs });
  assert.deepEqual(reports, [
    { type: "backend", backend: "wasm", reason: "fake", baselineTensors: 3 },
  ]);
  await session.handle(start());
  await session.idle();
  await session.handle({ type: "reset", slot: "a" });
  assert.equal(inits, 1, "the backend started once");
  assert.equal(reports.filter((r) => r.type === "backend").length, 1);
  assert.equal(stops(reports).at(-1)!.reason, "budget");
  assert.equal((reports.at(-1) as { numTensors: number }).numTensors, 3, "back to the baseline");
  assert.equal(state.tensors, 3);
});

Deno.test("a warm start that fails is quiet, and the start after it tries again and reports", async () => {
  const { engine, options } = fakeEngine({ budget: 20 });
  let inits = 0;
  const init = engine.initBackend;
  engine.initBackend = (request) =>
    ++inits === 1 ? Promise.reject(new Error("no wasm")) : init(request);
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), options);
  const { type: _, slot: __, run: ___, params: ____, ...tfjs } = start();
  await session.handle({ type: "warm", ...tfjs });
  assert.equal(reports.length, 0, "nobody to tell yet");
  await session.handle(start());
  await session.idle();
  assert.equal(inits, 2);
  assert.equal(reports[0].type, "backend");
  assert.equal(stops(reports).at(-1)!.reason, "budget");
});

Deno.test("a run whose engine fails stops with the reason and frees its model", async () => {
  const { engine, state, options } = fakeEngine();
  const build = engine.runs.demo;
  engine.runs = {
    demo: async (params, init) => ({
      ...await build(params, init),
      train: () => Promise.reject(new Error("out of memory")),
    }),
  };
  const reports: FromWorker[] = [];
  const session = createSession(engine, (r) => reports.push(r), options);
  await session.handle(start());
  await session.idle();
  const stop = stops(reports).at(-1)!;
  assert.equal(stop.reason, "error");
  assert.equal(stop.message, "Cannot train as the engine failed: out of memory");
  assert.equal(state.tensors, 3, "the run is freed");
});
