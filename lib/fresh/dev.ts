/**
 * Dev-mode live reload. Pages get `<script type="module" src="/_frsh/reload.js">`; that client opens
 * an EventSource to `/_frsh/alive`, which first sends the server's revision (new at each start).
 * `deno run --watch` restarts the server on a change; the EventSource reconnects, receives another
 * revision, and the page reloads. Served only when the app runs with `dev: true` (Fresh #535).
 *
 * @module
 */

/** URL of the reload client. */
export const RELOAD_PATH = "/_frsh/reload.js";
/** URL of the revision stream. */
export const ALIVE_PATH = "/_frsh/alive";

/** The reload client (an external module, so the CSP needs no inline script). */
export const RELOAD_CLIENT = `let revision;
function connect() {
  const source = new EventSource(${JSON.stringify(ALIVE_PATH)});
  source.onmessage = (event) => {
    if (revision === undefined) revision = event.data;
    else if (event.data !== revision) location.reload();
  };
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 1000);
  };
}
connect();
`;

/** How often the stream sends a comment so proxies keep it open (ms). */
const HEARTBEAT_MS = 15_000;

function aliveStream(revision: string): Response {
  let timer: ReturnType<typeof setInterval> | undefined;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`retry: 500\ndata: ${revision}\n\n`));
      timer = setInterval(() => controller.enqueue(encoder.encode(": alive\n\n")), HEARTBEAT_MS);
    },
    cancel() {
      clearInterval(timer);
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
  });
}

/**
 * Answers the two dev URLs, or returns `null` for any other path.
 *
 * @param revision The server's start revision.
 * @returns A handler for dev-only URLs.
 *
 * @example
 * ```ts
 * import { devRoutes, RELOAD_PATH } from "./dev.ts";
 * const res = devRoutes("r1")(new URL(`http://x${RELOAD_PATH}`));
 * if (!(await res!.text()).includes("EventSource")) throw new Error("no client");
 * if (devRoutes("r1")(new URL("http://x/other")) !== null) throw new Error();
 * ```
 */
export function devRoutes(revision: string): (url: URL) => Response | null {
  return (url) => {
    if (url.pathname === RELOAD_PATH) {
      return new Response(RELOAD_CLIENT, {
        headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" },
      });
    }
    return url.pathname === ALIVE_PATH ? aliveStream(revision) : null;
  };
}
