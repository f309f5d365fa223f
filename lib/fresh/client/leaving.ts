/**
 * Error reports that wait out a page being left. Firefox (Gecko) rejects a document's pending
 * dynamic `import()`s as soon as a navigation away starts (right after `beforeunload`, before
 * `pagehide`), with "error loading dynamically imported module"; Chromium and WebKit let them
 * settle quietly. An island that was still loading when the reader followed a link would then log
 * "Cannot hydrate island …" on a page that is going away. This holds such a report back: if the
 * page really unloads, its timers never run and nothing is logged; if the navigation was cancelled
 * (a download, a `beforeunload` prompt), the report is made after `delayMs`.
 *
 * @module
 */

/** The little of `window` this needs (a fake in tests). */
export interface LeavingWindow {
  addEventListener(type: "beforeunload" | "pageshow", listener: () => void): void;
  setTimeout(callback: () => void, ms: number): unknown;
}

/**
 * Wraps `report` so that a report made while the page is being left is delayed by `delayMs`.
 *
 * @param win The window: its `beforeunload` starts a leave, `pageshow` (back from the bfcache)
 *   ends it.
 * @param report Where reports go (e.g. `console.error`).
 * @param delayMs How long a report made while leaving waits (default 5 s).
 * @returns The wrapped reporter.
 *
 * @example
 * ```ts
 * import { quietWhileLeaving } from "./leaving.ts";
 * const listeners: Record<string, () => void> = {};
 * const timers: (() => void)[] = [];
 * const logged: string[] = [];
 * const report = quietWhileLeaving({
 *   addEventListener: (type, fn) => listeners[type] = fn,
 *   setTimeout: (fn) => timers.push(fn),
 * }, (message: string) => logged.push(message));
 * report("now");
 * listeners.beforeunload();
 * report("later");
 * if (logged.join() !== "now" || timers.length !== 1) throw new Error("held back while leaving");
 * ```
 */
export function quietWhileLeaving<A extends unknown[]>(
  win: LeavingWindow,
  report: (...args: A) => void,
  delayMs = 5000,
): (...args: A) => void {
  let leaving = false;
  win.addEventListener("beforeunload", () => leaving = true);
  win.addEventListener("pageshow", () => leaving = false);
  return (...args: A) => {
    if (!leaving) return report(...args);
    win.setTimeout(() => report(...args), delayMs);
  };
}
