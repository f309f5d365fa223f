import assert from "node:assert/strict";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { decodeBody, gzipSize } from "./site_server.ts";

const text = new TextEncoder().encode("function f(){return 1}\n".repeat(500));

Deno.test("decodeBody: br and gzip bodies decode to the same bytes; others are left as sent", () => {
  const br = new Uint8Array(brotliCompressSync(text));
  const gz = new Uint8Array(gzipSync(text));
  assert.ok(br.byteLength < text.byteLength / 10 && gz.byteLength < text.byteLength / 10);
  assert.deepEqual(decodeBody(br, "br"), text);
  assert.deepEqual(decodeBody(gz, " GZIP "), text);
  assert.deepEqual(decodeBody(gz, "x-gzip"), text);
  assert.equal(decodeBody(text, null), text);
  assert.equal(decodeBody(text, "identity"), text);
});

Deno.test("gzipSize: the size a body compresses to, whatever coding it was sent in", async () => {
  const plain = await gzipSize(text);
  const viaBr = await gzipSize(decodeBody(new Uint8Array(brotliCompressSync(text)), "br"));
  assert.equal(viaBr, plain);
  assert.ok(plain > 0 && plain < text.byteLength / 10, `${plain} bytes`);
});
