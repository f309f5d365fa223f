/**
 * Issue 21, "Hardening, second round": Host handling, prototype method names, the page cache and
 * strangers' Hosts, slow clients, against the site's `handler()` and against the running server
 * behind the slow-client guard (`lib/fresh/guard.ts`, as `main.ts` serves it) with raw HTTP/1.1.
 * Serves the build in `BUILD_DIR` (or `_build`).
 */
import assert from "node:assert/strict";
import net from "node:net";
import { createSite, listenPlan } from "../../main.ts";
import { serveGuarded } from "../../lib/fresh/guard.ts";
import { CONTENT_SECURITY_POLICY } from "../../lib/fresh/http.ts";
import { getBook } from "../../lib/site/book.ts";
import { MALFORMED_HOSTS } from "../../lib/fresh/testdata/hosts.ts";
import { rawGet, rawRequest } from "./raw_http.ts";

const book = await getBook();
const slug = book.chapters.find((c) => c.slug === "notation")?.slug ?? book.chapters[0].slug;
const chapterPath = `/chapters/${slug}`;

/** Runs `fn` against the site served behind the guard on a free loopback port. */
async function withGuarded(
  fn: (port: number, server: ReturnType<typeof serveGuarded>) => Promise<void>,
  opts: { headerTimeoutMs?: number; idleTimeoutMs?: number } = {},
) {
  const site = await createSite();
  const server = serveGuarded(site.handler(), { port: 0, ...opts });
  try {
    await fn(server.addr.port, server);
  } finally {
    await server.shutdown();
  }
}

const request = (target: string, head: string, version = "HTTP/1.1", method = "GET") =>
  `${method} ${target} ${version}\r\n${head}Connection: close\r\n\r\n`;

Deno.test("a malformed Host on the socket: 400 with the security headers on pages and files", async () => {
  await withGuarded(async (port) => {
    for (const host of MALFORMED_HOSTS) {
      for (const path of ["/", chapterPath, "/styles.css", "/source/engine/posterior.ts"]) {
        const res = await rawRequest(port, request(path, `Host: ${host}\r\n`));
        assert.equal(res.status, 400, `${host} ${path}`);
        assert.equal(res.headers.get("x-content-type-options"), "nosniff");
        assert.equal(res.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
        assert.ok(!res.body.includes("<script>") && !res.body.includes("export "), res.body);
      }
    }
    // A Host with a path used to answer /chapters/notation with engine/posterior.ts as text.
    const moved = await rawRequest(
      port,
      request(chapterPath, `Host: 127.0.0.1:${port}/source/engine/posterior.ts?\r\n`),
    );
    assert.equal(moved.status, 400);
    assert.ok(!moved.body.includes("posteriorMean"));
  });
});

Deno.test("HTTP/1.1 without Host is a 400 (RFC 9112); HTTP/1.0 without one is answered", async () => {
  await withGuarded(async (port) => {
    const missing = await rawRequest(port, request("/", ""));
    assert.equal(missing.status, 400);
    assert.equal(missing.headers.get("x-content-type-options"), "nosniff");
    assert.equal(missing.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
    assert.equal((await rawRequest(port, request("/", "", "HTTP/1.0"))).status, 200);
    assert.equal((await rawRequest(port, request("/", "Host: a\r\n"))).status, 200);
  });
});

Deno.test("Object.prototype names as methods: 405 with Allow on pages, embeds, /source and files", async () => {
  const embed = book.chapters.find((c) => c.parts.some((p) => p.kind === "island"))!.slug;
  await withGuarded(async (port) => {
    for (const method of ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"]) {
      for (
        const path of ["/", chapterPath, `/embed/${embed}/1`, "/source/engine/posterior.ts"]
      ) {
        const res = await rawGet(port, path, { method });
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.equal(res.headers.get("allow"), "GET, HEAD", `${method} ${path}`);
        assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      }
      const file = await rawGet(port, "/styles.css", { method });
      assert.equal(file.status, 405, `${method} /styles.css`);
      assert.equal(file.headers.get("allow"), "GET, HEAD");
    }
  });
});

Deno.test("GET /%ff: 400 with nosniff", async () => {
  await withGuarded(async (port) => {
    for (const path of ["/%ff", "/chapters/%ff"]) {
      const res = await rawGet(port, path);
      assert.equal(res.status, 400, path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
    }
  });
});

Deno.test("300 distinct Hosts for one chapter: one render, 299 cache hits, no Host in the page", async () => {
  const site = await createSite();
  const handler = site.handler();
  const before = site.pageCache;
  const etags = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const res = await handler(
      new Request(`http://h${i}.evil.example${chapterPath}`, {
        headers: { host: `h${i}.evil.example`, "accept-encoding": "identity" },
      }),
    );
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(!html.includes("evil.example"), `a stranger's Host in the page (${i})`);
    etags.add(res.headers.get("etag")!);
  }
  const after = site.pageCache;
  assert.equal(after.misses - before.misses, 1, "rendered once");
  assert.equal(after.hits - before.hits, 299, "every other request a cache hit");
  assert.equal(after.pages, before.pages + 1, "one cache entry");
  assert.equal(etags.size, 1, "the same bytes for every Host");
});

/** Opens a connection that sends a request head one byte at a time, every `everyMs`. */
function trickle(port: number, everyMs: number) {
  const socket = net.connect(port, "127.0.0.1");
  const head = `GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ${"x".repeat(200)}\r\n\r\n`;
  let sent = 0;
  let received = "";
  const timer = setInterval(() => {
    if (sent < head.length && !socket.destroyed) socket.write(head[sent++]);
  }, everyMs);
  const closed = new Promise<number>((resolve) => {
    const start = performance.now();
    socket.on("data", (d: Buffer) => received += d.toString("latin1"));
    socket.on("close", () => {
      clearInterval(timer);
      resolve(performance.now() - start);
    });
    socket.on("error", () => {});
  });
  return { closed, received: () => received, destroy: () => socket.destroy() };
}

Deno.test("100 trickling clients are closed at the header timeout; others are answered meanwhile", async () => {
  await withGuarded(async (port, server) => {
    const slow = Array.from({ length: 100 }, () => trickle(port, 50));
    for (let i = 0; i < 100 && server.connections < 100; i++) { // until all are accepted
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(server.connections >= 100, `open: ${server.connections}`);
    for (let i = 0; i < 10; i++) { // normal requests while they trickle
      const res = await rawGet(port, chapterPath);
      assert.equal(res.status, 200);
    }
    const lifetimes = await Promise.all(slow.map((s) => s.closed));
    assert.ok(lifetimes.every((ms) => ms < 5_000), `held: ${Math.max(...lifetimes)} ms`);
    assert.ok(slow.every((s) => s.received().startsWith("HTTP/1.1 408 ")), slow[0].received());
    assert.ok(server.timedOut >= 100, `timed out: ${server.timedOut}`);
    assert.equal((await rawGet(port, "/")).status, 200, "the server lives on");
  }, { headerTimeoutMs: 1_000 });
});

Deno.test("an idle kept-alive connection is closed at the idle timeout; a second request is timed too", async () => {
  await withGuarded(async (port) => {
    const socket = await Deno.connect({ hostname: "127.0.0.1", port });
    await socket.write(new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: a\r\n\r\n`));
    const start = performance.now();
    const buf = new Uint8Array(1 << 16);
    let text = "";
    for (;;) { // read the answer, then nothing until the guard closes the connection
      const n = await socket.read(buf).catch(() => null);
      if (n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    const held = performance.now() - start;
    socket.close();
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.ok(held >= 500 && held < 5_000, `closed after ${held} ms`);

    // A kept-alive connection whose second request head never completes is closed too.
    const again = await Deno.connect({ hostname: "127.0.0.1", port });
    await again.write(new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HT`));
    let second = "";
    for (;;) {
      const n = await again.read(buf).catch(() => null);
      if (n === null) break;
      second += new TextDecoder().decode(buf.subarray(0, n));
    }
    again.close();
    assert.equal(second.match(/HTTP\/1\.1 200 /g)?.length, 1, "the first answered, then closed");
  }, { headerTimeoutMs: 300, idleTimeoutMs: 600 });
});

Deno.test("main.ts listens on 127.0.0.1 behind the guard unless HOST says otherwise", () => {
  assert.deepEqual(listenPlan({}), { port: 8000, hostname: "127.0.0.1", guarded: true });
  assert.deepEqual(listenPlan({ HOST: "0.0.0.0", PORT: "9" }), {
    port: 9,
    hostname: "0.0.0.0",
    guarded: true,
  });
  assert.equal(listenPlan({ DENO_DEPLOYMENT_ID: "abc" }).guarded, false);
  assert.throws(
    () => listenPlan({ PORT: "http" }),
    /PORT must be 0 to 65535: current value is http/,
  );
});
