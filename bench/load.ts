/**
 * The load test (issue 7): N keep-alive connections on loopback for S seconds against one URL,
 * counting requests, errors and latency, while sampling the server's resident memory every second.
 * `deno task load` serves the built site in a child process (`main.ts`, as `deno task start` does)
 * and runs 30 s at 50 connections against a chapter page, then against a static asset
 * (`LOAD_SECONDS`, `LOAD_CONNECTIONS`, `LOAD_PATHS=/a,/b` and `LOAD_CLIENT=wrk|fetch` change that).
 *
 * Then (unless `LOAD_ABUSE=0`) the abuse runs of `abuse.ts` (issue 21): 300 requests for the chapter
 * with 300 distinct Hosts (cache hits, flat memory), and 100 clients trickling their headers while
 * normal requests are timed (the guard closes them; p99 and memory before and after).
 *
 * The client is `wrk` (Debian package; installed with `apt-get install -y wrk` when missing and
 * this process may), one thread (`-t1`: the machine has 2 cores, the server needs the other), with
 * the header a browser sends that changes the answer, `Accept-Encoding: gzip, deflate, br`. A small
 * Lua script counts every status other than 200 as an error (wrk itself counts only >= 400) and
 * which `Content-Encoding` came back. Where wrk cannot be had, the fallback is this file's own
 * generator: one `fetch` loop per connection (Deno's `fetch` keeps connections alive and pools
 * them, so 50 loops hold 50 sockets), which shares the CPU with the server and so measures less.
 * The result names the client that measured it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { describeAbuse, hostFlood, slowClients } from "./abuse.ts";

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
  /**
   * The load client: `wrk` (installed when missing, if this process may), `fetch` (this file's
   * own loop) or `auto` (wrk when it can be had, else fetch). Default `auto`.
   */
  client?: "auto" | "wrk" | "fetch";
}

/** The request header that a browser sends and that changes the answer. */
export const ACCEPT_ENCODING = "gzip, deflate, br";

/** What a run measured. Memory is the server's resident set size (NaN when its pid is unknown). */
export interface LoadResult {
  url: string;
  /** Who measured: `wrk 4.1.0 (-t1)` or `fetch loop`, and why when it is the fallback. */
  client: string;
  /** The `Accept-Encoding` sent with every request. */
  acceptEncoding: string;
  /** Responses by their `Content-Encoding` (`identity` when none). */
  encodings: Record<string, number>;
  seconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Failed requests: network errors, timeouts and any status other than 200. */
  errors: number;
  /** Bytes on the wire per second, in MB/s (wrk: headers and bodies; fetch: content-length). */
  transferMbPerS: number;
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

/** The wrk to use, or why there is none. */
export interface WrkFound {
  /** The executable, when found or installed. */
  path?: string;
  /** `wrk 4.1.0` and how it was had, or why it could not be. */
  reason: string;
}

async function findWrk(): Promise<string | undefined> {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin:/usr/local/bin").split(":")) {
    try {
      if ((await Deno.stat(`${dir}/wrk`)).isFile) return `${dir}/wrk`;
    } catch { /* not in this folder */ }
  }
  return undefined;
}

async function wrkVersion(path: string): Promise<string> {
  // `wrk -v` prints "wrk 4.1.0 [epoll] Copyright ..." and exits with status 1.
  const out = await new Deno.Command(path, { args: ["-v"], stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return /wrk \S+/.exec(text)?.[0] ?? "wrk";
}

/**
 * The `wrk` to load with: found on the PATH, else installed with `apt-get install -y wrk` (after
 * `apt-get update` if the first try fails) when this process may (root), else none with the reason,
 * as `bench/browser.ts` does for Chromium.
 *
 * @returns The executable and how it was found, or the reason there is none.
 * @example
 * ```ts ignore
 * import { ensureWrk } from "./load.ts";
 * const { path, reason } = await ensureWrk();
 * console.log(path ?? "no wrk", reason);
 * ```
 */
export async function ensureWrk(): Promise<WrkFound> {
  const found = await findWrk();
  if (found) return { path: found, reason: `${await wrkVersion(found)} (found ${found})` };
  const apt = async (args: string[]) =>
    await new Deno.Command("apt-get", {
      args,
      stdout: "piped",
      stderr: "piped",
      env: { DEBIAN_FRONTEND: "noninteractive" },
    }).output();
  try {
    let out = await apt(["install", "-y", "wrk"]);
    if (!out.success) {
      await apt(["update", "-qq"]);
      out = await apt(["install", "-y", "wrk"]);
    }
    const installed = await findWrk();
    if (out.success && installed) {
      return { path: installed, reason: `${await wrkVersion(installed)} (installed with apt-get)` };
    }
    const last = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1);
    return { reason: `apt-get install -y wrk failed: ${last}` };
  } catch (error) {
    return { reason: `no wrk and apt-get could not run: ${(error as Error).message}` };
  }
}

/**
 * Runs the load.
 *
 * @param opts URL (or path, to serve the site for the run), seconds, connections, client.
 * @returns Requests per second, latency percentiles, errors, the client and the server's memory.
 * @throws Error when `client: "wrk"` is asked for and wrk cannot be had.
 * @example
 * ```ts ignore
 * import { runLoad } from "./load.ts";
 * const r = await runLoad({ url: "/styles.css", seconds: 5, connections: 10 });
 * console.log(r.client, r.requestsPerSecond, r.p99Ms, r.errors);
 * ```
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (!(opts.seconds > 0) || !(opts.connections >= 1)) {
    throw new RangeError(
      `Cannot run a load test as seconds must be > 0 and connections >= 1: current values are ` +
        `${opts.seconds} and ${opts.connections}`,
    );
  }
  const wanted = opts.client ?? "auto";
  let wrk: WrkFound = { reason: "fetch asked for" };
  if (wanted !== "fetch") {
    wrk = await ensureWrk();
    if (wrk.path === undefined && wanted === "wrk") {
      throw new Error(`Cannot load with wrk as it cannot be had: ${wrk.reason}`);
    }
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
    const rss = () => pid === undefined ? Promise.resolve(NaN) : residentMb(pid);
    // Warm up: the first requests fill caches (page cache, compressed copies, JIT); not counted.
    for (let i = 0; i < 20; i++) {
      await (await fetch(url, { headers: { "accept-encoding": ACCEPT_ENCODING } })).arrayBuffer();
    }
    const rssEveryS: number[] = [await rss()];
    const start = performance.now();
    const sampler = (async () => {
      for (let s = 1; s <= opts.seconds; s++) {
        const wait = start + s * 1000 - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        rssEveryS.push(await rss());
      }
    })();
    const run = wrk.path
      ? await loadWithWrk(wrk.path, wrk.reason, url, opts.seconds, opts.connections)
      : await loadWithFetch(url, opts.seconds, opts.connections, `fetch loop (${wrk.reason})`);
    await sampler;
    return {
      url,
      seconds: opts.seconds,
      connections: opts.connections,
      acceptEncoding: ACCEPT_ENCODING,
      ...run,
      rssStartMb: rssEveryS[0],
      rssAt10sMb: medianAround(rssEveryS, Math.min(10, rssEveryS.length - 2)),
      rssEndMb: medianAround(rssEveryS, rssEveryS.length - 2),
      rssEveryS,
    };
  } finally {
    await served?.close();
  }
}

type ClientRun = Pick<
  LoadResult,
  | "client"
  | "encodings"
  | "requests"
  | "requestsPerSecond"
  | "p50Ms"
  | "p99Ms"
  | "maxMs"
  | "errors"
  | "transferMbPerS"
>;

/** The script that counts non-200 answers and encodings, and prints the JSON report. */
const WRK_SCRIPT = fileURLToPath(new URL("./wrk_report.lua", import.meta.url));

async function loadWithWrk(
  wrk: string,
  version: string,
  url: string,
  seconds: number,
  connections: number,
): Promise<ClientRun> {
  const args = [
    "-t1", // one thread: the server needs the other core
    `-c${connections}`,
    `-d${seconds}s`,
    "--latency",
    "--timeout",
    "10s",
    "-H",
    `Accept-Encoding: ${ACCEPT_ENCODING}`,
    "-s",
    WRK_SCRIPT,
    url,
  ];
  const out = await new Deno.Command(wrk, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  const line = text.split("\n").find((l) => l.startsWith("WRK_REPORT "));
  if (!out.success || line === undefined) {
    throw new Error(
      `Cannot read wrk's report as it exited with ${out.code} and printed: ` +
        (text + new TextDecoder().decode(out.stderr)).trim().slice(-500),
    );
  }
  const r = JSON.parse(line.slice("WRK_REPORT ".length));
  const elapsed = r.durationUs / 1e6;
  return {
    client: `${version.replace(/ \(.*$/, "")} -t1 -c${connections}`,
    encodings: r.encodings,
    requests: r.requests,
    requestsPerSecond: r.requests / elapsed,
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    maxMs: r.maxUs / 1000,
    // r.status (>= 400) is already among r.non200.
    errors: r.non200 + r.connect + r.read + r.write + r.timeout,
    transferMbPerS: r.bytes / elapsed / 1e6,
  };
}

async function loadWithFetch(
  url: string,
  seconds: number,
  connections: number,
  client: string,
): Promise<ClientRun> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  let bytes = 0;
  const encodings: Record<string, number> = {};
  const start = performance.now();
  const end = start + seconds * 1000;
  const headers = { "accept-encoding": ACCEPT_ENCODING };
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await fetch(url, { headers });
        await res.arrayBuffer(); // fetch decodes gzip and br itself
        if (res.status !== 200) errors++;
        const coding = res.headers.get("content-encoding") ?? "identity";
        encodings[coding] = (encodings[coding] ?? 0) + 1;
        bytes += Number(res.headers.get("content-length") ?? 0);
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
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - start) / 1000;
  const sorted = latencies.slice(0, count).sort();
  return {
    client,
    encodings,
    requests: count,
    requestsPerSecond: count / elapsed,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
    errors,
    transferMbPerS: bytes / elapsed / 1e6,
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
  const client = (Deno.env.get("LOAD_CLIENT") ?? "auto") as LoadOptions["client"];
  let failed = false;
  for (const path of paths) {
    // A fresh server for each path, so that one run's garbage does not count against the next.
    const r = await runLoad({ url: path, seconds, connections, client });
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
    const codings = Object.entries(r.encodings).map(([c, n]) => `${c} ${n}`).join(", ");
    console.log(
      `  client: ${r.client}; Accept-Encoding: ${r.acceptEncoding}; answered ${codings}; ` +
        `${r.transferMbPerS.toFixed(1)} MB/s`,
    );
    console.log(`  RSS each second (MB): ${r.rssEveryS.map((m) => m.toFixed(0)).join(" ")}`);
  }
  if (Deno.env.get("LOAD_ABUSE") !== "0") { // issue 21: a flood of Hosts, and slow clients
    const chapter = paths.find((p) => p.includes("/chapters/")) ?? await firstChapterPath();
    const flood = await hostFlood(chapter);
    const slow = await slowClients(chapter);
    for (const line of describeAbuse(flood, slow)) console.log(line);
    const floodOk = flood.floodMedianMs < 3 * flood.sameHostMedianMs + 1 &&
      flood.rssAfterMb - flood.rssAfterSameMb < 20;
    const slowOk = slow.closed === slow.count;
    console.log(`  Host flood ${floodOk ? "ok" : "FAIL"}; slow clients ${slowOk ? "ok" : "FAIL"}`);
    failed ||= !floodOk || !slowOk;
  }
  if (failed) Deno.exit(1);
}
