/**
 * Raw HTTP/1.1 over a TCP socket (node:net), for requests that `fetch` would normalise or refuse:
 * `/../etc/passwd` stays `/../etc/passwd`, `*` and absolute-form targets go out as written.
 *
 * @module
 */
import net from "node:net";

/** A parsed raw response. `status` is 0 when the server closed without answering. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
  /** Every byte received, as Latin-1 text. */
  raw: string;
}

/**
 * Sends `request` (the exact bytes, CRLFs included) to 127.0.0.1:`port` and reads until the server
 * closes the connection (send `Connection: close`) or `timeoutMs` passes.
 *
 * @param port The server's port.
 * @param request The request text.
 * @param timeoutMs Give up after this long (the response so far is returned).
 * @returns Status, headers and body.
 * @example
 * ```ts ignore
 * const res = await rawRequest(8000, "GET /../x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
 * ```
 */
export function rawRequest(
  port: number,
  request: string,
  timeoutMs = 10_000,
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    const done = () => {
      socket.destroy();
      resolve(parse(Buffer.concat(chunks).toString("latin1")));
    };
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("end", done);
    socket.on("error", done); // e.g. a reset after an early answer: keep what came
    socket.setTimeout(timeoutMs, done);
  });
}

/** A GET (or another method) with `Connection: close`. */
export function rawGet(
  port: number,
  target: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const extra = Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  const length = opts.method && opts.method !== "GET" && opts.method !== "HEAD"
    ? "Content-Length: 0\r\n"
    : "";
  return rawRequest(
    port,
    `${opts.method ?? "GET"} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}${length}` +
      "Connection: close\r\n\r\n",
  );
}

function parse(raw: string): RawResponse {
  const end = raw.indexOf("\r\n\r\n");
  const head = end === -1 ? raw : raw.slice(0, end);
  const [statusLine, ...lines] = head.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status, headers, body: end === -1 ? "" : raw.slice(end + 4), raw };
}
