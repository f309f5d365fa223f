import assert from "node:assert/strict";
import {
  allowFraming,
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  etagMatches,
  htmlResponse,
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
