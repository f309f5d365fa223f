import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { contentType, staticFiles } from "./static.ts";

/** A temp tree: public/ (served), public/_frsh/js/abc/x.js, secret.txt beside it, symlinks. */
async function fixture() {
  const dir = await Deno.makeTempDir();
  const pub = `${dir}/public`;
  await Deno.mkdir(`${pub}/_frsh/js/abc`, { recursive: true });
  await Deno.mkdir(`${pub}/sub`);
  await Deno.writeTextFile(`${pub}/a.txt`, "hello");
  await Deno.writeTextFile(`${pub}/sub/b.json`, "{}");
  await Deno.writeTextFile(`${pub}/.env`, "SECRET=1");
  await Deno.writeTextFile(`${pub}/a.txt.png`, "not me");
  await Deno.writeTextFile(`${pub}/_frsh/js/abc/x.js`, "export{}");
  await Deno.writeTextFile(`${dir}/secret.txt`, "TOP SECRET");
  await Deno.symlink(`${dir}/secret.txt`, `${pub}/leak.txt`);
  await Deno.symlink(`${pub}/a.txt`, `${pub}/inside.txt`);
  const more = `${dir}/more`;
  await Deno.mkdir(more);
  await Deno.writeTextFile(`${more}/a.txt`, "shadowed");
  await Deno.writeTextFile(`${more}/c.css`, "p{}");
  return { dir, folders: [pub, more, `${dir}/missing`] };
}

const get = (serve: ReturnType<typeof staticFiles>, path: string, init?: RequestInit) => {
  const req = new Request(`http://localhost${path}`, init);
  return serve(req, new URL(req.url));
};

Deno.test("static: serves files with type, ETag and revalidation; first folder wins", async () => {
  const { dir, folders } = await fixture();
  const serve = staticFiles(folders);
  const res = (await get(serve, "/a.txt"))!;
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "hello");
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.equal(res.headers.get("content-length"), "5");
  // sha256("hello"), worked out with `printf hello | sha256sum`
  const etag = 'W/"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"';
  assert.equal(res.headers.get("etag"), etag);
  const again = (await get(serve, "/a.txt", { headers: { "if-none-match": etag } }))!;
  assert.equal(again.status, 304);
  assert.equal(await again.text(), "");
  const other = (await get(serve, "/a.txt", { headers: { "if-none-match": 'W/"nope"' } }))!;
  assert.equal(other.status, 200);
  await other.body?.cancel();
  const css = (await get(serve, "/c.css"))!;
  assert.equal(await css.text(), "p{}");
  assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
  assert.equal(await (await get(serve, "/sub/b.json"))!.text(), "{}");
  assert.equal(await (await get(serve, "/inside.txt"))!.text(), "hello", "symlink inside is ok");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("static: hashed files are immutable; HEAD has headers and no body", async () => {
  const { dir, folders } = await fixture();
  const serve = staticFiles(folders);
  const res = (await get(serve, "/_frsh/js/abc/x.js"))!;
  assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8");
  await res.body?.cancel();
  const head = (await get(serve, "/a.txt", { method: "HEAD" }))!;
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), "5");
  assert.equal(await head.text(), "");
  for (const method of ["POST", "constructor", "toString"]) { // a file answers only GET and HEAD
    const other = (await get(serve, "/a.txt", { method }))!;
    assert.equal(other.status, 405, method);
    assert.equal(other.headers.get("allow"), "GET, HEAD");
    assert.equal(other.headers.get("x-content-type-options"), "nosniff");
    await other.body?.cancel();
  }
  assert.equal(await get(serve, "/b.txt", { method: "POST" }), null, "no file: falls through");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("static: production caches bytes, dev re-reads", async () => {
  const { dir, folders } = await fixture();
  const prod = staticFiles(folders);
  const dev = staticFiles(folders, { dev: true });
  assert.equal(await (await get(prod, "/a.txt"))!.text(), "hello");
  assert.equal(await (await get(dev, "/a.txt"))!.text(), "hello");
  await Deno.writeTextFile(`${folders[0]}/a.txt`, "changed");
  assert.equal(await (await get(prod, "/a.txt"))!.text(), "hello");
  assert.equal(await (await get(dev, "/a.txt"))!.text(), "changed");
  const devJs = (await get(dev, "/_frsh/js/abc/x.js"))!;
  assert.equal(devJs.headers.get("cache-control"), "no-cache", "dev: nothing immutable");
  await devJs.body?.cancel();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("static: traversal, dotfiles, NUL, backslashes and outside symlinks never serve", async () => {
  const { dir, folders } = await fixture();
  for (const serve of [staticFiles(folders), staticFiles(folders, { dev: true })]) {
    await refuses(serve);
  }
  await Deno.remove(dir, { recursive: true });
});

async function refuses(serve: ReturnType<typeof staticFiles>) {
  const attempts = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/..%2F..%2F",
    "/sub/..%2f..%2fsecret.txt",
    "/%5c..%5csecret.txt",
    "/sub%5c..%5c..%5csecret.txt",
    "//////a.txt%00",
    "/a.txt%00.png",
    "/%00",
    "/.env",
    "/sub/../.env",
    "/%2eenv",
    "/leak.txt",
    "/sub",
    "/",
    "/a.txt/x",
    "/" + "x".repeat(5000),
  ];
  for (const path of attempts) {
    const res = await get(serve, path);
    const body = res ? await res.text() : "";
    assert.ok(!body.includes("SECRET"), `${path} leaked`);
    assert.ok(res === null, `${path} answered ${res?.status}`);
  }
  for (const path of ["/static/%", "/%E0%A4%A", "/%"]) {
    const res = await get(serve, path);
    assert.equal(res?.status, 400, path);
    await res?.body?.cancel();
  }
}

Deno.test("static: compressible files get gzip and brotli copies; images and woff2 do not", async () => {
  const { dir, folders } = await fixture();
  const css = "p.alphaBar { color: black; }\n".repeat(100);
  await Deno.writeTextFile(`${folders[0]}/big.css`, css);
  const repetitive = new Uint8Array(4000).fill(42); // would shrink, but these types are not tried
  await Deno.writeFile(`${folders[0]}/font.woff2`, repetitive);
  await Deno.writeFile(`${folders[0]}/pic.png`, repetitive);
  await Deno.writeFile(`${folders[0]}/m.wasm`, repetitive);
  const serve = staticFiles(folders);
  const ae = { "accept-encoding": "gzip, deflate, br" };
  const br = (await get(serve, "/big.css", { headers: ae }))!;
  assert.equal(br.headers.get("content-encoding"), "br");
  assert.equal(br.headers.get("vary"), "Accept-Encoding");
  assert.match(br.headers.get("etag")!, /^W\/"[0-9a-f]{64}-br"$/);
  const brBytes = new Uint8Array(await br.arrayBuffer());
  assert.equal(br.headers.get("content-length"), String(brBytes.byteLength));
  assert.equal(new TextDecoder().decode(brotliDecompressSync(brBytes)), css);
  const gz = (await get(serve, "/big.css", { headers: { "accept-encoding": "gzip" } }))!;
  assert.match(gz.headers.get("etag")!, /-gz"$/);
  assert.equal(new TextDecoder().decode(gunzipSync(new Uint8Array(await gz.arrayBuffer()))), css);
  const revalidated = (await get(serve, "/big.css", {
    headers: { "accept-encoding": "gzip", "if-none-match": gz.headers.get("etag")! },
  }))!;
  assert.equal(revalidated.status, 304);
  const plain = (await get(serve, "/big.css"))!;
  assert.equal(plain.headers.get("content-encoding"), null);
  assert.equal(await plain.text(), css);
  const wasm = (await get(serve, "/m.wasm", { headers: ae }))!;
  assert.equal(wasm.headers.get("content-encoding"), "br", "WASM compresses");
  await wasm.body?.cancel();
  for (const path of ["/font.woff2", "/pic.png", "/a.txt"]) { // a.txt: too small to bother
    const res = (await get(serve, path, { headers: ae }))!;
    assert.equal(res.headers.get("content-encoding"), null, path);
    assert.equal(res.headers.get("vary"), null, path);
    await res.body?.cancel();
  }
  const dev = staticFiles(folders, { dev: true });
  const devCss = (await get(dev, "/big.css", { headers: ae }))!;
  assert.equal(devCss.headers.get("content-encoding"), null, "dev sends files as they are");
  assert.equal(await devCss.text(), css);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("static: production lists the folders at the first request; dev looks every time", async () => {
  const { dir, folders } = await fixture();
  await Deno.symlink(folders[0], `${folders[0]}/loop`); // a way back up: not entered again
  await Deno.symlink(folders[0], `${folders[0]}/sub/up`);
  const prod = staticFiles(folders);
  const dev = staticFiles(folders, { dev: true });
  assert.equal(await (await get(prod, "/sub/b.json"))!.text(), "{}");
  assert.equal(await (await get(prod, "/c.css"))!.text(), "p{}", "second folder listed");
  await Deno.writeTextFile(`${folders[0]}/late.txt`, "late");
  assert.equal(await get(prod, "/late.txt"), null, "added after the listing");
  assert.equal(await (await get(dev, "/late.txt"))!.text(), "late");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("contentType: the types a book site serves", () => {
  assert.equal(contentType("x.wasm"), "application/wasm");
  assert.equal(contentType("f.woff2"), "font/woff2");
  assert.equal(contentType("a.svg"), "image/svg+xml");
  assert.equal(contentType("i.ico"), "image/x-icon");
  assert.equal(contentType("s.xml"), "application/xml; charset=utf-8");
  assert.equal(contentType("p.PNG"), "image/png");
  assert.equal(contentType("noext"), "application/octet-stream");
});
