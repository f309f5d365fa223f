import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { type App, createApp } from "./app.ts";
import { CONTENT_SECURITY_POLICY } from "./http.ts";
import { deserialize } from "./serialize.ts";
import { MALFORMED_HOSTS } from "./testdata/hosts.ts";

const ROOT = new URL("./testdata/app/", import.meta.url);
const PLAIN = new URL("./testdata/plain/", import.meta.url);

/** A production build folder with a hand-written manifest (no bundling needed). */
async function fakeBuild(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/static/_frsh/js/t1`, { recursive: true });
  await Deno.writeTextFile(`${dir}/static/_frsh/js/t1/boot.js`, "// boot");
  await Deno.writeTextFile(`${dir}/static/_frsh/js/t1/island-Counter.js`, "// counter");
  await Deno.writeTextFile(`${dir}/static/generated.txt`, "generated");
  const manifest = {
    buildId: "t1",
    boot: "/_frsh/js/t1/boot.js",
    islands: { Counter: "/_frsh/js/t1/island-Counter.js" },
    entries: {},
    files: ["/_frsh/js/t1/boot.js", "/_frsh/js/t1/island-Counter.js"],
  };
  await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(manifest));
  return dir;
}

let shared: { app: App; buildDir: string } | undefined;
async function prod() {
  if (!shared) {
    const buildDir = await fakeBuild();
    shared = { app: await createApp({ root: ROOT, buildDir, extraStatic: ["workers"] }), buildDir };
  }
  return shared.app;
}

async function fetchApp(path: string, init?: RequestInit, app?: App): Promise<Response> {
  return (app ?? await prod()).handler()(new Request(`http://localhost${path}`, init));
}

async function body(path: string, init?: RequestInit) {
  const res = await fetchApp(path, init);
  return { res, html: await res.text() };
}

/** Runs `fn` with console.error captured. */
async function captureErrors<T>(fn: () => Promise<T>): Promise<{ value: T; logged: unknown[][] }> {
  const original = console.error;
  const logged: unknown[][] = [];
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    return { value: await fn(), logged };
  } finally {
    console.error = original;
  }
}

Deno.test("createApp: lists the routes with their files", async () => {
  const app = await prod();
  assert.deepEqual(app.routes.slice(-2), [
    { pattern: "/blog/:slug", file: "routes/blog/[slug].tsx" },
    { pattern: "/docs/:path*", file: "routes/docs/[...path].tsx" },
  ]);
  assert.ok(app.routes.some((r) => r.file === "routes/(marketing)/pricing.tsx"));
  assert.ok(!app.routes.some((r) => r.file.includes("ignored_test")));
});

Deno.test("pages: the index inside _app and the root layout, with HTML headers", async () => {
  const { res, html } = await body("/");
  assert.equal(res.status, 200);
  assert.equal(
    html,
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>Fixture</title></head>' +
      '<body><div class="root-layout"><p>home page</p></div></body></html>',
  );
  assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
  assert.equal(res.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
  assert.ok(!html.includes("<script"), "a page without islands ships no JavaScript");
  const again = await fetchApp("/", { headers: { "if-none-match": res.headers.get("etag")! } });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), "");
});

Deno.test("routing: params, static over param, catch-alls, groups and nested layouts", async () => {
  const cases: [string, string][] = [
    ["/blog", '<section class="blog-layout"><p>blog index</p></section>'],
    ["/blog/hello%20w%C3%B6rld", '<p class="post">post hello wörld</p>'],
    ["/blog/a%2Fb", '<p class="post">post a/b</p>'],
    ["/blog/new", "<p>static new</p>"],
    ["/docs/intro", "<p>static intro</p>"],
    ["/docs/a/b/c", '<p class="docs">docs [a/b/c]</p>'],
    ["/docs", '<p class="docs">docs []</p>'],
    ["/pricing", '<main class="marketing-layout"><p>pricing page</p></main>'],
    ["//////blog//new", "<p>static new</p>"],
  ];
  for (const [path, expected] of cases) {
    const { res, html } = await body(path);
    assert.equal(res.status, 200, path);
    assert.ok(html.includes(expected), `${path}: ${html}`);
  }
  const { html } = await body("/blog/x");
  assert.ok(
    html.includes(
      '<div class="root-layout"><section class="blog-layout"><p class="post">post x</p></section></div>',
    ),
    "root layout > folder layout > page",
  );
  const pricing = (await body("/pricing")).html;
  assert.ok(pricing.includes('<div class="root-layout"><main class="marketing-layout">'));
  assert.equal((await fetchApp("/(marketing)/pricing")).status, 404, "groups are not in the URL");
});

Deno.test("routing: a malformed escape is 400, never 500", async () => {
  for (const path of ["/blog/%E0%A4%A", "/%E0%A4%A", "/static/%", "/docs/%zz"]) {
    const res = await fetchApp(path);
    assert.equal(res.status, 400, path);
    await res.body?.cancel();
  }
});

Deno.test("404: _404 inside the shell and root layout; test files and notes are not routes", async () => {
  for (const path of ["/nope", "/ignored_test", "/README.md", "/blog/a/b", "/_app", "/_layout"]) {
    const { res, html } = await body(path);
    assert.equal(res.status, 404, path);
    assert.ok(
      html.includes(`<div class="root-layout"><h1 class="not-found">No page at ${path}</h1>`),
    );
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  }
});

Deno.test("methods: 405 with Allow, HEAD falls back to GET without a body", async () => {
  const del = await fetchApp("/api/echo", { method: "DELETE" });
  assert.equal(del.status, 405);
  assert.equal(del.headers.get("allow"), "GET, POST, HEAD");
  await del.body?.cancel();
  const post = await fetchApp("/blog", { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD");
  await post.body?.cancel();
  assert.deepEqual(await (await fetchApp("/api/echo?q=hi")).json(), { q: "hi" });
  assert.equal(
    await (await fetchApp("/api/echo", { method: "POST", body: "x" })).text(),
    "posted x",
  );
  assert.equal(await (await fetchApp("/any", { method: "PUT" })).text(), "method PUT");
  for (const path of ["/", "/api/echo", "/any", "/form"]) {
    const head = await fetchApp(path, { method: "HEAD" });
    assert.equal(head.status, 200, path);
    assert.equal(await head.text(), "", `HEAD ${path} has no body`);
  }
  const head = await fetchApp("/", { method: "HEAD" });
  assert.equal(head.headers.get("content-type"), "text/html; charset=utf-8");
  assert.ok(Number(head.headers.get("content-length")) > 100);
});

Deno.test("handlers: page(data) renders with data, state, status and headers", async () => {
  const { res, html } = await body("/form?name=%3Cb%3EAnn");
  assert.equal(res.headers.get("x-page"), "form");
  assert.ok(html.includes("<title>Form title</title>"));
  assert.ok(html.includes('<p class="form">hello &lt;b>Ann</p>'), html);
  const form = new FormData();
  form.set("name", "Bob");
  const posted = await fetchApp("/form", { method: "POST", body: form });
  assert.equal(posted.status, 201);
  assert.ok((await posted.text()).includes("hello Bob"));
});

Deno.test("pages: an async page is awaited and can set the title", async () => {
  const { html } = await body("/async");
  assert.ok(html.includes('<p class="async">answer 42</p>'));
  assert.ok(html.includes("<title>Async title</title>"));
});

Deno.test("page cache: a cacheKey renders once, then the same bytes, ETag and headers", async () => {
  const first = await body("/cached?key=a");
  const again = await body("/cached?key=a");
  assert.match(first.html, /render (\d+) for a/);
  assert.equal(again.html, first.html, "served from the cache, not rendered again");
  assert.equal(again.res.headers.get("etag"), first.res.headers.get("etag"));
  assert.equal(again.res.headers.get("x-kept"), "yes");
  assert.ok(again.res.headers.get("content-security-policy"));
  const other = await body("/cached?key=b");
  assert.notEqual(other.html.replace("for b", "for a"), first.html, "another key renders anew");
  const plain1 = await body("/cached"), plain2 = await body("/cached");
  assert.notEqual(plain1.html, plain2.html, "without a key every request renders");
  const etag = first.res.headers.get("etag")!;
  const revalidated = await fetchApp("/cached?key=a", { headers: { "if-none-match": etag } });
  assert.equal(revalidated.status, 304);
  const head = await fetchApp("/cached?key=a", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
  assert.equal(
    head.headers.get("content-length"),
    String(new TextEncoder().encode(first.html).length),
  );
});

Deno.test("page cache: gzip, brotli or identity as asked, each with its ETag, 304 and HEAD", async () => {
  const plain = await body("/cached?key=enc");
  const html = plain.html;
  assert.ok(new TextEncoder().encode(html).byteLength >= 256, "big enough to compress");
  assert.equal(plain.res.headers.get("content-encoding"), null, "no Accept-Encoding: identity");
  assert.equal(plain.res.headers.get("vary"), "Accept-Encoding");
  const etag = plain.res.headers.get("etag")!;
  const decoders = { br: brotliDecompressSync, gzip: gunzipSync } as const;
  for (const coding of ["br", "gzip"] as const) {
    const res = await fetchApp("/cached?key=enc", { headers: { "accept-encoding": coding } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-encoding"), coding);
    assert.equal(res.headers.get("vary"), "Accept-Encoding");
    assert.equal(res.headers.get("x-kept"), "yes", "the route's headers stay");
    assert.ok(res.headers.get("content-security-policy"));
    const tag = res.headers.get("etag")!;
    assert.equal(tag, etag.replace(/"$/, coding === "br" ? '-br"' : '-gz"'));
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(res.headers.get("content-length"), String(bytes.byteLength));
    assert.ok(bytes.byteLength < new TextEncoder().encode(html).byteLength);
    assert.equal(new TextDecoder().decode(decoders[coding](bytes)), html, "same page, compressed");
    const again = await fetchApp("/cached?key=enc", {
      headers: { "accept-encoding": coding, "if-none-match": tag },
    });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("etag"), tag);
    await again.body?.cancel();
    const stale = await fetchApp("/cached?key=enc", { headers: { "if-none-match": tag } });
    assert.equal(stale.status, 200, "a compressed copy's tag does not validate identity");
    await stale.body?.cancel();
    const head = await fetchApp("/cached?key=enc", {
      method: "HEAD",
      headers: { "accept-encoding": coding },
    });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-encoding"), coding);
    assert.equal(head.headers.get("content-length"), String(bytes.byteLength));
    assert.equal(await head.text(), "");
  }
  const refused = await fetchApp("/cached?key=enc", {
    headers: { "accept-encoding": "br;q=0, gzip;q=0" },
  });
  assert.equal(refused.headers.get("content-encoding"), null);
  assert.equal(await refused.text(), html);
});

Deno.test("page cache: requests arriving together for a new key render it once", async () => {
  const pages = await Promise.all(
    Array.from({ length: 5 }, () => body("/cached?key=together").then((r) => r.html)),
  );
  assert.match(pages[0], /render \d+ for together/);
  for (const html of pages) assert.equal(html, pages[0]);
});

Deno.test("_error: a throwing route is logged and rendered with status 500", async () => {
  const { value, logged } = await captureErrors(() => body("/boom"));
  assert.equal(value.res.status, 500);
  assert.ok(value.html.includes('<h1 class="error-page">Error: kaboom</h1>'), value.html);
  assert.ok(value.html.includes("<title>Fixture</title>"), "inside the shell");
  assert.equal(logged.length, 1);
  assert.match(String(logged[0][0]), /GET \/boom \(routes\/boom\.tsx\)/);
  assert.equal((logged[0][1] as Error).message, "kaboom");
});

Deno.test("islands: a function prop is a 500 whose error names the island", async () => {
  const { value, logged } = await captureErrors(() => body("/bad_props"));
  assert.equal(value.res.status, 500);
  assert.ok(value.html.includes("Cannot render island Counter as Cannot serialise props.onPick"));
  assert.equal(logged.length, 1);
});

Deno.test("islands: SSR html in a marker, props state and boot script, no preload", async () => {
  const { html } = await body("/island");
  assert.ok(
    html.includes(
      '<p>before <frsh-island data-name="Counter" data-props="0" style="display:contents">' +
        '<button type="button" class="counter" title="&lt;/script>&lt;script>alert(1)&lt;/script>">3' +
        "</button></frsh-island> after</p>",
    ),
    html,
  );
  const state = /<script type="application\/json" id="__FRSH_STATE">([^<]*)<\/script>/.exec(html);
  assert.ok(state, "state script present, with no < inside");
  assert.deepEqual(deserialize(state[1]), {
    islands: { Counter: "/_frsh/js/t1/island-Counter.js" },
    props: [{ start: 3, label: "</script><script>alert(1)</script>" }],
  });
  assert.ok(!html.includes("modulepreload"), "island modules load when wanted (boot.ts)");
  assert.ok(
    html.endsWith('<script type="module" src="/_frsh/js/t1/boot.js"></script></body></html>'),
  );
  assert.equal(html.match(/<script/g)?.length, 2, "only the state and the boot module");
  assert.ok(!html.includes("/_frsh/reload.js"), "no dev client in production");
});

Deno.test("static: files, build output, extra folders; dotfiles and traversal never served", async () => {
  const hello = await fetchApp("/hello.txt");
  assert.equal(await hello.text(), "hello from static\n");
  assert.equal(hello.headers.get("cache-control"), "no-cache");
  const etag = hello.headers.get("etag")!;
  assert.match(etag, /^W\/"[0-9a-f]{64}"$/);
  const cached = await fetchApp("/hello.txt", { headers: { "if-none-match": etag } });
  assert.equal(cached.status, 304);
  await cached.body?.cancel();
  assert.deepEqual(await (await fetchApp("/sub/data.json")).json(), { ok: true });
  assert.equal(await (await fetchApp("/generated.txt")).text(), "generated");
  assert.ok((await (await fetchApp("/echo.ts")).text()).includes("echo-worker-entry"));
  const boot = await fetchApp("/_frsh/js/t1/boot.js");
  assert.equal(boot.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(boot.headers.get("content-type"), "text/javascript; charset=utf-8");
  await boot.body?.cancel();
  const attempts = [
    "/.secret",
    "/sub/../.secret",
    "/%2esecret",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/..%2f..%2f",
    "/%5c..%5c..%5cetc%5cpasswd",
    "/%5c..%5c",
    "//////x",
    "/%00",
    "/a.txt%00.png",
    "/hello.txt%00.png",
    "/static/hello.txt",
    "/sub%2f..%2f.secret",
  ];
  for (const path of attempts) {
    const res = await fetchApp(path);
    const text = await res.text();
    assert.ok(res.status === 404 || res.status === 400, `${path}: ${res.status}`);
    assert.ok(!text.includes("SECRET") && !text.includes("root:"), `${path} leaked`);
  }
});

Deno.test("production: the dev URLs do not exist", async () => {
  for (const path of ["/_frsh/reload.js", "/_frsh/alive"]) {
    const res = await fetchApp(path);
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
});

Deno.test("production: islands without a manifest are a clear start-up error", async () => {
  const empty = await Deno.makeTempDir();
  await assert.rejects(
    () => createApp({ root: ROOT, buildDir: empty }),
    new RegExp(
      `Cannot serve islands as the build folder ${empty} has no manifest\\.json: ` +
        "run `deno task build`",
    ),
  );
  await assert.rejects(
    () => createApp({ root: ROOT, buildDir: "_no_such_build" }),
    /build folder _no_such_build has no manifest\.json/,
  );
  await Deno.writeTextFile(`${empty}/manifest.json`, JSON.stringify({ islands: {} }));
  await assert.rejects(
    () => createApp({ root: ROOT, buildDir: empty }),
    /Cannot serve island Counter as .*manifest\.json has no module for it/,
  );
  await Deno.remove(empty, { recursive: true });
});

Deno.test("islands: a module whose hydrate export is not a known value is a clear start-up error", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/routes`);
  await Deno.mkdir(`${root}/islands`);
  await Deno.copyFile(new URL("routes/index.tsx", PLAIN), `${root}/routes/index.tsx`);
  await Deno.writeTextFile(
    `${root}/islands/Soon.tsx`,
    'export const hydrate = "idle";\nexport default function Soon() {\n  return null;\n}\n',
  );
  await assert.rejects(
    () => createApp({ root, buildDir: "_no_such_build" }),
    new RegExp(
      "Cannot register island Soon as .*Soon\\.tsx exports an unknown hydrate: current value is " +
        '"idle", expected "visible" or "interaction"',
    ),
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("a project without islands needs no build and falls back to a plain 404", async () => {
  const app = await createApp({ root: PLAIN, buildDir: "_no_such_build" });
  const home = await fetchApp("/", undefined, app);
  assert.ok((await home.text()).includes("<p>no islands here</p>"));
  const missing = await fetchApp("/x", undefined, app);
  assert.equal(missing.status, 404);
  assert.ok((await missing.text()).includes("404 Not Found"));
});

Deno.test({
  name: "dev: bundles at start-up, injects the reload client, serves /_frsh/alive",
  async fn() {
    const buildDir = await Deno.makeTempDir();
    const app = await createApp({ root: ROOT, buildDir, dev: true });
    const manifest = JSON.parse(await Deno.readTextFile(`${buildDir}/manifest.json`));
    const html = await (await fetchApp("/island", undefined, app)).text();
    assert.ok(html.includes(`<script type="module" src="${manifest.boot}"></script>`));
    assert.ok(html.includes('<script type="module" src="/_frsh/reload.js"></script></body>'));
    const plain = await (await fetchApp("/", undefined, app)).text();
    assert.ok(plain.includes('<script type="module" src="/_frsh/reload.js"></script></body>'));
    const boot = await fetchApp(manifest.boot, undefined, app);
    assert.equal(boot.status, 200);
    assert.equal(boot.headers.get("cache-control"), "no-cache", "nothing immutable in dev");
    assert.ok((await boot.text()).includes("__FRSH_STATE"));
    const client = await fetchApp("/_frsh/reload.js", undefined, app);
    assert.ok((await client.text()).includes("EventSource"));
    const alive = await fetchApp("/_frsh/alive", undefined, app);
    const reader = alive.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /^retry: 500\ndata: [0-9a-f-]{36}\n\n$/);
    await reader.cancel();
    await Deno.remove(buildDir, { recursive: true });
  },
});

Deno.test("cleanup: remove the fake build folder", async () => {
  if (shared) await Deno.remove(shared.buildDir, { recursive: true });
});

Deno.test("Host: a malformed Host is a 400 with the security headers, never a 500", async () => {
  const { value: results, logged } = await captureErrors(async () => {
    const out = [];
    for (const host of MALFORMED_HOSTS) {
      for (const path of ["/", "/form", "/generated.txt", "/nope"]) {
        const res = await fetchApp(path, { headers: { host } });
        out.push({ host, path, res, text: await res.text() });
      }
    }
    return out;
  });
  for (const { host, path, res, text } of results) {
    assert.equal(res.status, 400, `${host} ${path}`);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
    assert.ok(!text.includes("<script>"), "the Host is not echoed");
  }
  assert.deepEqual(logged, [], "nothing logged: a bad request is not a server error");
  for (const host of ["localhost", "127.0.0.1:8000", "[::1]:8000", "Book.Example.", ""]) {
    const res = await fetchApp("/", { headers: { host } });
    assert.equal(res.status, 200, host);
    await res.body?.cancel();
  }
});

Deno.test("methods: Object.prototype names are unknown methods (405 with Allow), never 500", async () => {
  const names = [
    "constructor",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "__defineGetter__",
    "__lookupGetter__",
    "__proto__",
    "BREW",
  ];
  const { value: results, logged } = await captureErrors(async () => {
    const out = [];
    for (const method of names) {
      for (const path of ["/", "/form", "/generated.txt"]) {
        const res = await fetchApp(path, { method });
        out.push({ method, path, res });
        await res.body?.cancel();
      }
    }
    return out;
  });
  for (const { method, path, res } of results) {
    assert.equal(res.status, 405, `${method} ${path}`);
    const allow = res.headers.get("allow") ?? "";
    assert.ok(allow.split(", ").includes("GET") && allow.includes("HEAD"), `${path}: ${allow}`);
    assert.ok(!allow.toLowerCase().includes(method.toLowerCase()), allow);
  }
  assert.deepEqual(logged, []);
  const form = await fetchApp("/form", { method: "OPTIONS" });
  assert.equal(form.headers.get("allow"), "GET, POST, HEAD");
  await form.body?.cancel();
});
