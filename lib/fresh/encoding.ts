/**
 * Content codings for bodies kept in memory (cached pages, static files): which coding a request's
 * `Accept-Encoding` allows (RFC 9110, section 12.5.3), and the gzip and brotli copies of a body,
 * made once when the body is first kept so that no request pays for compression.
 *
 * Deno.serve does not compress on its own in Deno 2.9.6 (checked: a 16 kB `text/html` answered
 * to `Accept-Encoding: gzip, br`, with or without `Content-Length` or an ETag, goes out as it is).
 * Deno releases that did compress left alone a response that sets `Content-Encoding`, as these do.
 *
 * @module
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** The codings a kept body may be sent in, best first when a request likes several equally. */
export const CONTENT_CODINGS = ["br", "gzip", "identity"] as const;

/** A content coding: `br`, `gzip` or `identity` (none). */
export type ContentCoding = typeof CONTENT_CODINGS[number];

/** The compressed codings (all but `identity`). */
export type Compression = Exclude<ContentCoding, "identity">;

/** Aliases a request may name a coding by (RFC 9110, section 8.4.1.3). */
const ALIASES: Record<string, string> = { "x-gzip": "gzip" };

/**
 * The weight (q-value) that an `Accept-Encoding` value gives each coding: the entry naming it, else
 * `*`, else 0, except `identity`, which is acceptable unless excluded (RFC 9110) and then weighs
 * the least positive q-value the header gives (1 when it gives none). An empty value accepts only `identity`; an
 * absent header (null) is answered with `identity` too, the one coding every client reads. A
 * q-value that is not a number from 0 to 1 counts as 0.
 *
 * @param acceptEncoding The header value, or null when the request has none.
 * @returns A q-value per coding of {@linkcode CONTENT_CODINGS}.
 *
 * @example
 * ```ts
 * import { codingWeights } from "./encoding.ts";
 * const q = codingWeights("gzip;q=0.5, *;q=0.1, identity;q=0");
 * if (q.gzip !== 0.5 || q.br !== 0.1 || q.identity !== 0) throw new Error(JSON.stringify(q));
 * ```
 */
export function codingWeights(acceptEncoding: string | null): Record<ContentCoding, number> {
  if (acceptEncoding === null) return { br: 0, gzip: 0, identity: 1 };
  const named = new Map<string, number>();
  let any: number | undefined;
  for (const entry of acceptEncoding.split(",")) {
    const [name, ...params] = entry.split(";");
    let coding = name.trim().toLowerCase();
    if (coding === "") continue;
    coding = ALIASES[coding] ?? coding;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "q") continue;
      const value = param.slice(eq + 1).trim();
      q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
    }
    if (coding === "*") any = Math.max(any ?? 0, q);
    else named.set(coding, Math.max(named.get(coding) ?? 0, q));
  }
  // Unnamed, identity is acceptable but never preferred to a coding the request names: it weighs
  // as the least of the positive q-values given (as the npm package negotiator does), else 1.
  const positive = [...named.values(), any ?? 0].filter((q) => q > 0);
  return {
    br: named.get("br") ?? any ?? 0,
    gzip: named.get("gzip") ?? any ?? 0,
    identity: named.get("identity") ?? any ?? Math.min(1, ...positive),
  };
}

/**
 * The coding to answer a request with: among `identity` and the compressed copies on offer, the one
 * the request weighs highest, `br` before `gzip` before `identity` on a tie; null when the request
 * accepts none of them (`identity;q=0` and no offered coding), where a server may answer 406 or,
 * as this layer does, send `identity` anyway.
 *
 * @param acceptEncoding The request's `Accept-Encoding`, or null when it has none.
 * @param offered The compressed copies there are (`identity` always is).
 * @returns The coding, or null when none is acceptable.
 *
 * @example
 * ```ts
 * import { negotiateEncoding } from "./encoding.ts";
 * if (negotiateEncoding("gzip, deflate, br", ["br", "gzip"]) !== "br") throw new Error();
 * if (negotiateEncoding("gzip, deflate, br", ["gzip"]) !== "gzip") throw new Error();
 * if (negotiateEncoding("br;q=0.5, gzip", ["br", "gzip"]) !== "gzip") throw new Error();
 * if (negotiateEncoding(null, ["br", "gzip"]) !== "identity") throw new Error();
 * if (negotiateEncoding("identity;q=0", []) !== null) throw new Error();
 * ```
 */
export function negotiateEncoding(
  acceptEncoding: string | null,
  offered: readonly Compression[],
): ContentCoding | null {
  const q = codingWeights(acceptEncoding);
  let best: ContentCoding | null = null;
  for (const coding of CONTENT_CODINGS) {
    if (coding !== "identity" && !offered.includes(coding)) continue;
    if (q[coding] > 0 && (best === null || q[coding] > q[best])) best = coding;
  }
  return best;
}

/**
 * Is a body of this Content-Type worth compressing? Text, JSON, XML, JavaScript, SVG, WASM and
 * uncompressed fonts are; images, woff/woff2 fonts, PDFs and archives are compressed already.
 *
 * @example
 * ```ts
 * import { isCompressible } from "./encoding.ts";
 * if (!isCompressible("text/html; charset=utf-8") || !isCompressible("application/wasm")) {
 *   throw new Error();
 * }
 * if (isCompressible("font/woff2") || isCompressible("image/png")) throw new Error();
 * ```
 */
export function isCompressible(contentType: string): boolean {
  const type = contentType.split(";")[0].trim().toLowerCase();
  return type.startsWith("text/") || type.endsWith("+json") || type.endsWith("+xml") ||
    COMPRESSIBLE.has(type);
}

const COMPRESSIBLE = new Set([
  "application/json",
  "application/xml",
  "application/javascript",
  "application/wasm",
  "image/svg+xml",
  "image/x-icon",
  "font/ttf",
  "font/otf",
]);

/** Bodies shorter than this are sent as they are: the coding's framing would eat the saving. */
export const MIN_COMPRESS_BYTES = 256;

/**
 * Brotli quality for the copies: 5 of 11. Compression runs on the request's thread (Deno's async
 * brotli blocks it too); on this machine quality 5 takes 11 ms for a 227 kB chapter page (against
 * 290 ms at 11) and is within 15% of 11's size, below gzip -9.
 */
export const BROTLI_QUALITY = 5;

/**
 * The gzip (level 9) and brotli (quality {@linkcode BROTLI_QUALITY}) copies of a body, each kept
 * only when it is smaller than the body; none for bodies under {@linkcode MIN_COMPRESS_BYTES}.
 *
 * @param body The identity bytes.
 * @returns The copies there are, by coding.
 *
 * @example
 * ```ts
 * import { compressCopies } from "./encoding.ts";
 * import { gunzipSync } from "node:zlib";
 * const body = new TextEncoder().encode("<p>diffusion</p>".repeat(100));
 * const { gzip, br } = compressCopies(body);
 * if (!gzip || !br || gzip.byteLength >= body.byteLength) throw new Error();
 * if (new TextDecoder().decode(gunzipSync(gzip)) !== "<p>diffusion</p>".repeat(100)) {
 *   throw new Error();
 * }
 * ```
 */
export function compressCopies(
  body: Uint8Array<ArrayBuffer>,
): Partial<Record<Compression, Uint8Array<ArrayBuffer>>> {
  if (body.byteLength < MIN_COMPRESS_BYTES) return {};
  const copies: Partial<Record<Compression, Uint8Array<ArrayBuffer>>> = {};
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  });
  if (br.byteLength < body.byteLength) copies.br = new Uint8Array(br);
  const gzip = gzipSync(body, { level: 9 });
  if (gzip.byteLength < body.byteLength) copies.gzip = new Uint8Array(gzip);
  return copies;
}

/** A body in one coding, with the ETag that names it. */
export interface EncodedBody {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** A body (`identity`) with the compressed copies that exist, each with its own ETag. */
export interface EncodedBodies extends EncodedBody {
  gzip?: EncodedBody;
  br?: EncodedBody;
}

/** What a coding adds to the ETag inside its quotes. */
const ETAG_SUFFIX: Record<Compression, string> = { gzip: "-gz", br: "-br" };

/**
 * The ETag of a body's copy in `coding`: the body's ETag with `-gz` or `-br` inside the quotes,
 * weak when it was weak. A copy is another representation, so it needs a tag of its own.
 *
 * @example
 * ```ts
 * import { etagForCoding } from "./encoding.ts";
 * if (etagForCoding('W/"abc"', "gzip") !== 'W/"abc-gz"') throw new Error();
 * if (etagForCoding('"abc"', "br") !== '"abc-br"') throw new Error();
 * ```
 */
export function etagForCoding(etag: string, coding: ContentCoding): string {
  if (coding === "identity") return etag;
  if (!etag.endsWith('"')) {
    throw new TypeError(
      `Cannot derive the ${coding} ETag as the ETag is not quoted: current value is ${etag}`,
    );
  }
  return `${etag.slice(0, -1)}${ETAG_SUFFIX[coding]}"`;
}

/**
 * A body and its compressed copies ({@linkcode compressCopies}), each with its ETag
 * ({@linkcode etagForCoding}); just the body when `compress` is false.
 *
 * @param body The identity bytes.
 * @param etag Their ETag.
 * @param compress Whether to make copies (false for types that are compressed already).
 * @returns The bodies.
 *
 * @example
 * ```ts
 * import { encodeBodies } from "./encoding.ts";
 * const bodies = encodeBodies(new TextEncoder().encode("x".repeat(1000)), 'W/"1"');
 * if (bodies.gzip?.etag !== 'W/"1-gz"' || bodies.br?.etag !== 'W/"1-br"') throw new Error();
 * ```
 */
export function encodeBodies(
  body: Uint8Array<ArrayBuffer>,
  etag: string,
  compress = true,
): EncodedBodies {
  const bodies: EncodedBodies = { body, etag };
  if (!compress) return bodies;
  const copies = compressCopies(body);
  for (const coding of ["br", "gzip"] as const) {
    const copy = copies[coding];
    if (copy) bodies[coding] = { body: copy, etag: etagForCoding(etag, coding) };
  }
  return bodies;
}

/**
 * The body to send for a request: the coding {@linkcode negotiateEncoding} picks among those that
 * exist, `identity` when it picks none.
 *
 * @example
 * ```ts
 * import { encodeBodies, selectBody } from "./encoding.ts";
 * const bodies = encodeBodies(new TextEncoder().encode("x".repeat(1000)), 'W/"1"');
 * if (selectBody(bodies, "gzip").coding !== "gzip") throw new Error();
 * if (selectBody(bodies, null).coding !== "identity") throw new Error();
 * ```
 */
export function selectBody(
  bodies: EncodedBodies,
  acceptEncoding: string | null,
): { coding: ContentCoding; chosen: EncodedBody } {
  if (bodies.br === undefined && bodies.gzip === undefined) {
    return { coding: "identity", chosen: bodies };
  }
  const offered: Compression[] = [];
  if (bodies.br) offered.push("br");
  if (bodies.gzip) offered.push("gzip");
  const coding = rememberedCoding(acceptEncoding, offered) ?? "identity";
  return { coding, chosen: coding === "identity" ? bodies : bodies[coding]! };
}

/** How many `Accept-Encoding` values {@linkcode rememberedCoding} keeps per offer. */
const REMEMBERED = 64;
const remembered = new Map<string, Map<string, ContentCoding | null>>();

/**
 * {@linkcode negotiateEncoding}, remembering the answers for the last few header values: browsers
 * send one of a handful, so a busy server parses each once instead of on every request.
 *
 * @example
 * ```ts
 * import { rememberedCoding } from "./encoding.ts";
 * if (rememberedCoding("gzip, br", ["br", "gzip"]) !== "br") throw new Error();
 * if (rememberedCoding("gzip, br", ["gzip"]) !== "gzip") throw new Error(); // per offer
 * ```
 */
export function rememberedCoding(
  acceptEncoding: string | null,
  offered: readonly Compression[],
): ContentCoding | null {
  const offer = offered.join(",");
  let answers = remembered.get(offer);
  if (answers === undefined) remembered.set(offer, answers = new Map());
  const key = acceptEncoding ?? "\0"; // no header: not the same as an empty one
  let coding = answers.get(key);
  if (coding === undefined) {
    coding = negotiateEncoding(acceptEncoding, offered);
    if (answers.size >= REMEMBERED) answers.clear();
    answers.set(key, coding);
  }
  return coding;
}
