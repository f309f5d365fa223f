import assert from "node:assert/strict";
import { ALIVE_PATH, devRoutes, RELOAD_CLIENT, RELOAD_PATH } from "./dev.ts";

Deno.test("devRoutes: the reload client is JavaScript that listens to /_frsh/alive", async () => {
  const res = devRoutes("rev")(new URL(`http://x${RELOAD_PATH}`))!;
  assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8");
  const text = await res.text();
  assert.equal(text, RELOAD_CLIENT);
  assert.ok(text.includes(`new EventSource("${ALIVE_PATH}")`));
  assert.ok(text.includes("location.reload()"));
});

Deno.test("devRoutes: /_frsh/alive streams the revision first, then stops on cancel", async () => {
  const res = devRoutes("abc-123")(new URL(`http://x${ALIVE_PATH}`))!;
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  assert.equal(new TextDecoder().decode(value), "retry: 500\ndata: abc-123\n\n");
  await reader.cancel(); // clears the heartbeat timer, or the test's sanitizer fails
});

Deno.test("devRoutes: other paths are not dev paths", () => {
  assert.equal(devRoutes("r")(new URL("http://x/_frsh/other")), null);
});

Deno.test("reload client: reloads only when the revision changes", () => {
  // Run the client against a fake EventSource and location.
  const sources: { onmessage?: (e: { data: string }) => void }[] = [];
  let reloads = 0;
  class FakeEventSource {
    static CLOSED = 2;
    readyState = 1;
    onmessage?: (e: { data: string }) => void;
    constructor(readonly url: string) {
      sources.push(this);
    }
  }
  const run = new Function("EventSource", "location", "setTimeout", RELOAD_CLIENT);
  run(FakeEventSource, { reload: () => reloads++ }, () => {});
  assert.equal(sources.length, 1);
  sources[0].onmessage!({ data: "one" });
  sources[0].onmessage!({ data: "one" }); // reconnect to the same server
  assert.equal(reloads, 0);
  sources[0].onmessage!({ data: "two" }); // the server restarted
  assert.equal(reloads, 1);
});
