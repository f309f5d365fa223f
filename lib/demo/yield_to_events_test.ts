import assert from "node:assert/strict";
import { createYieldToEvents } from "./yield_to_events.ts";

Deno.test("createYieldToEvents: each call resolves, in order, after queued messages run", async () => {
  const yieldToEvents = createYieldToEvents();
  const order: string[] = [];
  const other = new MessageChannel();
  other.port1.onmessage = () => order.push("queued message");
  other.port2.postMessage(0);
  await Promise.all([
    yieldToEvents().then(() => order.push("first yield")),
    yieldToEvents().then(() => order.push("second yield")),
  ]);
  assert.deepEqual(order, ["queued message", "first yield", "second yield"]);
  other.port1.close();
});
