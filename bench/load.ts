/**
 * The load test (issue 8): N keep-alive connections on loopback for S seconds against one URL,
 * counting requests, errors and latency, while sampling the server's resident memory every second.
 * `deno task load` serves the built site in a child process (`main.ts`, as `deno task start` does)
 * and runs 30 s at 50 connections against a chapter page, then against a static asset
 * (`LOAD_SECONDS`, `LOAD_CONNECTIONS` and `LOAD_PATHS=/a,/b` change that).
 *
 * The load generator is this file's own: one `fetch` loop per connection (Deno's `fetch` keeps
 * connections alive and pools them, so 50 loops hold 50 sockets). It needs nothing installed, so
 * `deno task load` runs wherever Deno does; `wrk` (a Debian package, not installed by default) would
 * measure the same URLs with less client overhead.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** Options of {@linkcode runLoad}. */
export interface LoadOptions {
  /**
   * What to request: an absolute URL of a running server, or a path (`/chapters/x`), in which case
   * the site is started for the run in a child process (from the build in `BUILD_DIR` or `_build`)
   * and stopped after it.
   */
  url: string;
  /** How long to run, in seconds. */
  seconds: number;
  /** Requests in flight at once (one keep-alive connection each). */
  connections: number;
  /** Process id of the server, for its memory; known when runLoad starts the server itself. */
  serverPid?: number;
}

/** What a run measured. Memory is the server's resident set size (NaN when its pid is unknown). */
export interface LoadResult {
  url: string;
  seconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Failed requests: network errors and any status other than 200. */
  errors: number;
  rssStartMb: number;
  /** Median of the samples at seconds 9, 10 and 11 (one GC cycle is no trend). */
  rssAt10sMb: number;
  /** Median of the last three samples. */
  rssEndMb: number;
  /** Resident memory at each whole second of the run, in MB. */
  rssEveryS: number[];
}

/**
 * Resident set size of a process in MB, from `ps` (Deno reads another process's `/proc` entries
 * only with --allow-all); NaN when it cannot be read.
 */
export async function residentMb(pid: number): Promise<number> {
  try {
    const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)] }).output();
    const kb = Number(new TextDecoder().decode(out.stdout).trim());
    return out.success && kb > 0 ? kb / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The site served from its build in a child process. */
export interface ServedSite {
  origin: string;
  pid: number;
  close(): Promise<void>;
}

/**
 * Starts `main.ts` on a free loopback port in a child process and waits until it answers.
 *
 * @returns Its origin, pid and a `close()`.
 */
export async function serveSite(): Promise<ServedSite> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const root = fileURLToPath(new URL("../", import.meta.url));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-read", "--allow-env", "main.ts"],
    cwd: root,
    env: { PORT: String(port), HOST: "127.0.0.1" },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${origin}/`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill();
      await child.status;
      throw new Error(`Cannot load-test the site as it did not answer on ${origin} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    origin,
    pid: child.pid,
    async close() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/** The median of `values[i - 1]`, `values[i]` and `values[i + 1]` (those that exist). */
function medianAround(values: number[], i: number): number {
  const near = values.slice(Math.max(0, i - 1), i + 2).sort((a, b) => a - b);
  return near[Math.floor(near.length / 2)];
}

const percentile = (sorted: Float64Array, q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * Runs the load.
 *
 * @param opts URL (or path, to serve the site for the run), seconds, connections.
 * @returns Requests per second, latency percentiles, errors and the server's memory.
 * @example
 * ```ts ignore
 * import { runLoad } from "./load.ts";
 * const r = await runLoad({ url: "/styles.css", seconds: 5, connections: 10 });
 * console.log(r.requestsPerSecond, r.p99Ms, r.errors);
 * ```
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (!(opts.seconds > 0) || !(opts.connections >= 1)) {
    throw new RangeError(
      `Cannot run a load test as seconds must be > 0 and connections >= 1: current values are ` +
        `${opts.seconds} and ${opts.connections}`,
    );
  }
  let served: ServedSite | undefined;
  let url = opts.url;
  let pid = opts.serverPid;
  if (url.startsWith("/")) {
    served = await serveSite();
    url = served.origin + url;
    pid = served.pid;
  }
  try {
    return await load(url, opts.seconds, opts.connections, pid);
  } finally {
    await served?.close();
  }
}

async function load(url: string, seconds: number, connections: number, pid?: number) {
  const rss = () => pid === undefined ? Promise.resolve(NaN) : residentMb(pid);
  // Warm up: the first requests fill caches (static bytes, module JIT); not counted.
  for (let i = 0; i < 20; i++) await (await fetch(url)).arrayBuffer();
  const rssEveryS: number[] = [await rss()];
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let running = true;
  const sampler = (async () => {
    for (let s = 1; s <= seconds; s++) {
      const wait = start + s * 1000 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      rssEveryS.push(await rss());
    }
  })();
  const client = async () => {
    while (running && performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
      } catch {
        errors++;
      }
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  running = false;
  const elapsed = (performance.now() - start) / 1000;
  await sampler;
  const sorted = latencies.slice(0, count).sort();
  return {
    url,
    seconds,
    connections,
    requests: count,
    requestsPerSecond: count / elapsed,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
    errors,
    rssStartMb: rssEveryS[0],
    rssAt10sMb: medianAround(rssEveryS, Math.min(10, rssEveryS.length - 2)),
    rssEndMb: medianAround(rssEveryS, rssEveryS.length - 2),
    rssEveryS,
  };
}

/** The limits: no errors, and under 5 MB of resident growth from the 10th second on. */
export const MAX_RSS_GROWTH_MB = 5;

/** A chapter page to load: the first chapter the home page links to. */
async function firstChapterPath(): Promise<string> {
  const site = await serveSite();
  try {
    const home = await (await fetch(`${site.origin}/`)).text();
    return /href="([^"]*\/chapters\/[^"#?]+)"/.exec(home)?.[1] ?? "/";
  } finally {
    await site.close();
  }
}

if (import.meta.main) {
  const seconds = Number(Deno.env.get("LOAD_SECONDS") ?? 30);
  const connections = Number(Deno.env.get("LOAD_CONNECTIONS") ?? 50);
  const paths = Deno.env.get("LOAD_PATHS")?.split(",") ??
    [await firstChapterPath(), "/styles.css"];
  let failed = false;
  for (const path of paths) {
    // A fresh server for each path, so that one run's garbage does not count against the next.
    const r = await runLoad({ url: path, seconds, connections });
    const growth = r.rssEndMb - r.rssAt10sMb;
    const ok = r.errors === 0 && growth < MAX_RSS_GROWTH_MB;
    failed ||= !ok;
    console.log(
      `${path}: ${r.requestsPerSecond.toFixed(0)} req/s over ${connections} connections for ` +
        `${seconds} s; p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, max ` +
        `${r.maxMs.toFixed(1)} ms; ${r.errors} errors; RSS ${r.rssStartMb.toFixed(1)} -> ` +
        `${r.rssAt10sMb.toFixed(1)} (10 s) -> ${r.rssEndMb.toFixed(1)} MB, growth after 10 s ` +
        `${growth.toFixed(2)} MB ${ok ? "ok" : "FAIL"}`,
    );
    console.log(`  RSS each second (MB): ${r.rssEveryS.map((m) => m.toFixed(0)).join(" ")}`);
  }
  if (failed) Deno.exit(1);
}
