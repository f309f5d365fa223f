/**
 * Load under abuse (issue 21), against the site served as `deno task start` serves it
 * (`serveSite()` from `load.ts`, a child process, so its memory is its own):
 *
 * - **Host flood**: `hosts` requests for one chapter, each with its own `Host: h<i>.evil.example`.
 *   The page cache is keyed on the page, not the Host, so after the first they are cache hits: the
 *   median time of a flood request should be that of a repeated request to one Host, and the
 *   server's resident memory should stay flat.
 * - **Slow clients**: `count` connections that send a request head one byte every `everyMs`, while
 *   a `fetch` loop measures normal requests; the guard closes each trickler at its header timeout.
 *   Reports normal-request p50/p99 without and with the tricklers, how many tricklers were closed
 *   and after how long, and memory and open descriptors before and after.
 *
 * @module
 */
import net from "node:net";
import { residentMb, serveSite } from "./load.ts";

/** Milliseconds each of `n` sequential raw GETs took, each with the Host `hostOf(i)`. */
async function rawTimes(
  port: number,
  path: string,
  n: number,
  hostOf: (i: number) => string,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const status = await new Promise<number>((resolve) => {
      let head = "";
      const socket = net.connect(port, "127.0.0.1", () =>
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: ${hostOf(i)}\r\nAccept-Encoding: gzip, br\r\n` +
            "Connection: close\r\n\r\n",
        ));
      socket.on("data", (d: Buffer) => {
        if (head.length < 16) head += d.toString("latin1");
      });
      socket.on("close", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
      socket.on("error", () => {});
    });
    if (status !== 200) {
      throw new Error(`Cannot flood as ${path} answered ${status} (request ${i})`);
    }
    times.push(performance.now() - t0);
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const settle = () => new Promise((r) => setTimeout(r, 2000));

/** What the Host flood measured. */
export interface HostFloodResult {
  hosts: number;
  /** Median ms of a request with a new Host each time. */
  floodMedianMs: number;
  /** Median ms of a request repeated with one Host (a cache hit). */
  sameHostMedianMs: number;
  rssBeforeMb: number;
  /** After `hosts` requests with one Host (the control). */
  rssAfterSameMb: number;
  /** After `hosts` more, each with its own Host. */
  rssAfterMb: number;
}

/**
 * The Host flood.
 *
 * @param path The chapter to ask for.
 * @param hosts How many distinct Hosts.
 */
export async function hostFlood(path: string, hosts = 300): Promise<HostFloodResult> {
  const site = await serveSite();
  try {
    const port = Number(new URL(site.origin).port);
    await rawTimes(port, path, 20, () => "warm.example"); // the first render, JIT
    await settle();
    const rssBeforeMb = await residentMb(site.pid);
    await rawTimes(port, path, hosts, () => "same.example"); // the control: one Host
    await settle();
    const rssAfterSameMb = await residentMb(site.pid);
    await rawTimes(port, path, hosts, (i) => `h${i}.evil.example`);
    await settle();
    const rssAfterMb = await residentMb(site.pid);
    const flood: number[] = [];
    const same: number[] = [];
    for (let i = 0; i < hosts; i++) { // timed interleaved, so that the machine's load falls on both
      flood.push(...await rawTimes(port, path, 1, () => `t${i}.evil.example`));
      same.push(...await rawTimes(port, path, 1, () => "same.example"));
    }
    return {
      hosts,
      floodMedianMs: median(flood),
      sameHostMedianMs: median(same),
      rssBeforeMb,
      rssAfterSameMb,
      rssAfterMb,
    };
  } finally {
    await site.close();
  }
}

/** What the slow-client run measured. */
export interface SlowClientsResult {
  count: number;
  everyMs: number;
  /** Normal requests (a fetch loop, 2 at a time) before the tricklers and while they are open. */
  alone: { p50Ms: number; p99Ms: number; requests: number };
  withTricklers: { p50Ms: number; p99Ms: number; requests: number };
  /** Tricklers the server closed within the run, and the longest one was held (ms). */
  closed: number;
  longestHeldMs: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  /** The server's open descriptors before and with the tricklers (NaN where unreadable). */
  fdsBefore: number;
  fdsWith: number;
}

async function openFds(pid: number): Promise<number> {
  try {
    return (await Array.fromAsync(Deno.readDir(`/proc/${pid}/fd`))).length;
  } catch {
    return NaN;
  }
}

async function fetchLoop(url: string, ms: number, parallel = 2) {
  const times: number[] = [];
  const end = performance.now() + ms;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      await (await fetch(url, { headers: { "accept-encoding": "gzip, br" } })).arrayBuffer();
      times.push(performance.now() - t0);
    }
  }));
  return { p50Ms: pct(times, 0.5), p99Ms: pct(times, 0.99), requests: times.length };
}

/**
 * Slow clients.
 *
 * @param path What the normal requests ask for.
 * @param count How many trickling connections.
 * @param seconds How long the tricklers trickle (the guard's header timeout is 10 s).
 * @param everyMs One header byte every this many ms.
 */
export async function slowClients(
  path: string,
  count = 100,
  seconds = 15,
  everyMs = 1000,
): Promise<SlowClientsResult> {
  const site = await serveSite();
  try {
    const port = Number(new URL(site.origin).port);
    const url = site.origin + path;
    await fetchLoop(url, 1000); // warm
    await settle();
    const rssBeforeMb = await residentMb(site.pid);
    const fdsBefore = await openFds(site.pid);
    const alone = await fetchLoop(url, 5000);
    const head = `GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ${"x".repeat(1000)}\r\n\r\n`;
    const start = performance.now();
    const held: number[] = [];
    const sockets = Array.from({ length: count }, () => {
      const socket = net.connect(port, "127.0.0.1");
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < head.length && !socket.destroyed) socket.write(head[sent++]);
      }, everyMs);
      socket.on("close", () => {
        clearInterval(timer);
        held.push(performance.now() - start);
      });
      socket.on("error", () => {});
      return { socket, timer };
    });
    await new Promise((r) => setTimeout(r, 500));
    const fdsWith = await openFds(site.pid);
    const withTricklers = await fetchLoop(url, 5000);
    const left = seconds * 1000 - (performance.now() - start);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    const closed = held.length;
    const longestHeldMs = closed ? Math.max(...held) : NaN;
    for (const { socket, timer } of sockets) {
      clearInterval(timer);
      socket.destroy();
    }
    await settle();
    return {
      count,
      everyMs,
      alone,
      withTricklers,
      closed,
      longestHeldMs,
      rssBeforeMb,
      rssAfterMb: await residentMb(site.pid),
      fdsBefore,
      fdsWith,
    };
  } finally {
    await site.close();
  }
}

/** One line each, for `deno task load`. */
export function describeAbuse(flood: HostFloodResult, slow: SlowClientsResult): string[] {
  return [
    `Host flood: ${flood.hosts} distinct Hosts, median ${flood.floodMedianMs.toFixed(2)} ms ` +
    `(one Host repeated: ${flood.sameHostMedianMs.toFixed(2)} ms); RSS ` +
    `${flood.rssBeforeMb.toFixed(1)} -> ${flood.rssAfterSameMb.toFixed(1)} MB after ` +
    `${flood.hosts} with one Host -> ${flood.rssAfterMb.toFixed(1)} MB after ${flood.hosts} ` +
    "distinct Hosts",
    `Slow clients: ${slow.count} sending a header byte every ${slow.everyMs} ms; normal requests ` +
    `p50/p99 ${slow.alone.p50Ms.toFixed(2)}/${slow.alone.p99Ms.toFixed(2)} ms alone, ` +
    `${slow.withTricklers.p50Ms.toFixed(2)}/${slow.withTricklers.p99Ms.toFixed(2)} ms with ` +
    `them; ${slow.closed}/${slow.count} closed by the server, the last after ` +
    `${(slow.longestHeldMs / 1000).toFixed(1)} s; descriptors ${slow.fdsBefore} -> ` +
    `${slow.fdsWith}; RSS ${slow.rssBeforeMb.toFixed(1)} -> ${slow.rssAfterMb.toFixed(1)} MB`,
  ];
}
