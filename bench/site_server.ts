/**
 * The built site served in this process on loopback, with a log of every response's path and
 * size (raw, gzip, and as sent), so that page-cost figures count what the server really sent,
 * including requests made by Web Workers. A body the server sent compressed (`Content-Encoding`
 * br or gzip) is decoded first, so that `bytes` and `gzipBytes` mean the same whatever coding the
 * browser was given.
 *
 * @module
 */
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createSite } from "../main.ts";

/** One response the server sent. */
export interface Served {
  path: string;
  /** The body's size, decoded. */
  bytes: number;
  /** The decoded body's size after gzip ({@linkcode gzipSize}). */
  gzipBytes: number;
  /** The body's size as sent (in its `Content-Encoding`). */
  sentBytes: number;
  contentType: string;
}

/** The running server. */
export interface LoggedSite {
  base: string;
  /** Responses since the last `clear()`. */
  log: Served[];
  /** Whether to log (off for timing: measuring sizes delays the response). */
  logging: boolean;
  clear(): void;
  close(): Promise<void>;
}

/**
 * Bytes of `data` after gzip (CompressionStream, default level).
 *
 * @param data The bytes.
 * @returns The compressed size.
 * @example
 * ```ts
 * import { gzipSize } from "./site_server.ts";
 * const n = await gzipSize(new TextEncoder().encode("a".repeat(10_000)));
 * if (!(n > 0 && n < 200)) throw new Error(`10,000 a's gzip to ${n} bytes`);
 * ```
 */
export async function gzipSize(data: Uint8Array): Promise<number> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/**
 * A response body decoded from its `Content-Encoding` (br, gzip; anything else is left as it is).
 *
 * @param body The body as sent.
 * @param coding The `Content-Encoding` header, or null.
 * @returns The decoded body.
 * @example
 * ```ts
 * import { gzipSync } from "node:zlib";
 * import { decodeBody } from "./site_server.ts";
 * const text = new TextEncoder().encode("hello ".repeat(100));
 * const back = decodeBody(new Uint8Array(gzipSync(text)), "gzip");
 * if (back.byteLength !== text.byteLength) throw new Error(`${back.byteLength} bytes`);
 * ```
 */
export function decodeBody(body: Uint8Array, coding: string | null): Uint8Array {
  switch (coding?.trim().toLowerCase()) {
    case "br":
      return new Uint8Array(brotliDecompressSync(body));
    case "gzip":
    case "x-gzip":
      return new Uint8Array(gunzipSync(body));
    default:
      return body;
  }
}

/**
 * Serves the site from the build folder (`BUILD_DIR`) with a response log.
 *
 * @returns The server.
 */
export async function serveLoggedSite(): Promise<LoggedSite> {
  const app = await createSite();
  const handler = app.handler();
  const log: Served[] = [];
  const site = { logging: true };
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    async (req) => {
      const res = await handler(req);
      if (!site.logging) return res;
      const sent = new Uint8Array(await res.clone().arrayBuffer());
      const body = decodeBody(sent, res.headers.get("content-encoding"));
      log.push({
        path: new URL(req.url).pathname,
        bytes: body.byteLength,
        gzipBytes: await gzipSize(body),
        sentBytes: sent.byteLength,
        contentType: res.headers.get("content-type") ?? "",
      });
      return res;
    },
  );
  return Object.assign(site, {
    base: `http://127.0.0.1:${server.addr.port}`,
    log,
    clear: () => void log.splice(0),
    close: () => server.shutdown(),
  });
}
