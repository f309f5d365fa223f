/**
 * HTTP details shared by pages and static files: the security headers (one constant for the
 * Content-Security-Policy), weak ETags with `If-None-Match` -> 304, kept bodies answered in the
 * content coding the request accepts, and the HTML response.
 *
 * @module
 */
import { CONTENT_CODINGS, type ContentCoding, type EncodedBodies, selectBody } from "./encoding.ts";

/** Options of {@linkcode contentSecurityPolicy}. */
export interface CspOptions {
  /**
   * Who may show the page in a frame (`frame-ancestors`); default `['none']`. Each entry is
   * `'self'`, `'none'`, `*`, a scheme (`https:`) or an origin (`https://lms.example.edu`,
   * `https://*.example.edu`).
   */
  frameAncestors?: readonly string[];
}

const QUOTED_SOURCE = /^'(self|none)'$/;
const SCHEME_SOURCE = /^[a-z][a-z0-9+.-]*:$/i;
const HOST_SOURCE = /^([a-z][a-z0-9+.-]*:\/\/)?(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?$/i;

function checkAncestor(source: string): string {
  if (source === "*" || QUOTED_SOURCE.test(source)) return source;
  if (SCHEME_SOURCE.test(source) || HOST_SOURCE.test(source)) return source;
  throw new TypeError(
    `Cannot allow framing by this source as it is not 'self', 'none', *, a scheme (https:) or ` +
      `an origin (https://lms.example.edu): current value is ${JSON.stringify(source)}`,
  );
}

/**
 * The Content-Security-Policy of an HTML page. Scripts only from this origin (no inline script, no
 * `eval`; `wasm-unsafe-eval` lets tfjs compile its WASM), workers from this origin or `blob:`, and
 * no framing unless `frameAncestors` says who may frame the page.
 *
 * @param opts Who may frame the page; nobody by default.
 * @returns The header value.
 * @throws TypeError when a frame ancestor is not a CSP source (so nothing can be injected).
 *
 * @example
 * ```ts
 * import { contentSecurityPolicy } from "./http.ts";
 * const csp = contentSecurityPolicy({ frameAncestors: ["'self'", "https://lms.example.edu"] });
 * if (!csp.includes("frame-ancestors 'self' https://lms.example.edu;")) throw new Error(csp);
 * ```
 */
export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const ancestors = (opts.frameAncestors ?? ["'none'"]).map(checkAncestor);
  if (ancestors.length === 0) ancestors.push("'none'");
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    `frame-ancestors ${ancestors.join(" ")}`,
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** The Content-Security-Policy of every HTML page. No inline scripts anywhere, so it holds. */
export const CONTENT_SECURITY_POLICY: string = contentSecurityPolicy();

/** Who may frame a page in embed mode unless a route says otherwise: this site and any https page. */
export const EMBED_FRAME_ANCESTORS: readonly string[] = Object.freeze(["'self'", "https:"]);

/**
 * Headers that let a page be shown in a frame (embed mode, e.g. a course page inside a learning
 * platform). Pass them as the page's headers; they replace only the CSP, every other rule stays.
 *
 * @param frameAncestors Who may frame the page (see {@linkcode CspOptions}).
 * @returns `{ "content-security-policy": ... }` for `page(data, { headers })` or a Response.
 * @throws TypeError when an entry is not a CSP source.
 *
 * @example In a route handler: `?embed=1` opts in
 * ```ts
 * import { allowFraming } from "./http.ts";
 * import { page } from "./page.ts";
 * const url = new URL("http://x/chapters/a?embed=1");
 * const res = page({}, url.searchParams.get("embed") === "1" ? { headers: allowFraming() } : {});
 * const csp = new Headers(res.init.headers).get("content-security-policy") ?? "";
 * if (!csp.includes("frame-ancestors 'self' https:;")) throw new Error(csp);
 * ```
 */
export function allowFraming(
  frameAncestors: readonly string[] = EMBED_FRAME_ANCESTORS,
): Record<string, string> {
  return { "content-security-policy": contentSecurityPolicy({ frameAncestors }) };
}

/** URLs (path and query) longer than this many characters are answered with 414. */
export const MAX_URL_LENGTH = 8192;

/** Headers every HTML response carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "content-security-policy": CONTENT_SECURITY_POLICY,
};

/**
 * A plain-text answer (an error, a 4xx) with the security headers: `text/plain; charset=utf-8`,
 * `nosniff`, the referrer policy and the CSP. `headers` are added (e.g. `allow` for a 405).
 *
 * @example
 * ```ts
 * import { plainText } from "./http.ts";
 * const res = plainText("Bad Request", 400);
 * if (res.headers.get("x-content-type-options") !== "nosniff" || res.status !== 400) throw new Error();
 * ```
 */
export function plainText(body: string, status: number, headers: HeadersInit = {}): Response {
  const all = new Headers({ "content-type": "text/plain; charset=utf-8", ...SECURITY_HEADERS });
  new Headers(headers).forEach((value, key) => all.set(key, value));
  return new Response(body, { status, headers: all });
}

/**
 * A weak ETag from the SHA-256 of the bytes: `W/"<64 hex digits>"`.
 *
 * @example
 * ```ts
 * import { weakEtag } from "./http.ts";
 * const tag = await weakEtag(new Uint8Array()); // sha256 of nothing
 * if (tag !== 'W/"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"') {
 *   throw new Error(tag);
 * }
 * ```
 */
export async function weakEtag(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `W/"${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

/**
 * Does an `If-None-Match` header match `etag` (weak comparison, lists and `*` allowed)?
 *
 * @example
 * ```ts
 * import { etagMatches } from "./http.ts";
 * if (!etagMatches('"a", W/"b"', 'W/"b"') || etagMatches('"c"', 'W/"b"')) throw new Error();
 * ```
 */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

/**
 * Answers with bytes and an ETag: 304 with no body when `If-None-Match` matches (GET/HEAD, 200
 * only), no body for HEAD.
 *
 * @param req The request (method and `If-None-Match`).
 * @param body The full body.
 * @param init Status, headers and the ETag if known; `etag` and `content-length` are added.
 * @returns The response.
 */
export async function respondWithEtag(
  req: Request,
  body: Uint8Array<ArrayBuffer>,
  init: { status?: number; headers: Headers; etag?: string },
): Promise<Response> {
  const etag = init.etag ?? await weakEtag(body);
  return respondTagged(req, body, etag, init.status ?? 200, init.headers);
}

function respondTagged(
  req: Request,
  body: Uint8Array<ArrayBuffer>,
  etag: string,
  status: number,
  headers: Headers,
): Response {
  headers.set("etag", etag);
  const cacheable = status === 200 && (req.method === "GET" || req.method === "HEAD");
  if (cacheable && etagMatches(req.headers.get("if-none-match"), etag)) {
    headers.delete("content-length");
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(body.byteLength));
  return new Response(req.method === "HEAD" ? null : body, { status, headers });
}

/** One coding of a kept body with the header lists of its answers, made once. */
interface Variant {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  /** Headers of a 200 (and HEAD) answer. */
  full: [string, string][];
  /** Headers of a 304 answer: the same less `content-length`. */
  notModified: [string, string][];
}

/** Headers that {@linkcode KeptResponse} sets itself. */
const OWN_HEADERS = new Set(["etag", "content-length", "content-encoding"]);

/**
 * A body kept in memory (a cached page, a static file) with its compressed copies, answered many
 * times: the coding the request's `Accept-Encoding` likes best ({@linkcode selectBody}),
 * `Content-Encoding` when compressed, `Vary: Accept-Encoding` whenever copies exist (so caches keep
 * one answer per coding), that coding's ETag and length, 304 on a matching `If-None-Match` (GET or
 * HEAD of a 200) and no body for HEAD. The header lists of each coding are built once, so an
 * answer costs one Response and its headers, nothing more.
 *
 * @example
 * ```ts
 * import { encodeBodies } from "./encoding.ts";
 * import { KeptResponse } from "./http.ts";
 * const bodies = encodeBodies(new TextEncoder().encode("<p>x</p>".repeat(100)), 'W/"1"');
 * const kept = new KeptResponse(bodies, { headers: { "content-type": "text/html" } });
 * const res = kept.respond(new Request("http://x/", { headers: { "accept-encoding": "gzip" } }));
 * if (res.headers.get("content-encoding") !== "gzip") throw new Error();
 * if (res.headers.get("etag") !== 'W/"1-gz"' || res.headers.get("vary") !== "Accept-Encoding") {
 *   throw new Error();
 * }
 * ```
 */
export class KeptResponse {
  readonly status: number;
  readonly bodies: EncodedBodies;
  readonly #variants = new Map<ContentCoding, Variant>();

  /**
   * @param bodies The body and its copies, each with its ETag.
   * @param init Status (default 200) and headers; any `etag`, `content-length` and
   *   `content-encoding` in them is replaced, and `Accept-Encoding` is added to `vary`.
   */
  constructor(bodies: EncodedBodies, init: { status?: number; headers?: HeadersInit } = {}) {
    this.status = init.status ?? 200;
    this.bodies = bodies;
    const base = [...new Headers(init.headers)].filter(([k]) => !OWN_HEADERS.has(k));
    if (bodies.br !== undefined || bodies.gzip !== undefined) {
      const vary = base.find(([k]) => k === "vary");
      if (vary) vary[1] = `${vary[1]}, Accept-Encoding`;
      else base.push(["vary", "Accept-Encoding"]);
    }
    for (const coding of CONTENT_CODINGS) {
      const chosen = coding === "identity" ? bodies : bodies[coding];
      if (chosen === undefined) continue;
      const notModified: [string, string][] = [...base, ["etag", chosen.etag]];
      if (coding !== "identity") notModified.push(["content-encoding", coding]);
      const full: [string, string][] = [
        ...notModified,
        ["content-length", String(chosen.body.byteLength)],
      ];
      this.#variants.set(coding, { body: chosen.body, etag: chosen.etag, full, notModified });
    }
  }

  /** The answer to `req`. */
  respond(req: Request): Response {
    const { coding } = selectBody(this.bodies, req.headers.get("accept-encoding"));
    const variant = this.#variants.get(coding)!;
    const cacheable = this.status === 200 && (req.method === "GET" || req.method === "HEAD");
    if (cacheable && etagMatches(req.headers.get("if-none-match"), variant.etag)) {
      return new Response(null, { status: 304, headers: variant.notModified });
    }
    const body = req.method === "HEAD" ? null : variant.body;
    return new Response(body, { status: this.status, headers: variant.full });
  }
}

/**
 * Answers once with a kept body in the coding the request likes best: a
 * {@linkcode KeptResponse} made for one answer (keep the KeptResponse to answer many).
 *
 * @param req The request (method, `Accept-Encoding`, `If-None-Match`).
 * @param bodies The body and its copies, each with its ETag.
 * @param init Status (default 200) and headers.
 * @returns The response.
 *
 * @example
 * ```ts
 * import { encodeBodies } from "./encoding.ts";
 * import { respondEncoded } from "./http.ts";
 * const bodies = encodeBodies(new TextEncoder().encode("<p>x</p>".repeat(100)), 'W/"1"');
 * const req = new Request("http://x/", { headers: { "accept-encoding": "br" } });
 * const res = respondEncoded(req, bodies, { headers: new Headers() });
 * if (res.headers.get("content-encoding") !== "br") throw new Error();
 * ```
 */
export function respondEncoded(
  req: Request,
  bodies: EncodedBodies,
  init: { status?: number; headers?: HeadersInit } = {},
): Response {
  return new KeptResponse(bodies, init).respond(req);
}

/**
 * The response for a rendered page: `text/html; charset=utf-8`, `Cache-Control: no-cache`, an ETag,
 * and the security headers. Headers in `init` are kept (and win over the defaults).
 *
 * @example
 * ```ts
 * import { htmlResponse } from "./http.ts";
 * const res = await htmlResponse(new Request("http://x/"), "<p>hi</p>");
 * if (res.headers.get("content-type") !== "text/html; charset=utf-8") throw new Error();
 * if (await res.text() !== "<p>hi</p>") throw new Error();
 * ```
 */
export function htmlResponse(
  req: Request,
  html: string,
  init: ResponseInit = {},
): Promise<Response> {
  const headers = new Headers({
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-cache",
    ...SECURITY_HEADERS,
  });
  new Headers(init.headers).forEach((value, key) => headers.set(key, value));
  return respondWithEtag(req, new TextEncoder().encode(html), { status: init.status, headers });
}

/** Adds the security headers that a handler's own HTML response lacks (leaves others alone). */
export function withSecurityHeaders(res: Response): Response {
  if (!res.headers.get("content-type")?.startsWith("text/html")) return res;
  try {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) {
      if (!res.headers.has(k)) res.headers.set(k, v);
    }
    return res;
  } catch { // immutable headers (e.g. Response.redirect): copy
    const copy = new Response(res.body, res);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) {
      if (!copy.headers.has(k)) copy.headers.set(k, v);
    }
    return copy;
  }
}
