import { createTrajectoryClient, type TrajectoryWorkerLike } from "./trajectories_client.ts";
import type { FromTrajectoriesWorker, ToTrajectoriesWorker } from "./trajectories_protocol.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function fakeWorker() {
  const sent: ToTrajectoriesWorker[] = [];
  const worker: TrajectoryWorkerLike = {
    postMessage: (m) => sent.push(m),
    terminate() {},
    onmessage: null,
    onerror: null,
  };
  const reply = (r: FromTrajectoriesWorker) =>
    worker.onmessage!({ data: r } as MessageEvent<FromTrajectoriesWorker>);
  return { worker, sent, reply };
}

const request = { noiseSeed: 1, runSeed: 1, eta: 0, ddimSteps: 5, n: 1, paths: 1 };

Deno.test("one model for every subscriber: train once, state shared, requests resolved by id", async () => {
  const { worker, sent, reply } = fakeWorker();
  const client = createTrajectoryClient(() => worker, "/v/", "wasm", false, 300);
  const seenA: string[] = [], seenB: string[] = [];
  client.subscribe((s) => seenA.push(s.phase));
  client.subscribe((s) => seenB.push(s.phase));
  let refused = "";
  await client.trajectories(request).catch((e) => refused = e.message);
  assert(/must be trained first/.test(refused), "no sampling before training");
  client.train("swissroll");
  client.train("swissroll");
  assert(sent.length === 1 && sent[0].type === "train" && sent[0].steps === 300, "one train");
  reply({ type: "progress", step: 10, total: 300, loss: 1, stepsPerSecond: 5 });
  reply({ type: "ready", step: 300, trainMs: 10, numTensors: 20 });
  reply({ type: "scored", mmd2: 0.002 });
  assert(seenA.join() === seenB.join() && seenA.includes("ready"), seenA.join());
  assert(client.state.mmd2 === 0.002, "the score arrives after ready");
  const answer = client.trajectories(request);
  const sentRequest = sent.at(-1)!;
  assert(sentRequest.type === "trajectories", "sent");
  const panel = {
    points: new Float32Array(2),
    paths: new Float32Array(2),
    pathCount: 1,
    pathLength: 1,
  };
  reply({
    type: "trajectories",
    id: sentRequest.id,
    result: { ddpm: panel, ddim: panel },
    ms: 3,
    numTensors: 20,
  });
  assert((await answer).ms === 3, "resolved");
});

Deno.test("a hidden tab pauses training and showing it resumes; reset rejects pending requests", async () => {
  const { worker, sent, reply } = fakeWorker();
  const client = createTrajectoryClient(() => worker, "/v/", "auto", false);
  client.train("swissroll");
  reply({ type: "progress", step: 1, total: 2000, loss: 1, stepsPerSecond: 5 });
  client.visibility(true);
  assert(sent.at(-1)?.type === "pause" && client.state.hiddenPause, "paused when hidden");
  client.visibility(false);
  assert(sent.at(-1)?.type === "resume" && client.state.phase === "training", "resumed");
  reply({ type: "ready", step: 2000, trainMs: 1, numTensors: 20 });
  const pending = client.trajectories(request);
  client.reset();
  reply({ type: "reset", numTensors: 3, baselineTensors: 3 });
  let message = "";
  await pending.catch((e) => message = e.message);
  const phase: string = client.state.phase;
  assert(/reset/.test(message) && phase === "idle", message);
});
