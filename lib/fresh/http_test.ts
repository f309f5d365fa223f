import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { encodeBodies } from "./encoding.ts";
import {
  allowFraming,
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  etagMatches,
  htmlResponse,
  KeptResponse,
  respondEncoded,
  weakEtag,
  withSecurityHeaders,
} from "./http.ts";

Deno.test("weakEtag: sha-256 hex of the bytes", async () => {
  // `printf abc | sha256sum`
  assert.equal(
    await weakEtag(new TextEncoder().encode("abc")),
    'W/"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"',
  );
});

Deno.test("etagMatches: weak comparison, lists, star, absent header", () => {
  assert.ok(etagMatches('W/"x"', 'W/"x"'));
  assert.ok(etagMatches('"x"', 'W/"x"'));
  assert.ok(etagMatches(' "a" , W/"x"', 'W/"x"'));
  assert.ok(etagMatches("*", 'W/"x"'));
  assert.ok(!etagMatches('W/"y"', 'W/"x"'));
  assert.ok(!etagMatches(null, 'W/"x"'));
});

Deno.test("htmlResponse: headers, 304 on a matching If-None-Match, HEAD without body", async () => {
  const res = await htmlResponse(new Request("http://x/"), "<p>é</p>", {
    status: 200,
    headers: { "x-extra": "1" },
  });
  assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
  assert.equal(res.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
  assert.ok(CONTENT_SECURITY_POLICY.includes("script-src 'self' 'wasm-unsafe-eval';"));
  const scriptSrc = CONTENT_SECURITY_POLICY.split("; ").find((d) => d.startsWith("script-src"));
  assert.equal(scriptSrc, "script-src 'self' 'wasm-unsafe-eval'", "no inline scripts");
  assert.equal(res.headers.get("x-extra"), "1");
  assert.equal(res.headers.get("content-length"), "9"); // 3 + 2 (é in UTF-8) + 4
  assert.equal(await res.text(), "<p>é</p>");
  const etag = res.headers.get("etag")!;
  const cached = await htmlResponse(
    new Request("http://x/", { headers: { "if-none-match": etag } }),
    "<p>é</p>",
  );
  assert.equal(cached.status, 304);
  assert.equal(await cached.text(), "");
  const notFound = await htmlResponse(
    new Request("http://x/", { headers: { "if-none-match": etag } }),
    "<p>é</p>",
    { status: 404 },
  );
  assert.equal(notFound.status, 404, "only a 200 becomes a 304");
  await notFound.body?.cancel();
  const head = await htmlResponse(new Request("http://x/", { method: "HEAD" }), "<p>x</p>");
  assert.equal(head.headers.get("content-length"), "8");
  assert.equal(await head.text(), "");
});

Deno.test("withSecurityHeaders: adds to HTML, keeps others and existing values", () => {
  const html = withSecurityHeaders(
    new Response("x", {
      headers: { "content-type": "text/html", "referrer-policy": "no-referrer" },
    }),
  );
  assert.equal(html.headers.get("x-content-type-options"), "nosniff");
  assert.equal(html.headers.get("referrer-policy"), "no-referrer");
  const json = withSecurityHeaders(Response.json({}));
  assert.equal(json.headers.get("content-security-policy"), null);
});

Deno.test("contentSecurityPolicy: nobody frames by default; embed mode lists who may", () => {
  const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0], d]));
  const base = directives(CONTENT_SECURITY_POLICY);
  assert.equal(base.get("frame-ancestors"), "frame-ancestors 'none'");
  assert.equal(base.get("script-src"), "script-src 'self' 'wasm-unsafe-eval'");
  assert.equal(base.get("worker-src"), "worker-src 'self' blob:");
  assert.ok(!/'unsafe-inline'|'unsafe-eval'/.test(base.get("script-src")!));
  const embed = directives(allowFraming()["content-security-policy"]);
  assert.equal(embed.get("frame-ancestors"), "frame-ancestors 'self' https:");
  for (const [name, value] of base) {
    if (name !== "frame-ancestors") assert.equal(embed.get(name), value, `${name} unchanged`);
  }
  assert.equal(
    directives(contentSecurityPolicy({ frameAncestors: ["https://*.lms.example.edu:8443"] }))
      .get("frame-ancestors"),
    "frame-ancestors https://*.lms.example.edu:8443",
  );
  assert.equal(contentSecurityPolicy({ frameAncestors: [] }), CONTENT_SECURITY_POLICY);
});

Deno.test("allowFraming: anything that is not a CSP source is refused (no header injection)", () => {
  for (
    const bad of [
      "https://a.org; script-src 'unsafe-inline'",
      "https://a.org 'unsafe-eval'",
      "'unsafe-inline'",
      "https://a.org/\r\nset-cookie: x=1",
      "",
      "https://a,org",
    ]
  ) {
    assert.throws(
      () => allowFraming([bad]),
      new RegExp(
        `Cannot allow framing by this source .*current value is ${
          RegExp.escape(JSON.stringify(bad))
        }`,
      ),
      bad,
    );
  }
});

Deno.test("htmlResponse: a page's own CSP (embed mode) replaces the default", async () => {
  const res = await htmlResponse(new Request("http://x/"), "<p>x</p>", { headers: allowFraming() });
  assert.match(res.headers.get("content-security-policy")!, /frame-ancestors 'self' https:;/);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  await res.body?.cancel();
});

Deno.test("respondEncoded: the coding asked for, its ETag and length, Vary; bytes decode exactly", async () => {
  const text = "<p>posteriorMean</p>".repeat(300);
  const body = new TextEncoder().encode(text);
  const bodies = encodeBodies(body, await weakEtag(body));
  const ask = (acceptEncoding: string | null, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (acceptEncoding !== null) headers.set("accept-encoding", acceptEncoding);
    return respondEncoded(new Request("http://x/", { ...init, headers }), bodies, {
      headers: new Headers({ "content-type": "text/html", vary: "Origin" }),
    });
  };
  const cases = [
    ["gzip, deflate, br", "br", bodies.br!, (b: Uint8Array) => brotliDecompressSync(b)],
    ["gzip", "gzip", bodies.gzip!, (b: Uint8Array) => gunzipSync(b)],
    [null, null, bodies, (b: Uint8Array) => b],
    ["identity", null, bodies, (b: Uint8Array) => b],
  ] as const;
  for (const [acceptEncoding, coding, chosen, decode] of cases) {
    const res = ask(acceptEncoding);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-encoding"), coding, String(acceptEncoding));
    assert.equal(res.headers.get("vary"), "Origin, Accept-Encoding", "Vary keeps what was there");
    assert.equal(res.headers.get("etag"), chosen.etag);
    assert.equal(res.headers.get("content-length"), String(chosen.body.byteLength));
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(new TextDecoder().decode(decode(bytes)), text);
  }
  assert.notEqual(bodies.gzip!.etag, bodies.br!.etag);
  assert.notEqual(bodies.gzip!.etag, bodies.etag);
});

Deno.test("respondEncoded: 304 only for the coding's own ETag; HEAD has the coding's length", async () => {
  const body = new TextEncoder().encode("alphaBar ".repeat(500));
  const bodies = encodeBodies(body, await weakEtag(body));
  const ask = (init: RequestInit) =>
    respondEncoded(new Request("http://x/", init), bodies, { headers: new Headers() });
  const gz = bodies.gzip!.etag;
  const notModified = ask({ headers: { "accept-encoding": "gzip", "if-none-match": gz } });
  assert.equal(notModified.status, 304);
  assert.equal(notModified.body, null);
  assert.equal(notModified.headers.get("etag"), gz);
  assert.equal(notModified.headers.get("vary"), "Accept-Encoding");
  assert.equal(notModified.headers.get("content-length"), null);
  const other = ask({ headers: { "accept-encoding": "br", "if-none-match": gz } });
  assert.equal(other.status, 200, "the gzip tag does not validate the brotli body");
  assert.equal(other.headers.get("etag"), bodies.br!.etag);
  await other.body?.cancel();
  const plain = ask({ headers: { "if-none-match": gz } });
  assert.equal(plain.status, 200, "nor the plain body");
  await plain.body?.cancel();
  const weak = ask({ headers: { "accept-encoding": "br", "if-none-match": bodies.br!.etag } });
  assert.equal(weak.status, 304);
  for (const [acceptEncoding, chosen] of [["br", bodies.br!], ["gzip", bodies.gzip!]] as const) {
    const head = ask({ method: "HEAD", headers: { "accept-encoding": acceptEncoding } });
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
    assert.equal(head.headers.get("content-encoding"), acceptEncoding);
    assert.equal(head.headers.get("content-length"), String(chosen.body.byteLength));
  }
});

Deno.test("respondEncoded: a body without copies has no Vary and no Content-Encoding", async () => {
  const bodies = encodeBodies(new TextEncoder().encode("tiny"), 'W/"t"');
  const res = respondEncoded(
    new Request("http://x/", { headers: { "accept-encoding": "gzip, br" } }),
    bodies,
    { headers: new Headers() },
  );
  assert.equal(res.headers.get("vary"), null);
  assert.equal(res.headers.get("content-encoding"), null);
  assert.equal(await res.text(), "tiny");
});

Deno.test("respondEncoded: a kept body is not used up by answering it", async () => {
  const body = new TextEncoder().encode("x".repeat(1000));
  const bodies = encodeBodies(body, 'W/"x"');
  for (let i = 0; i < 3; i++) {
    const res = respondEncoded(new Request("http://x/"), bodies, { headers: new Headers() });
    assert.equal((await res.text()).length, 1000);
  }
  assert.equal(bodies.body.byteLength, 1000, "still attached");
});

Deno.test("KeptResponse: its own headers replace the given ones; answers many times alike", async () => {
  const body = new TextEncoder().encode("betaTilde ".repeat(300));
  const bodies = encodeBodies(body, 'W/"k"');
  const kept = new KeptResponse(bodies, {
    status: 200,
    headers: { etag: '"old"', "content-length": "1", "content-encoding": "x", "x-a": "b" },
  });
  for (let i = 0; i < 3; i++) {
    const res = kept.respond(
      new Request("http://x/", { headers: { "accept-encoding": "gzip;q=0.9, br;q=0.8" } }),
    );
    assert.equal(res.headers.get("etag"), 'W/"k-gz"');
    assert.equal(res.headers.get("content-encoding"), "gzip");
    assert.equal(res.headers.get("content-length"), String(bodies.gzip!.body.byteLength));
    assert.equal(res.headers.get("x-a"), "b");
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(new TextDecoder().decode(gunzipSync(bytes)), "betaTilde ".repeat(300));
  }
  const notFound = new KeptResponse(bodies, { status: 404 });
  const res = notFound.respond(
    new Request("http://x/", { headers: { "if-none-match": 'W/"k"' } }),
  );
  assert.equal(res.status, 404, "only a 200 answers 304");
  await res.body?.cancel();
});
