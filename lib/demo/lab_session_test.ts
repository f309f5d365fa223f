import { createLabSession, type LabEngine, type LabRun } from "./lab_session.ts";
import type { FromLab, LabView, ToLab } from "./lab_protocol.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

class Divergence extends Error {}

/** A fake run that counts what the session asks of it; tensors are a plain counter. */
function fakeEngine(opts: { budget?: number; divergeAt?: number } = {}) {
  const calls = { trained: 0, renders: [] as { view: LabView; full: boolean }[], disposed: 0 };
  let tensors = 3;
  const engine: LabEngine = {
    initBackend: () => Promise.resolve({ backend: "cpu", reason: "fake" }),
    numTensors: () => tensors,
    isDivergence: (e) => e instanceof Divergence,
    createRun(): Promise<LabRun> {
      tensors += 10;
      return Promise.resolve({
        budget: opts.budget ?? 40,
        async train(steps: number) {
          await new Promise((r) => setTimeout(r, 1));
          calls.trained += steps;
          if (opts.divergeAt !== undefined && calls.trained >= opts.divergeAt) {
            throw new Divergence("Cannot continue training as the loss is not finite");
          }
          return [1 / calls.trained, 2 / calls.trained, 3 / calls.trained];
        },
        render(view: LabView, full: boolean) {
          calls.renders.push({ view, full });
          return Promise.resolve([]);
        },
        dispose() {
          calls.disposed++;
          tensors -= 10;
        },
      });
    },
  };
  return { engine, calls };
}

const START: ToLab = {
  type: "start",
  demo: "parameterisations",
  seed: 1,
  view: { kind: "tweedie", t: 5 },
  backend: "cpu",
  wasmPaths: "/",
  pageWebgl: false,
};

Deno.test("a run trains to its budget, reports progress per chunk, and ends with a full render", async () => {
  const { engine, calls } = fakeEngine({ budget: 40 });
  const reports: FromLab[] = [];
  const session = createLabSession(engine, (r) => reports.push(r), { chunkMs: 1 });
  await session.handle(START);
  await session.idle();
  assert(calls.trained === 40, `trained ${calls.trained} steps, expected the budget 40`);
  const progress = reports.filter((r) => r.type === "progress");
  assert(progress.length >= 2, "several chunks");
  const last = reports.at(-1);
  assert(last?.type === "stopped" && last.reason === "budget" && last.step === 40, "stopped");
  assert(calls.renders.at(-1)?.full === true, "the final picture is the full one");
  assert(reports[0].type === "backend" && reports[0].baselineTensors === 3, "backend first");
});

Deno.test("pause stops between chunks; a view change while paused renders at once; resume goes on", async () => {
  const { engine, calls } = fakeEngine({ budget: 10_000 });
  const reports: FromLab[] = [];
  const session = createLabSession(engine, (r) => reports.push(r), { chunkMs: 1 });
  await session.handle(START);
  await new Promise((r) => setTimeout(r, 30));
  await session.handle({ type: "pause" });
  const stepAtPause = calls.trained;
  assert(stepAtPause > 0 && stepAtPause < 10_000, `paused at ${stepAtPause}`);
  assert(reports.at(-1)?.type === "stopped", "pause reports stopped");
  const before = calls.renders.length;
  await session.handle({ type: "view", view: { kind: "tweedie", t: 80 } });
  await session.idle();
  assert(calls.renders.length === before + 1, "one render for the view");
  const v = calls.renders.at(-1)!.view;
  assert(v.kind === "tweedie" && v.t === 80 && !calls.renders.at(-1)!.full, "the cheap render");
  assert(calls.trained === stepAtPause, "no training while paused");
  await session.handle({ type: "resume" });
  await new Promise((r) => setTimeout(r, 20));
  await session.handle({ type: "pause" });
  assert(calls.trained > stepAtPause, "resume trains again");
});

Deno.test("divergence stops with the reason; reset disposes and reports the baseline", async () => {
  const { engine, calls } = fakeEngine({ budget: 1000, divergeAt: 6 });
  const reports: FromLab[] = [];
  const session = createLabSession(engine, (r) => reports.push(r), { chunkMs: 1 });
  await session.handle(START);
  await session.idle();
  const stop = reports.find((r) => r.type === "stopped");
  assert(stop?.type === "stopped" && stop.reason === "diverged", "diverged");
  assert(/not finite/.test(stop.message), stop.message);
  await session.handle({ type: "reset" });
  const reset = reports.at(-1);
  assert(reset?.type === "reset", "reset report");
  assert(reset.numTensors === reset.baselineTensors, `${reset.numTensors} vs baseline`);
  assert(calls.disposed === 1, "the run was disposed once");
});

Deno.test("a second start disposes the first run", async () => {
  const { engine, calls } = fakeEngine({ budget: 8 });
  const session = createLabSession(engine, () => {}, { chunkMs: 1 });
  await session.handle(START);
  await session.handle({
    ...START,
    demo: "guidance",
    view: { kind: "guide", y: 1, gamma: 2, method: "cfg" },
  });
  await session.idle();
  assert(calls.disposed === 1, "the first run is freed before the second is built");
  const v = calls.renders.at(-1)!.view;
  assert(v.kind === "guide" && v.gamma === 2, "the second run renders its own view");
});
