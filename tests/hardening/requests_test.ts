/**
 * Issue 8, "Requests": every case against the site's `handler()` (no socket) and against the
 * running server (Deno.serve on port 0) with raw HTTP/1.1, so that paths `fetch` would normalise
 * (`/../../etc/passwd`) reach the server as written. Serves the build in `BUILD_DIR` (or `_build`).
 */
import assert from "node:assert/strict";
import { createSite } from "../../main.ts";
import { createApp } from "../../lib/fresh/mod.ts";
import { getBook } from "../../lib/site/book.ts";
import { buildDir } from "../../lib/site/paths.ts";
import { rawGet, type RawResponse } from "./raw_http.ts";

type Handler = (req: Request) => Promise<Response>;

const site = await createSite();
const book = await getBook();
const manifest = JSON.parse(await Deno.readTextFile(`${buildDir()}/manifest.json`));
const chapterPath = `/chapters/${book.chapters[0].slug}`;
const htmlPaths = ["/", ...book.chapters.map((c) => `/chapters/${c.slug}`)];

/** Runs `fn` with the handler served on a free loopback port. */
async function withServer(handler: Handler, fn: (port: number) => Promise<void>) {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  try {
    await fn(server.addr.port);
  } finally {
    await server.shutdown();
  }
}

async function viaHandler(path: string, init?: RequestInit, handler = site.handler()) {
  const res = await handler(new Request(`http://localhost${path}`, init));
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** Project files that must never come back, and what would show they did. */
const LEAKS = [/root:.*:0:0:/, /createSite/, /"imports"\s*:/, /"buildId"/, /SECRET/];
const leaked = (body: string) => LEAKS.find((re) => re.test(body));

const ODD_PATHS = [
  "/../../etc/passwd",
  "/%2e%2e/%2e%2e/etc/passwd",
  "/..%2f..%2f",
  "/..%2f..%2fetc%2fpasswd",
  "/%2e%2e%2fmain.ts",
  "/../main.ts",
  "/..%2fdeno.json",
  "/%5c..%5c",
  "/%5c..%5c..%5cetc%5cpasswd",
  "//////x",
  "/%00",
  "/a.txt%00.png",
  "/styles.css%00.png",
  "/.env",
  "/.git/config",
  "/%2egit/config",
  "/static/styles.css",
  "/manifest.json",
  "/book.json",
  "/_frsh/js/../../manifest.json",
  "/_frsh/js/%2e%2e/%2e%2e/manifest.json",
  "/chapters/..%2f..%2fmain.ts",
];
/** Paths the URL parser resolves (`%2e%2e` is `..`) before any code sees them: a page, or 404. */
const RESOLVED = ["/chapters/%2e%2e", "/chapters/%2E%2e/%2e%2E/", "/x/.%2e/.%2e/.%2e/styles.css"];
const MALFORMED = ["/static/%", "/%E0%A4%A", "/%", "/chapters/%zz"];

Deno.test("odd paths: 404 (or 400 for a bad escape), never a file outside, never 500", async () => {
  await withServer(site.handler(), async (port) => {
    for (const path of ODD_PATHS) {
      for (
        const [how, res] of [["handler", await viaHandler(path)], [
          "raw",
          await rawGet(port, path),
        ]] as const
      ) {
        assert.ok(res.status === 404 || res.status === 400, `${how} ${path}: ${res.status}`);
        assert.equal(leaked(res.body), undefined, `${how} ${path} leaked`);
      }
    }
    for (const path of RESOLVED) {
      for (const res of [await viaHandler(path), await rawGet(port, path)]) {
        assert.ok([200, 404].includes(res.status), `${path}: ${res.status}`);
        assert.equal(leaked(res.body), undefined, `${path} leaked`);
      }
    }
    for (const path of MALFORMED) {
      assert.equal((await viaHandler(path)).status, 400, `handler ${path}`);
      assert.equal((await rawGet(port, path)).status, 400, `raw ${path}`);
    }
    // Request targets that are not origin-form: never a 500.
    for (const target of ["*", "http://evil.example/", "/%2F%2Fevil.example"]) {
      const res = await rawGet(port, target);
      assert.ok(res.status > 0 && res.status < 500, `${target}: ${res.status}`);
    }
  });
});

Deno.test("very long paths and query strings: 414; past the server's limit, refused, and it lives on", async () => {
  const longPath = "/" + "a".repeat(9000);
  const longQuery = `${chapterPath}?q=${"b".repeat(9000)}`;
  await withServer(site.handler(), async (port) => {
    for (const path of [longPath, longQuery, `/chapters/${"c".repeat(9000)}`]) {
      const h = await viaHandler(path);
      assert.equal(h.status, 414, `handler ${path.slice(0, 30)}`);
      const r = await rawGet(port, path);
      assert.equal(r.status, 414, `raw ${path.slice(0, 30)}`);
      assert.ok(!r.body.includes("a".repeat(100)), "the URL is not echoed");
    }
    // A request line larger than the HTTP parser's buffer: refused before the handler runs.
    const huge: RawResponse = await rawGet(port, "/" + "d".repeat(500_000));
    assert.ok([0, 400, 414, 431].includes(huge.status), `huge: ${huge.status}`);
    const after = await rawGet(port, "/");
    assert.equal(after.status, 200, "the server still answers");
  });
  // Just under the limit is an ordinary request.
  assert.equal((await viaHandler(`/?q=${"e".repeat(8000)}`)).status, 200);
});

Deno.test("methods: POST/PUT/DELETE/PATCH/OPTIONS on pages -> 405 with Allow: GET, HEAD", async () => {
  await withServer(site.handler(), async (port) => {
    for (const path of ["/", chapterPath, "/notation", "/equations.json"]) {
      for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
        const h = await viaHandler(path, { method });
        assert.equal(h.status, 405, `handler ${method} ${path}`);
        assert.equal(h.headers.get("allow"), "GET, HEAD", `handler ${method} ${path}`);
        const r = await rawGet(port, path, { method });
        assert.equal(r.status, 405, `raw ${method} ${path}`);
        assert.equal(r.headers.get("allow"), "GET, HEAD");
        assert.equal(r.headers.get("x-content-type-options"), "nosniff");
      }
    }
  });
});

Deno.test("HEAD: same status and headers as GET, no body (handler and socket)", async () => {
  const boot = manifest.boot as string;
  await withServer(site.handler(), async (port) => {
    for (const path of ["/", chapterPath, "/styles.css", boot, "/chapters/no-such-chapter"]) {
      const get = await viaHandler(path);
      const head = await viaHandler(path, { method: "HEAD" });
      assert.equal(head.status, get.status, path);
      assert.equal(head.body, "", `HEAD ${path} has no body`);
      assert.equal(head.headers.get("etag"), get.headers.get("etag"), path);
      assert.equal(
        Number(head.headers.get("content-length")),
        new TextEncoder().encode(get.body).length,
      );
      const raw = await rawGet(port, path, { method: "HEAD" });
      assert.equal(raw.status, get.status, `raw HEAD ${path}`);
      assert.equal(raw.body, "", `raw HEAD ${path}: no bytes after the headers`);
    }
  });
});

Deno.test("caching: ETag + If-None-Match -> 304; hashed assets immutable; HTML and CSS revalidate", async () => {
  await withServer(site.handler(), async (port) => {
    for (
      const path of [chapterPath, "/", "/styles.css", manifest.boot, "/vendor/katex/katex.min.css"]
    ) {
      // The raw request has another Host; pages do not depend on it, but ask the server anyway.
      const first = await viaHandler(path);
      assert.equal(first.status, 200, path);
      const etag = first.headers.get("etag")!;
      const rawEtag = (await rawGet(port, path)).headers.get("etag")!;
      assert.match(etag, /^W\/"[0-9a-f]{64}"$/, path);
      const h = await viaHandler(path, { headers: { "if-none-match": etag } });
      assert.equal(h.status, 304, path);
      assert.equal(h.body, "");
      const r = await rawGet(port, path, { headers: { "if-none-match": `"x", ${rawEtag}` } });
      assert.equal(r.status, 304, `raw ${path}`);
      assert.equal(r.body, "");
      const stale = await rawGet(port, path, { headers: { "if-none-match": 'W/"stale"' } });
      assert.equal(stale.status, 200, `stale ETag ${path}`);
    }
    for (const file of manifest.files as string[]) {
      const res = await viaHandler(file);
      assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable", file);
      assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8", file);
    }
    for (const path of [...htmlPaths, "/styles.css", "/favicon.svg"]) {
      assert.equal((await viaHandler(path)).headers.get("cache-control"), "no-cache", path);
    }
  });
});

Deno.test("unknown chapter slug -> the 404 page, with the HTML headers", async () => {
  for (
    const path of ["/chapters/no-such-chapter", "/chapters/NO", "/nope", "/chapters/%3Cscript%3E"]
  ) {
    const res = await viaHandler(path);
    assert.equal(res.status, 404, path);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    assert.ok(res.headers.get("content-security-policy")?.includes("frame-ancestors 'none'"));
    assert.ok(!res.body.includes("<script>"), "the path is escaped");
  }
});

Deno.test("every HTML response: CSP without unsafe-inline/unsafe-eval in script-src, nosniff, Referrer-Policy", async () => {
  const check = (where: string, headers: Headers) => {
    const csp = headers.get("content-security-policy") ?? "";
    const directive = (name: string) =>
      csp.split(";").map((d) => d.trim()).find((d) => d.split(" ")[0] === name) ?? "";
    const scriptSrc = directive("script-src");
    assert.match(scriptSrc, /^script-src 'self'/, where);
    assert.ok(!/'unsafe-inline'|'unsafe-eval'/.test(scriptSrc), `${where}: ${scriptSrc}`);
    assert.ok(!/\s(https?:|\*|data:)/.test(scriptSrc), `${where}: scripts from elsewhere`);
    assert.equal(directive("worker-src"), "worker-src 'self' blob:", where);
    assert.equal(directive("frame-ancestors"), "frame-ancestors 'none'", where);
    assert.equal(directive("object-src"), "object-src 'none'", where);
    assert.equal(directive("base-uri"), "base-uri 'self'", where);
    assert.equal(headers.get("x-content-type-options"), "nosniff", where);
    assert.equal(headers.get("referrer-policy"), "strict-origin-when-cross-origin", where);
  };
  await withServer(site.handler(), async (port) => {
    for (const path of [...htmlPaths, "/chapters/no-such-chapter", "/nope"]) {
      const h = await viaHandler(path);
      assert.equal(h.headers.get("content-type"), "text/html; charset=utf-8", path);
      check(`handler ${path}`, h.headers);
      check(`raw ${path}`, (await rawGet(port, path)).headers);
    }
  });
});

Deno.test("no WASM threads are shipped, so no COOP/COEP is needed (and none is sent)", async () => {
  const wasm = [...Deno.readDirSync(`${buildDir()}/static/vendor/tfjs`)].map((e) => e.name);
  assert.ok(wasm.includes("tfjs-backend-wasm-simd.wasm"), wasm.join());
  assert.ok(!wasm.some((n) => n.includes("thread")), `threaded WASM shipped: ${wasm.join()}`);
  const res = await viaHandler(chapterPath);
  assert.equal(res.headers.get("cross-origin-embedder-policy"), null);
});

Deno.test("a symlink in a static folder pointing outside and dotfiles are refused (handler and socket)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/public`);
    await Deno.writeTextFile(`${dir}/secret.txt`, "SECRET outside");
    await Deno.writeTextFile(`${dir}/public/ok.txt`, "fine");
    await Deno.writeTextFile(`${dir}/public/.hidden`, "SECRET dotfile");
    await Deno.symlink(`${dir}/secret.txt`, `${dir}/public/leak.txt`);
    await Deno.symlink(dir, `${dir}/public/up`);
    const app = await createApp({
      root: new URL("../../lib/fresh/testdata/plain/", import.meta.url),
      buildDir: `${dir}/no_build`,
      extraStatic: [`${dir}/public`],
    });
    const handler = app.handler();
    assert.equal((await viaHandler("/ok.txt", undefined, handler)).body, "fine");
    await withServer(handler, async (port) => {
      assert.equal((await rawGet(port, "/ok.txt")).body, "fine");
      for (
        const path of [
          "/leak.txt",
          "/up/secret.txt",
          "/.hidden",
          "/up/public/.hidden",
          "/%2ehidden",
        ]
      ) {
        const h = await viaHandler(path, undefined, handler);
        const r = await rawGet(port, path);
        for (const res of [h, r]) {
          assert.equal(res.status, 404, path);
          assert.ok(!res.body.includes("SECRET"), `${path} leaked`);
        }
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
