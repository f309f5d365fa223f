import assert from "node:assert/strict";
import { createDemoClient, type SlotState, type WorkerLike } from "./client.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";

function fakeWorker() {
  const sent: ToWorker[] = [];
  let terminated = 0;
  const w: WorkerLike = {
    postMessage: (m) => sent.push(m),
    terminate: () => terminated++,
    onmessage: null,
    onerror: null,
  };
  const report = (data: FromWorker) => w.onmessage!({ data } as MessageEvent<FromWorker>);
  return { w, sent, report, terminated: () => terminated };
}

const progress = {
  step: 5,
  budget: 10,
  losses: [0.5],
  stepsPerSecond: 9,
  elapsedMs: 1,
  numTensors: 20,
};

/** The worker's report that slot `a` stopped. */
const stopped = (reason: "paused" | "lost", message: string): FromWorker => ({
  type: "stopped",
  slot: "a",
  reason,
  message,
  views: [],
  ...progress,
});

Deno.test("the worker starts on the first start; slots keep their own state; questions resolve by id", async () => {
  const fake = fakeWorker();
  let made = 0;
  const client = createDemoClient(() => (made++, fake.w), "/v/", "wasm", () => true);
  client.pause("a");
  client.reset("a");
  assert.equal(made, 0);
  await assert.rejects(client.ask("a", "q"), /no model yet/);
  const seen: [SlotState, unknown[]][] = [];
  client.subscribe("a", (s, v) => seen.push([s, v]));
  client.start("a", "train", { n: 1 });
  assert.equal(made, 1);
  assert.deepEqual(fake.sent[0], {
    type: "start",
    slot: "a",
    run: "train",
    params: { n: 1 },
    backend: "wasm",
    wasmPaths: "/v/",
    pageWebgl: true,
  });
  fake.report({ type: "backend", backend: "wasm", reason: "asked for", baselineTensors: 3 });
  fake.report({ type: "progress", slot: "a", views: ["picture"], ...progress });
  assert.equal(client.state("a").status, "training");
  assert.equal(client.state("a").backend, "wasm — asked for");
  assert.deepEqual(seen.at(-1)![1], ["picture"]);
  assert.equal(client.state("b").status, "idle", "another slot is untouched");
  const answer = client.ask<number>("a", { kind: "x" });
  const ask = fake.sent.at(-1) as Extract<ToWorker, { type: "ask" }>;
  fake.report({ type: "answer", slot: "a", id: ask.id, answer: 42 });
  assert.equal(await answer, 42);
  fake.report(stopped("paused", "Paused."));
  assert.equal(client.state("a").status, "paused");
  const pending = client.ask("a", "q");
  fake.report({ type: "reset", slot: "a", numTensors: 3 });
  await assert.rejects(pending, /reset/);
  assert.equal(client.state("a").status, "idle");
  assert.equal(client.state("a").params, undefined, "no model after a reset");
  client.terminate();
  assert.equal(fake.terminated(), 1);
});

Deno.test("a hidden tab pauses training slots with a message; a lost context drops the model", () => {
  const fake = fakeWorker();
  const client = createDemoClient(() => fake.w, "/v/", "auto", () => false);
  client.start("a", "train", {});
  fake.report({ type: "progress", slot: "a", views: [], ...progress });
  client.hidden();
  assert.deepEqual(fake.sent.at(-1), { type: "pause", slot: "a" });
  fake.report(stopped("paused", "Paused."));
  assert.match(client.state("a").message, /tab was hidden/);
  client.resume("a");
  fake.report(stopped("lost", "The WebGL context was lost"));
  assert.equal(client.state("a").status, "error");
  assert.equal(client.state("a").params, undefined);
});

Deno.test("a worker that fails to load puts every slot in error with the reason", () => {
  const fake = fakeWorker();
  const client = createDemoClient(() => fake.w, "/v/", "auto", () => false);
  client.start("a", "train", {});
  fake.w.onerror!({ message: "404", preventDefault() {} } as ErrorEvent);
  assert.equal(client.state("a").status, "error");
  assert.match(client.state("a").message, /Cannot run the demo worker as it failed: 404/);
});

Deno.test("warm starts the worker and its backend once; the start after it uses that worker", () => {
  const fake = fakeWorker();
  let made = 0;
  const client = createDemoClient(() => (made++, fake.w), "/v/", "auto", () => true);
  const seen: SlotState[] = [];
  client.subscribe("a", (s) => seen.push(s));
  client.warm();
  client.warm();
  assert.equal(made, 1);
  assert.deepEqual(fake.sent, [{
    type: "warm",
    backend: "auto",
    wasmPaths: "/v/",
    pageWebgl: true,
  }]);
  assert.equal(client.state("a").status, "idle", "warming is no run");
  fake.report({ type: "backend", backend: "webgl", reason: "probed", baselineTensors: 0 });
  assert.equal(seen.at(-1)!.backend, "webgl — probed", "an island is told before any run");
  assert.equal(client.state("a").baselineTensors, 0);
  client.start("a", "train", {});
  client.warm(); // the worker runs: nothing more to warm
  assert.equal(made, 1);
  assert.deepEqual(fake.sent.map((m) => m.type), ["warm", "start"]);
});

Deno.test("a slot's last island to leave frees its model; the page's last stops the worker", () => {
  const fake = fakeWorker();
  const client = createDemoClient(() => fake.w, "/v/", "auto", () => false);
  const leaveA1 = client.subscribe("a", () => {});
  const leaveA2 = client.subscribe("a", () => {});
  const leaveB = client.subscribe("b", () => {});
  client.start("a", "train", {});
  leaveA1();
  assert.deepEqual(fake.sent.map((m) => m.type), ["start"], "another island still shows slot a");
  leaveA2();
  leaveA2(); // twice is once
  assert.deepEqual(fake.sent.at(-1), { type: "reset", slot: "a" });
  assert.equal(fake.terminated(), 0, "slot b's island is still on the page");
  leaveB();
  assert.equal(fake.terminated(), 1);
});
