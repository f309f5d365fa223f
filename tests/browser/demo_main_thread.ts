/**
 * The page's main-thread tasks from a Chromium trace, with the CPU time each spent. A long-task
 * observer measures wall time, and on a shared machine (load average 10 on 2 cores) a task that
 * uses 5 ms of CPU can take 150 ms of wall time while the thread waits for a core: the trace's
 * thread time (`tdur`) tells a task that blocks the page from one that was only descheduled.
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";

/** One main-thread task: its wall time and the CPU time its thread spent in it. */
export interface MainThreadTask {
  wallMs: number;
  cpuMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * The renderer main thread's top-level tasks longer than `overMs` of wall time, from a trace
 * (Chromium's JSON trace format, `toplevel` category).
 *
 * @param trace The trace's JSON text.
 * @param overMs Wall time a task must exceed.
 * @returns The tasks, in trace order.
 * @example
 * ```ts
 * import { longMainThreadTasks } from "./demo_main_thread.ts";
 * const trace = JSON.stringify({ traceEvents: [
 *   { name: "thread_name", ph: "M", pid: 1, tid: 1, args: { name: "CrRendererMain" } },
 *   { name: "ThreadControllerImpl::RunTask", ph: "X", pid: 1, tid: 1, dur: 90_000, tdur: 4_000 },
 *   { name: "ThreadControllerImpl::RunTask", ph: "X", pid: 1, tid: 1, dur: 10_000, tdur: 9_000 },
 *   { name: "ThreadControllerImpl::RunTask", ph: "X", pid: 1, tid: 2, dur: 99_000, tdur: 99_000 },
 * ] });
 * const tasks = longMainThreadTasks(trace, 50);
 * if (tasks.length !== 1 || tasks[0].cpuMs !== 4) throw new Error(JSON.stringify(tasks));
 * ```
 */
export function longMainThreadTasks(trace: string, overMs: number): MainThreadTask[] {
  const parsed = JSON.parse(trace) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(
    events.filter((e) => e.ph === "M" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = events.filter((e) =>
    e.ph === "X" && e.name === "ThreadControllerImpl::RunTask" && mains.has(`${e.pid}:${e.tid}`)
  );
  // The page's renderer is the main thread with the most tasks (others: about:blank, extensions).
  const count = new Map<string, number>();
  for (const e of tasks) count.set(`${e.pid}:${e.tid}`, (count.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const page = [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
  return tasks
    .filter((e) => `${e.pid}:${e.tid}` === page && (e.dur ?? 0) > overMs * 1000)
    .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
}

/**
 * Starts tracing the page's tasks; the returned function stops and gives those over `overMs`.
 *
 * @param browser The Chromium browser.
 * @param page The page to trace.
 * @returns Stops the trace and lists the long tasks.
 */
export async function traceMainThread(
  browser: Browser,
  page: Page,
): Promise<(overMs: number) => Promise<MainThreadTask[]>> {
  await browser.startTracing(page, { categories: ["toplevel"] });
  return async (overMs) => longMainThreadTasks((await browser.stopTracing()).toString(), overMs);
}
