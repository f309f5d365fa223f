import assert from "node:assert/strict";
import { createTrainClient, type WorkerLike } from "./client.ts";
import { DEFAULT_CONFIG } from "./config.ts";
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
  return { w, sent, terminated: () => terminated };
}

Deno.test("the worker starts on the first Train, not before; commands go through in order", () => {
  const fake = fakeWorker();
  let made = 0;
  const reports: FromWorker[] = [];
  const client = createTrainClient(() => (made++, fake.w), (r) => reports.push(r), "/v/", true);
  client.pause();
  client.reset();
  assert.equal(made, 0);
  assert.equal(client.started, false);
  client.start(DEFAULT_CONFIG, "wasm");
  client.pause();
  client.resume();
  client.sampler({ ...DEFAULT_CONFIG, sampler: "ddim" });
  client.reset();
  assert.equal(made, 1);
  assert.deepEqual(fake.sent.map((m) => m.type), ["start", "pause", "resume", "sampler", "reset"]);
  assert.deepEqual(fake.sent[0], {
    type: "start",
    config: DEFAULT_CONFIG,
    backend: "wasm",
    wasmPaths: "/v/",
    pageWebgl: true,
  });
  fake.w.onmessage!({ data: { type: "error", message: "x" } } as MessageEvent<FromWorker>);
  assert.deepEqual(reports, [{ type: "error", message: "x" }]);
  client.terminate();
  assert.equal(fake.terminated(), 1);
  assert.equal(client.started, false);
});

Deno.test("a worker that fails to load becomes an error report", () => {
  const fake = fakeWorker();
  const reports: FromWorker[] = [];
  const client = createTrainClient(() => fake.w, (r) => reports.push(r), "/v/", false);
  client.start(DEFAULT_CONFIG);
  fake.w.onerror!({ message: "404", preventDefault() {} } as ErrorEvent);
  assert.equal(reports.length, 1);
  assert.match(
    reports[0].type === "error" ? reports[0].message : "",
    /Cannot run the training worker as it failed: 404/,
  );
});
