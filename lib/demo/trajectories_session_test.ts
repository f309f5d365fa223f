import type { TrajectoryModel } from "./trajectories_run.ts";
import { createTrajectorySession, type TrajectoryEngine } from "./trajectories_session.ts";
import type { FromTrajectoriesWorker, TrajectoriesRequest } from "./trajectories_protocol.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** A fake engine: counts steps and live "tensors" (one per model). */
function fakeEngine(opts: { failAt?: number } = {}) {
  let tensors = 0;
  const models: { steps: number; disposed: boolean }[] = [];
  const engine: TrajectoryEngine = {
    initBackend: () => Promise.resolve({ backend: "cpu", reason: "test" }),
    numTensors: () => tensors,
    isDivergence: (e) => e instanceof Error && e.message === "diverged",
    createModel(_dataset, _total): TrajectoryModel {
      const record = { steps: 0, disposed: false };
      models.push(record);
      tensors++;
      const panel = {
        points: new Float32Array(2),
        paths: new Float32Array(2),
        pathCount: 1,
        pathLength: 1,
      };
      return {
        train(steps) {
          record.steps += steps;
          if (opts.failAt !== undefined && record.steps >= opts.failAt) {
            return Promise.reject(new Error("diverged"));
          }
          return Promise.resolve(1 / record.steps);
        },
        score: () => Promise.resolve(0.001),
        trajectories: (_r: TrajectoriesRequest) => Promise.resolve({ ddpm: panel, ddim: panel }),
        multiply: () =>
          Promise.resolve({
            plain: new Float32Array(2),
            multiplied: panel,
            plainShare: 0.1,
            multipliedShare: 0.9,
          }),
        dispose() {
          record.disposed = true;
          tensors--;
        },
      };
    },
  };
  return { engine, models };
}

const train = (steps: number) =>
  ({
    type: "train",
    dataset: "swissroll",
    steps,
    backend: "auto",
    wasmPaths: "/",
    pageWebgl: false,
  }) as const;

const fastTiming = { chunkMs: 1, yieldToEvents: () => Promise.resolve() };

Deno.test("trains to the step count, then is ready, then scored; requests are answered by id", async () => {
  const { engine, models } = fakeEngine();
  const reports: FromTrajectoriesWorker[] = [];
  const session = createTrajectorySession(engine, (r) => reports.push(r), fastTiming);
  await session.handle({
    type: "trajectories",
    id: 1,
    request: { noiseSeed: 1, runSeed: 1, eta: 0, ddimSteps: 5, n: 1, paths: 1 },
  });
  const early = reports.at(-1)!;
  assert(early.type === "error" && early.id === 1, "a request before training is refused");
  await session.handle(train(40));
  await session.idle();
  const types = reports.map((r) => r.type);
  assert(types[1] === "backend", "the backend comes first");
  assert(types.at(-2) === "ready" && types.at(-1) === "scored", types.join());
  assert(models[0].steps === 40, `exactly the asked steps: ${models[0].steps}`);
  const last = reports.filter((r) => r.type === "progress").at(-1)!;
  assert(last.type === "progress" && last.step === 40 && last.total === 40, "progress to 40");
  await session.handle({
    type: "multiply",
    id: 7,
    request: { region: { centres: [0, 0], radius: 1 }, lambda: 1, n: 1, seed: 1, paths: 1 },
  });
  const answer = reports.at(-1)!;
  assert(answer.type === "multiply" && answer.id === 7, "answered with its id");
  // A second train for the same data set does not retrain: it reports ready again.
  await session.handle(train(40));
  assert(models.length === 1 && reports.at(-2)?.type === "ready", "no second model");
});

Deno.test("pause stops between chunks and resume goes on; reset frees the model", async () => {
  const { engine, models } = fakeEngine();
  const reports: FromTrajectoriesWorker[] = [];
  let chunks = 0;
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => release = r);
  const session = createTrajectorySession(engine, (r) => reports.push(r), {
    chunkMs: 1,
    // Hold the loop after the second chunk until the test has sent Pause.
    yieldToEvents: () => ++chunks === 2 ? gate : Promise.resolve(),
  });
  await session.handle(train(1000));
  const paused = session.handle({ type: "pause" });
  release();
  await paused;
  const stoppedAt = models[0].steps;
  assert(stoppedAt < 1000, `paused before the end: ${stoppedAt}`);
  assert(reports.at(-1)?.type === "paused", "a paused report");
  await session.handle({ type: "resume" });
  await session.idle();
  assert(models[0].steps === 1000 && reports.at(-1)?.type === "scored", "resumed to the end");
  await session.handle({ type: "reset" });
  const reset = reports.at(-1)!;
  assert(reset.type === "reset" && reset.numTensors === 0 && models[0].disposed, "freed");
});

Deno.test("a Pause sent while the backend is starting stops the run that Train then starts", async () => {
  const { engine, models } = fakeEngine();
  let backendUp: () => void = () => {};
  let asked: () => void = () => {};
  const backendAsked = new Promise<void>((resolve) => asked = resolve);
  const slow: TrajectoryEngine = {
    ...engine,
    initBackend: () => {
      asked();
      return new Promise((resolve) => backendUp = () => resolve({ backend: "cpu", reason: "t" }));
    },
  };
  const reports: FromTrajectoriesWorker[] = [];
  const session = createTrajectorySession(slow, (r) => reports.push(r), fastTiming);
  const started = session.handle(train(1000));
  const paused = session.handle({ type: "pause" });
  await backendAsked; // Train is waiting for the backend, Pause already sent
  backendUp();
  await started;
  await paused;
  await session.idle();
  assert(models[0].steps < 1000, `stopped early: ${models[0].steps}`);
  assert(reports.at(-1)?.type === "paused", reports.map((r) => r.type).join());
});

Deno.test("divergence is reported as an error with the engine's message", async () => {
  const { engine } = fakeEngine({ failAt: 8 });
  const reports: FromTrajectoriesWorker[] = [];
  const session = createTrajectorySession(engine, (r) => reports.push(r), fastTiming);
  await session.handle(train(100));
  await session.idle();
  const last = reports.at(-1)!;
  assert(last.type === "error" && /diverged/.test(last.message), JSON.stringify(last));
});
