/**
 * A guard in front of `Deno.serve` for slow clients. `Deno.serve` (hyper) has no header-read
 * timeout: a client that sends one header byte every few seconds keeps its connection, and its
 * descriptor, for as long as it likes. The guard listens on the public address, reads each
 * request's head itself and passes the bytes on to the app's `Deno.serve` on a loopback port:
 *
 * - a request whose head (request line and headers) is not complete `headerTimeoutMs` after its
 *   first byte, or after the connection opened for the first request, closes the connection (a
 *   first request that never completed gets `408 Request Timeout`);
 * - a connection with no byte either way for `idleTimeoutMs` is closed;
 * - a head longer than `maxHeaderBytes` is a `431`, and an HTTP/1.1 request without a `Host`
 *   header a `400` (RFC 9112 section 3.2), each with the security headers, then the connection
 *   closes;
 * - a connection reaches the app only once its first head is complete, so trickling clients hold
 *   one descriptor each and cost the app nothing.
 *
 * Bodies are framed by `Content-Length` (the next head starts after it, so pipelined and kept-alive
 * requests are each timed); a request with `Transfer-Encoding` or `Upgrade` leaves the rest of its
 * connection to the idle timeout. Deno Deploy runs its own front end: `main.ts` serves directly there.
 *
 * @module
 */
import { SECURITY_HEADERS } from "./http.ts";

/** Options of {@linkcode serveGuarded}. */
export interface GuardOptions {
  /** Port to listen on; 0 picks a free one. Default 8000. */
  port?: number;
  /** Address to listen on. Default `127.0.0.1`. */
  hostname?: string;
  /** Most milliseconds for one request's head. Default 10,000. */
  headerTimeoutMs?: number;
  /** Most milliseconds without a byte either way. Default 60,000. */
  idleTimeoutMs?: number;
  /** Most bytes in one request's head. Default 65,536. */
  maxHeaderBytes?: number;
  /** Called once listening, with the public address. */
  onListen?: (addr: Deno.NetAddr) => void;
}

/** A running guarded server. */
export interface GuardedServer {
  /** The public address. */
  addr: Deno.NetAddr;
  /** Connections open now (trickling ones included). */
  readonly connections: number;
  /** Connections closed by a timeout so far. */
  readonly timedOut: number;
  /** Stops listening and closes every connection. */
  shutdown(): Promise<void>;
}

/** Defaults of {@linkcode GuardOptions}. */
export const GUARD_DEFAULTS = {
  headerTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  maxHeaderBytes: 65_536,
} as const;

/** What the guard makes of a request head. */
export type HeadVerdict =
  | { kind: "ok"; bodyBytes: number }
  | { kind: "passthrough" }
  | { kind: "reject"; status: 400; reason: string };

/**
 * Reads a complete request head (Latin-1 text, up to the blank line): is it HTTP/1.1 without a
 * Host, and how long is its body?
 *
 * @param head The head as text.
 * @returns `ok` with the body length, `passthrough` when the body's end cannot be known from the
 *   head (`Transfer-Encoding`, `Upgrade`, an unreadable `Content-Length`: the app decides), or
 *   `reject` with the reason.
 *
 * @example
 * ```ts
 * import { judgeHead } from "./guard.ts";
 * if (judgeHead("GET / HTTP/1.1\r\nHost: a\r\n\r\n").kind !== "ok") throw new Error();
 * if (judgeHead("GET / HTTP/1.1\r\n\r\n").kind !== "reject") throw new Error();
 * const post = judgeHead("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
 * if (post.kind !== "ok" || post.bodyBytes !== 5) throw new Error();
 * ```
 */
export function judgeHead(head: string): HeadVerdict {
  const lines = head.split(/\r?\n/);
  const version = /\sHTTP\/(\d\.\d)$/.exec(lines[0] ?? "")?.[1];
  let host = 0;
  let length: string | undefined;
  let passthrough = false;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === "host") host++;
    else if (name === "content-length") length = line.slice(colon + 1).trim();
    else if (name === "transfer-encoding" || name === "upgrade") passthrough = true;
  }
  if (version === "1.1" && host === 0) {
    return { kind: "reject", status: 400, reason: "an HTTP/1.1 request needs a Host header" };
  }
  if (passthrough) return { kind: "passthrough" };
  if (length === undefined) return { kind: "ok", bodyBytes: 0 };
  return /^\d{1,15}$/.test(length)
    ? { kind: "ok", bodyBytes: Number(length) }
    : { kind: "passthrough" };
}

const encoder = new TextEncoder();

/** A complete answer from the guard itself, after which the connection closes. */
export function guardResponse(status: number, reason: string): Uint8Array {
  const phrase: Record<number, string> = {
    400: "Bad Request",
    408: "Request Timeout",
    431: "Request Header Fields Too Large",
  };
  const body = `${phrase[status]}: ${reason}\n`;
  const headers = {
    "content-type": "text/plain; charset=utf-8",
    ...SECURITY_HEADERS,
    "content-length": String(encoder.encode(body).byteLength),
    connection: "close",
  };
  return encoder.encode(
    `HTTP/1.1 ${status} ${phrase[status]}\r\n` +
      Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") + `\r\n${body}`,
  );
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) done += await conn.write(bytes.subarray(done));
}

function indexOfBlankLine(bytes: Uint8Array, from: number): number {
  for (let i = Math.max(0, from); i < bytes.byteLength - 1; i++) {
    if (bytes[i] !== 10) continue;
    if (bytes[i + 1] === 10) return i + 2;
    if (bytes[i + 1] === 13 && bytes[i + 2] === 10) return i + 3;
  }
  return -1;
}

/** One client connection: its state for the sweeper and the pumps. */
class Guarded {
  lastByte = performance.now();
  /** When the current head's clock started; NaN while no head is being read. */
  headSince: number;
  answeredOnce = false;
  closed = false;
  inner: Deno.Conn | undefined;
  #head = new Uint8Array(0);
  /** Body bytes still to pass before the next head; -1: no more framing (passthrough). */
  #bodyLeft = 0;
  #inHead = true;

  constructor(
    readonly client: Deno.Conn,
    readonly opts: Required<Omit<GuardOptions, "onListen" | "port" | "hostname">>,
    readonly innerPort: number,
    readonly onClose: (c: Guarded) => void,
  ) {
    this.headSince = this.lastByte;
  }

  close(answer?: Uint8Array): void {
    if (this.closed) return;
    this.closed = true;
    const end = () => {
      try {
        this.client.close();
      } catch { /* already closed */ }
      try {
        this.inner?.close();
      } catch { /* already closed */ }
      this.onClose(this);
    };
    if (answer) writeAll(this.client, answer).catch(() => {}).finally(end);
    else end();
  }

  /** Closes the connection if a clock ran out; true when it did. */
  sweep(now: number): boolean {
    if (!Number.isNaN(this.headSince) && now - this.headSince > this.opts.headerTimeoutMs) {
      const first = this.inner === undefined;
      this.close(first ? guardResponse(408, "the request head took too long") : undefined);
      return true;
    }
    if (now - this.lastByte > this.opts.idleTimeoutMs) {
      this.close();
      return true;
    }
    return false;
  }

  async run(): Promise<void> {
    const buf = new Uint8Array(16_384);
    try {
      for (;;) {
        const n = await this.client.read(buf);
        if (n === null) break;
        this.lastByte = performance.now();
        const out = this.#frame(buf.slice(0, n));
        if (out === "closed") return;
        if (out.byteLength === 0) continue;
        this.inner ??= await this.#connect();
        await writeAll(this.inner, out);
      }
      this.inner?.closeWrite().catch(() => {});
      if (!this.inner) this.close();
    } catch {
      this.close();
    }
  }

  async #connect(): Promise<Deno.Conn> {
    const inner = await Deno.connect({ hostname: "127.0.0.1", port: this.innerPort });
    (async () => {
      const buf = new Uint8Array(65_536);
      try {
        for (;;) {
          const n = await inner.read(buf);
          if (n === null) break;
          this.lastByte = performance.now();
          await writeAll(this.client, buf.subarray(0, n));
        }
      } catch { /* closed by either side */ }
      this.close();
    })();
    return inner;
  }

  /** Bytes to pass on now, following heads and bodies; "closed" when the guard answered. */
  #frame(chunk: Uint8Array): Uint8Array | "closed" {
    const pass: Uint8Array[] = [];
    let rest = chunk;
    while (rest.byteLength > 0) {
      if (this.#bodyLeft === -1) {
        pass.push(rest);
        break;
      }
      if (!this.#inHead) {
        const take = Math.min(this.#bodyLeft, rest.byteLength);
        pass.push(rest.subarray(0, take));
        rest = rest.subarray(take);
        this.#bodyLeft -= take;
        if (this.#bodyLeft === 0) this.#inHead = true;
        continue;
      }
      if (this.#head.byteLength === 0) { // empty lines before a request line are allowed
        let skip = 0;
        while (skip < rest.byteLength && (rest[skip] === 13 || rest[skip] === 10)) skip++;
        if (skip > 0) pass.push(rest.subarray(0, skip));
        rest = rest.subarray(skip);
        if (rest.byteLength === 0) break;
        if (Number.isNaN(this.headSince)) this.headSince = performance.now();
      }
      const before = this.#head.byteLength;
      const head = new Uint8Array(before + rest.byteLength);
      head.set(this.#head);
      head.set(rest, before);
      const end = indexOfBlankLine(head, before - 2);
      if (end === -1) {
        if (head.byteLength > this.opts.maxHeaderBytes) {
          this.close(
            guardResponse(431, `the request head is over ${this.opts.maxHeaderBytes} bytes`),
          );
          return "closed";
        }
        this.#head = head;
        break;
      }
      const verdict = judgeHead(new TextDecoder("latin1").decode(head.subarray(0, end)));
      if (verdict.kind === "reject") {
        this.close(guardResponse(verdict.status, verdict.reason));
        return "closed";
      }
      pass.push(head.subarray(0, end));
      rest = head.subarray(end);
      this.#head = new Uint8Array(0);
      this.headSince = NaN;
      this.#inHead = false;
      this.#bodyLeft = verdict.kind === "ok" ? verdict.bodyBytes : -1;
      if (this.#bodyLeft === 0) this.#inHead = true;
    }
    if (pass.length === 1) return pass[0];
    const out = new Uint8Array(pass.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of pass) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }
}

/**
 * Serves `handler` behind the guard: `Deno.serve` on a loopback port, and the guard on
 * `hostname:port`.
 *
 * @param handler The app's handler.
 * @param opts Address, timeouts and the head limit.
 * @returns The server: its address, counters and `shutdown()`.
 *
 * @example A trickling client is closed; a normal one is answered
 * ```ts
 * import { serveGuarded } from "./guard.ts";
 * const server = serveGuarded(() => new Response("ok"), { port: 0, headerTimeoutMs: 200 });
 * const slow = await Deno.connect({ port: server.addr.port });
 * await slow.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHo"));
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
 * if (await res.text() !== "ok") throw new Error();
 * const buf = new Uint8Array(1024);
 * const n = await slow.read(buf); // the guard's 408, then end of stream
 * if (!new TextDecoder().decode(buf.subarray(0, n ?? 0)).startsWith("HTTP/1.1 408")) throw new Error();
 * slow.close();
 * await server.shutdown();
 * ```
 */
export function serveGuarded(
  handler: (req: Request) => Response | Promise<Response>,
  opts: GuardOptions = {},
): GuardedServer {
  const settings = {
    headerTimeoutMs: opts.headerTimeoutMs ?? GUARD_DEFAULTS.headerTimeoutMs,
    idleTimeoutMs: opts.idleTimeoutMs ?? GUARD_DEFAULTS.idleTimeoutMs,
    maxHeaderBytes: opts.maxHeaderBytes ?? GUARD_DEFAULTS.maxHeaderBytes,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(
        `Cannot serve behind the guard as ${name} must be a positive number: current value is ${value}`,
      );
    }
  }
  const inner = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  const listener = Deno.listen({ port: opts.port ?? 8000, hostname: opts.hostname ?? "127.0.0.1" });
  const addr = listener.addr as Deno.NetAddr;
  const open = new Set<Guarded>();
  let timedOut = 0;
  const tick = Math.max(
    20,
    Math.min(1000, settings.headerTimeoutMs / 4, settings.idleTimeoutMs / 4),
  );
  const sweeper = setInterval(() => {
    const now = performance.now();
    for (const c of open) if (c.sweep(now)) timedOut++;
  }, tick);
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        const c = new Guarded(conn, settings, inner.addr.port, (done) => open.delete(done));
        open.add(c);
        c.run();
      }
    } catch { /* the listener closed */ }
  })();
  opts.onListen?.(addr);
  return {
    addr,
    get connections() {
      return open.size;
    },
    get timedOut() {
      return timedOut;
    },
    async shutdown() {
      clearInterval(sweeper);
      try {
        listener.close();
      } catch { /* already closed */ }
      await accepting;
      for (const c of [...open]) c.close();
      await inner.shutdown();
    },
  };
}
