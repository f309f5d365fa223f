/**
 * Load-independent page costs, beside Lighthouse's scores (which move with the machine's load):
 * the HTML's size, the DOM's element count, and the renderer main thread's work while the page
 * loads, from a Chromium performance trace (style, layout, paint, total and the longest task).
 * Times still scale with the machine's speed, so the section reports them also as a ratio to the
 * home page traced in the same run.
 *
 * @module
 */
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "../tests/browser/chromium.ts";

/** One page's traced costs. */
export interface PageCost {
  path: string;
  /** The HTML document's bytes (decoded). */
  htmlBytes: number;
  /** Elements in the DOM after load (`document.getElementsByTagName("*")`). */
  domNodes: number;
  /** Main-thread milliseconds of style recalculation (`UpdateLayoutTree`). */
  styleMs: number;
  /** Main-thread milliseconds of layout (`Layout`). */
  layoutMs: number;
  /** Main-thread milliseconds of paint (`PrePaint`, `Paint`, `Layerize`, ...). */
  paintMs: number;
  /** Main-thread milliseconds of all top-level tasks. */
  totalMs: number;
  /** The longest top-level task, ms. */
  longestTaskMs: number;
}

/** A trace event (Chrome's JSON trace format), the fields read here. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

const STYLE = new Set(["UpdateLayoutTree", "RecalculateStyles"]);
const LAYOUT = new Set(["Layout"]);
const PAINT = new Set([
  "PrePaint",
  "Paint",
  "Layerize",
  "UpdateLayer",
  "CompositeLayers",
  "Commit",
]);
const TASK = new Set(["RunTask", "ThreadControllerImpl::RunTask"]);

/**
 * Sums a renderer main thread's work in a trace. The thread is the `CrRendererMain` with the most
 * layout time (the page's, not an about:blank's).
 *
 * @param events the trace's events
 * @returns milliseconds of style, layout, paint, all tasks, and the longest task
 * @example
 * ```ts
 * import { mainThreadWork } from "./page_trace.ts";
 * const ev = (name: string, dur: number, tid = 1) => ({ name, ph: "X", pid: 7, tid, dur });
 * const w = mainThreadWork([
 *   { name: "thread_name", ph: "M", pid: 7, tid: 1, args: { name: "CrRendererMain" } },
 *   ev("RunTask", 90_000), ev("UpdateLayoutTree", 30_000), ev("Layout", 50_000),
 *   ev("RunTask", 10_000), ev("Paint", 4_000), ev("Layout", 999_000, 2),
 * ]);
 * if (w.styleMs !== 30 || w.layoutMs !== 50 || w.paintMs !== 4 || w.totalMs !== 100 ||
 *   w.longestTaskMs !== 90) throw new Error(JSON.stringify(w));
 * ```
 */
export function mainThreadWork(events: readonly TraceEvent[]) {
  const mains = new Set(
    events.filter((e) =>
      e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain"
    )
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== "X" || !mains.has(key)) continue;
    byThread.set(key, [...(byThread.get(key) ?? []), e]);
  }
  const sum = (list: TraceEvent[], names: Set<string>) =>
    list.filter((e) => names.has(e.name)).reduce((t, e) => t + (e.dur ?? 0), 0) / 1000;
  let best = { styleMs: 0, layoutMs: 0, paintMs: 0, totalMs: 0, longestTaskMs: 0 };
  for (const list of byThread.values()) {
    const tasks = list.filter((e) => TASK.has(e.name)).map((e) => (e.dur ?? 0) / 1000);
    const w = {
      styleMs: sum(list, STYLE),
      layoutMs: sum(list, LAYOUT),
      paintMs: sum(list, PAINT),
      totalMs: tasks.reduce((a, b) => a + b, 0),
      longestTaskMs: Math.max(0, ...tasks),
    };
    if (w.layoutMs + w.styleMs >= best.layoutMs + best.styleMs) best = w;
  }
  return best;
}

/**
 * Loads `url` once in a fresh page at Lighthouse's mobile size (412×823, 1.75 device pixels)
 * with a trace running, and reports its costs.
 *
 * @param browser a launched Chromium
 * @param url the page
 * @param path the name to report
 * @returns the page's costs
 */
export async function tracePage(browser: Browser, url: string, path: string): Promise<PageCost> {
  const context = await browser.newContext({
    viewport: { width: 412, height: 823 },
    deviceScaleFactor: 1.75,
    isMobile: true,
  });
  try {
    const page = await context.newPage();
    await browser.startTracing(page, {
      categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel"],
    });
    const response = await page.goto(url, { waitUntil: "load" });
    // the first frames after load: paint of what is in view
    await page.evaluate(() =>
      new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
    );
    await page.waitForTimeout(500);
    const trace = JSON.parse(new TextDecoder().decode(await browser.stopTracing()));
    const htmlBytes = (await response?.body())?.byteLength ?? NaN;
    const domNodes = await page.evaluate(() => document.getElementsByTagName("*").length);
    const work = mainThreadWork(trace.traceEvents ?? trace);
    return { path, htmlBytes, domNodes, ...work };
  } finally {
    await context.close();
  }
}

/**
 * Traces each page (best of `runs` loads by total main-thread time, which is the least disturbed
 * by other work on the machine).
 *
 * @param base the site's origin
 * @param paths the pages
 * @param runs loads per page
 * @returns one result per path
 */
export async function tracePages(
  base: string,
  paths: readonly string[],
  runs = 3,
): Promise<PageCost[]> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("Cannot trace pages as Chromium was not found");
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    const out: PageCost[] = [];
    for (const path of paths) {
      let best: PageCost | undefined;
      for (let i = 0; i < runs; i++) {
        const r = await tracePage(browser, base + path, path);
        if (!best || r.totalMs < best.totalMs) best = r;
      }
      out.push(best!);
    }
    return out;
  } finally {
    await browser.close();
  }
}
