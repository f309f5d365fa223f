import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import {
  codingWeights,
  compressCopies,
  encodeBodies,
  etagForCoding,
  isCompressible,
  MIN_COMPRESS_BYTES,
  negotiateEncoding,
  rememberedCoding,
  selectBody,
} from "./encoding.ts";

const BOTH = ["br", "gzip"] as const;

Deno.test("negotiateEncoding: what browsers send picks brotli, then gzip, then identity", () => {
  assert.equal(negotiateEncoding("gzip, deflate, br", BOTH), "br");
  assert.equal(negotiateEncoding("gzip, deflate, br, zstd", BOTH), "br");
  assert.equal(negotiateEncoding("gzip, deflate, br", ["gzip"]), "gzip");
  assert.equal(negotiateEncoding("gzip, deflate, br", []), "identity");
  assert.equal(negotiateEncoding("deflate", BOTH), "identity", "deflate is not offered");
});

Deno.test("negotiateEncoding: no header and an empty header mean identity", () => {
  assert.equal(negotiateEncoding(null, BOTH), "identity");
  assert.equal(negotiateEncoding("", BOTH), "identity");
  assert.equal(negotiateEncoding(" , ", BOTH), "identity");
});

Deno.test("negotiateEncoding: q-values rank codings; ties go br, gzip, identity", () => {
  assert.equal(negotiateEncoding("br;q=0.5, gzip", BOTH), "gzip");
  assert.equal(negotiateEncoding("gzip;q=0.5, br;q=0.5", BOTH), "br");
  assert.equal(negotiateEncoding("gzip;q=0.1, identity;q=0.5", BOTH), "identity");
  assert.equal(negotiateEncoding(" gzip ; q=0.9 , br ; q = 0.8", BOTH), "gzip", "spaces");
  assert.equal(negotiateEncoding("GZIP;Q=0.8, BR;q=0.7", BOTH), "gzip", "case-insensitive");
  assert.equal(negotiateEncoding("x-gzip", BOTH), "gzip", "x-gzip is gzip");
  assert.equal(negotiateEncoding("br;q=0, gzip;q=0", BOTH), "identity");
});

Deno.test("negotiateEncoding: * covers the codings not named, identity included", () => {
  assert.equal(negotiateEncoding("*", BOTH), "br");
  assert.equal(negotiateEncoding("br;q=0, *", BOTH), "gzip");
  assert.equal(negotiateEncoding("*;q=0, identity", BOTH), "identity");
  assert.equal(negotiateEncoding("*;q=0", BOTH), null, "nothing acceptable");
  assert.equal(negotiateEncoding("*;q=0.2, identity;q=0.1", ["gzip"]), "gzip");
});

Deno.test("negotiateEncoding: identity;q=0 refuses the plain body", () => {
  assert.equal(negotiateEncoding("identity;q=0", []), null);
  assert.equal(negotiateEncoding("identity;q=0", BOTH), null, "no coding named, none acceptable");
  assert.equal(negotiateEncoding("identity;q=0, gzip", BOTH), "gzip");
});

Deno.test("codingWeights: a malformed q-value counts as 0; unnamed identity weighs least", () => {
  assert.deepEqual(codingWeights("gzip;q=abc, br;q=1.5"), { br: 0, gzip: 0, identity: 1 });
  assert.deepEqual(codingWeights("gzip;q=0.125, br;q=1.000"), {
    br: 1,
    gzip: 0.125,
    identity: 0.125, // unnamed: the least positive q-value given
  });
  assert.deepEqual(codingWeights("gzip;q=0.1234"), { br: 0, gzip: 0, identity: 1 }, "4 decimals");
  assert.deepEqual(codingWeights("gzip;level=9"), { br: 0, gzip: 1, identity: 1 }, "not q");
});

Deno.test("isCompressible: text, scripts, JSON, SVG and WASM yes; images and woff no", () => {
  for (
    const type of [
      "text/html; charset=utf-8",
      "text/css; charset=utf-8",
      "text/javascript; charset=utf-8",
      "application/json; charset=utf-8",
      "application/manifest+json",
      "application/wasm",
      "image/svg+xml",
      "font/ttf",
    ]
  ) assert.ok(isCompressible(type), type);
  for (
    const type of ["image/png", "image/jpeg", "image/webp", "font/woff2", "font/woff", "x/y", ""]
  ) assert.ok(!isCompressible(type), type);
});

Deno.test("compressCopies: copies decompress to exactly the body", () => {
  const text = Array.from({ length: 400 }, (_, i) => `<p id="x${i}">alphaBar ${i}</p>`).join("");
  const body = new TextEncoder().encode(text);
  const { gzip, br } = compressCopies(body);
  assert.ok(gzip && br);
  assert.ok(gzip.byteLength < body.byteLength && br.byteLength < body.byteLength);
  assert.deepEqual(new Uint8Array(gunzipSync(gzip)), body);
  assert.deepEqual(new Uint8Array(brotliDecompressSync(br)), body);
  assert.equal(gzip.byteOffset, 0, "a copy owns its whole buffer");
  assert.equal(gzip.buffer.byteLength, gzip.byteLength);
});

Deno.test("compressCopies: none for small bodies and for bytes that do not shrink", () => {
  assert.deepEqual(compressCopies(new Uint8Array(MIN_COMPRESS_BYTES - 1)), {});
  const noise = new Uint8Array(4096);
  crypto.getRandomValues(noise);
  assert.deepEqual(compressCopies(noise), {}, "random bytes grow when compressed");
});

Deno.test("etagForCoding: a suffix inside the quotes, weak stays weak", () => {
  assert.equal(etagForCoding('W/"abc"', "gzip"), 'W/"abc-gz"');
  assert.equal(etagForCoding('W/"abc"', "br"), 'W/"abc-br"');
  assert.equal(etagForCoding('"abc"', "gzip"), '"abc-gz"');
  assert.equal(etagForCoding('W/"abc"', "identity"), 'W/"abc"');
  assert.throws(() => etagForCoding("abc", "gzip"), /not quoted: current value is abc/);
});

Deno.test("encodeBodies + selectBody: one ETag per coding; no copies when told not to", () => {
  const body = new TextEncoder().encode("diffusion ".repeat(200));
  const bodies = encodeBodies(body, 'W/"e"');
  assert.equal(bodies.body, body);
  assert.equal(bodies.gzip?.etag, 'W/"e-gz"');
  assert.equal(bodies.br?.etag, 'W/"e-br"');
  assert.equal(selectBody(bodies, "gzip, br").chosen, bodies.br);
  assert.equal(selectBody(bodies, "gzip").chosen, bodies.gzip);
  assert.equal(selectBody(bodies, "identity;q=0").coding, "identity", "nothing else: identity");
  const plain = encodeBodies(body, 'W/"e"', false);
  assert.deepEqual(Object.keys(plain).sort(), ["body", "etag"]);
  assert.deepEqual(selectBody(plain, "gzip, br"), { coding: "identity", chosen: plain });
});

Deno.test("rememberedCoding: the same answers as negotiateEncoding, per offer and header", () => {
  const headers = [null, "", "gzip", "gzip, deflate, br", "br;q=0", "identity;q=0", "*;q=0"];
  for (let round = 0; round < 2; round++) { // the second round answers from memory
    for (const offered of [[], ["gzip"], ["br", "gzip"]] as const) {
      for (const header of headers) {
        assert.equal(
          rememberedCoding(header, offered),
          negotiateEncoding(header, offered),
          `${header} with ${offered}`,
        );
      }
    }
  }
  for (let i = 0; i < 200; i++) rememberedCoding(`gzip;q=0.${i % 10}${i}`, ["gzip"]); // stays bounded
  assert.equal(rememberedCoding("gzip", ["gzip"]), "gzip");
});
