/**
 * Lighthouse (npm `lighthouse@12.2.3` through `npx`, with the Debian Chromium; Lighthouse 13 needs
 * Node 22) on every chapter and the home page, mobile defaults (simulated 4x CPU slowdown and a
 * slow 4G network): performance and accessibility scores, TBT, LCP and the DOM's size. Beside
 * them, the figures that do not move with the machine's load (`page_trace.ts`): HTML bytes, DOM
 * elements, and main-thread style, layout and paint time as a ratio to the home page's.
 *
 * Run alone with `deno task bench --only=lighthouse`, or directly:
 * `deno run --allow-all bench/lighthouse.ts [--runs=N] [slug...]` (serves `BUILD_DIR`, default
 * `_build`). Each page is scored `--runs` times (3 by default): the section reports the median
 * and every run's score, TBT, LCP, DOM size and HTML bytes.
 *
 * @module
 */
import { findChromium } from "../tests/browser/chromium.ts";
import { serveLoggedSite } from "./site_server.ts";
import { type PageCost, tracePages } from "./page_trace.ts";

/** The Lighthouse release this section runs (12.x is the last that runs under Node 20). */
export const LIGHTHOUSE = "lighthouse@12.2.3";

/** One Lighthouse run's figures for a page. */
export interface LighthouseRun {
  performance: number;
  accessibility: number;
  /** Total blocking time, ms. */
  tbtMs: number;
  /** Largest contentful paint, ms. */
  lcpMs: number;
  /** Elements in the DOM. */
  domNodes: number;
  /** The HTML document's bytes as Lighthouse loaded it (decoded; NaN when not reported). */
  htmlBytes: number;
  /**
   * How long after the page's load event its first contentful frame reached the screen (observed,
   * unthrottled; 0 when it painted before load). See {@linkcode PAINT_WITHHELD_MS}.
   */
  paintAfterLoadMs: number;
}

/**
 * A run whose first paint came this long after the page had loaded is marked withheld: headless
 * Chromium's compositor (viz) sometimes stops sending frames to a page that was busy loading
 * ("ThrottleUnresponsiveClient") and lets it draw again only a whole second or two later, on an
 * idle main thread (Lighthouse issue 17148; seen here as first paints at 1.2 and 2.2 s of pages
 * loaded by 0.15-0.45 s, on every page including the home page's 62 elements). Lantern then takes
 * that observed paint into its speed index (1.4 x the observed value), which costs a chapter up
 * to 2 points. Set-aside runs are still listed, and replaced while they are the exception; on
 * this machine a chapter's first paint is withheld in nearly every run (its long parse and first
 * layout keep the renderer from answering frames), and then every run counts
 * ({@linkcode combineRuns}).
 */
export const PAINT_WITHHELD_MS = 500;

/** Whether a run's first paint was withheld by the compositor ({@linkcode PAINT_WITHHELD_MS}). */
export function paintWithheld(run: LighthouseRun): boolean {
  return run.paintAfterLoadMs > PAINT_WITHHELD_MS;
}

/**
 * The runs of a page that are not withheld, when they are most of its runs (withheld runs are
 * then the exception and set aside); undefined when withholding is the page's normal case here.
 */
function cleanMajority<R extends LighthouseRun>(runs: readonly R[]): R[] | undefined {
  const clean = runs.filter((r) => !paintWithheld(r));
  return clean.length * 2 > runs.length ? clean : undefined;
}

/**
 * One page's figures: each {@linkcode LighthouseRun} figure is the median over its runs whose
 * first paint was not withheld when those are most of its runs (else over all runs), beside every
 * run.
 */
export interface LighthouseResult extends LighthouseRun {
  path: string;
  /** Audits that failed accessibility (in any run), by id. */
  failedA11y: string[];
  /** Each run, in order, withheld ones included ({@linkcode paintWithheld}). */
  runs: LighthouseRun[];
  /** How many runs the medians are taken over. */
  counted: number;
  /** The page's traced costs (the same server, after Lighthouse), when measured. */
  cost?: PageCost;
}

interface LhAudit {
  score: number | null;
  numericValue?: number;
  scoreDisplayMode?: string;
  details?: {
    items?: {
      resourceType?: string;
      resourceSize?: number;
      observedLoad?: number;
      observedFirstContentfulPaint?: number;
    }[];
  };
}
interface LhReport {
  categories: Record<string, { score: number; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, LhAudit>;
}

/**
 * The figures Lighthouse's JSON report gives for one page.
 *
 * @param path the page's path
 * @param report the parsed `--output=json` report
 * @returns scores (0–100), TBT, LCP, DOM size, HTML bytes and the failed accessibility audits
 * @example
 * ```ts
 * import { summarise } from "./lighthouse.ts";
 * const r = summarise("/x", {
 *   categories: {
 *     performance: { score: 0.97, auditRefs: [] },
 *     accessibility: { score: 0.93, auditRefs: [{ id: "color-contrast", weight: 7 }] },
 *   },
 *   audits: {
 *     "total-blocking-time": { score: 1, numericValue: 40 },
 *     "largest-contentful-paint": { score: 1, numericValue: 1800 },
 *     "dom-size": { score: 0, numericValue: 7000 },
 *     "color-contrast": { score: 0 },
 *   },
 * });
 * if (r.performance !== 97 || r.domNodes !== 7000 || r.failedA11y[0] !== "color-contrast") {
 *   throw new Error(JSON.stringify(r));
 * }
 * ```
 */
export function summarise(
  path: string,
  report: LhReport,
): LighthouseRun & { path: string; failedA11y: string[] } {
  const score = (c: string) => Math.round((report.categories[c]?.score ?? 0) * 100);
  const value = (id: string) => Math.round(report.audits[id]?.numericValue ?? NaN);
  const doc = report.audits["network-requests"]?.details?.items?.find((i) =>
    i.resourceType === "Document"
  );
  const observed = report.audits.metrics?.details?.items?.[0];
  return {
    path,
    performance: score("performance"),
    accessibility: score("accessibility"),
    tbtMs: value("total-blocking-time"),
    lcpMs: value("largest-contentful-paint"),
    domNodes: value("dom-size"),
    htmlBytes: doc?.resourceSize ?? NaN,
    paintAfterLoadMs: Math.max(
      0,
      Math.round((observed?.observedFirstContentfulPaint ?? 0) - (observed?.observedLoad ?? 0)),
    ),
    failedA11y: (report.categories.accessibility?.auditRefs ?? [])
      .filter((a) => a.weight > 0 && report.audits[a.id]?.score === 0)
      .map((a) => a.id),
  };
}

/**
 * The median of some numbers (the mean of the middle two for an even count).
 *
 * @param xs the numbers
 * @returns their median; NaN for none
 * @example
 * ```ts
 * import { median } from "./lighthouse.ts";
 * if (median([76, 97, 86]) !== 86 || median([1, 2, 3, 10]) !== 2.5) throw new Error("median");
 * ```
 */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * One page's result from its runs: each figure's median over the runs whose first paint was not
 * withheld ({@linkcode paintWithheld}) when those are most of the runs, else over all runs; every
 * run kept.
 *
 * @param path the page's path
 * @param runs its runs ({@linkcode summarise} of each report)
 * @returns the medians, the failed accessibility audits of any run, and the runs
 * @example
 * ```ts
 * import { combineRuns } from "./lighthouse.ts";
 * const run = (performance: number, tbtMs: number, paintAfterLoadMs = 0) => ({ performance,
 *   accessibility: 100, tbtMs, lcpMs: 1000, domNodes: 500, htmlBytes: 9000, paintAfterLoadMs,
 *   failedA11y: [] });
 * const r = combineRuns("/x", [run(76, 1257), run(97, 95), run(86, 573)]);
 * if (r.performance !== 86 || r.tbtMs !== 573 || r.runs.length !== 3 || r.runs[0].tbtMs !== 1257) {
 *   throw new Error(JSON.stringify(r));
 * }
 * // a run painted 2.1 s after its load is listed but not counted
 * const w = combineRuns("/x", [run(90, 50, 2100), run(97, 95), run(95, 120)]);
 * if (w.performance !== 96 || w.counted !== 2 || w.runs.length !== 3) throw new Error();
 * // but when most runs were withheld, all are counted: one clean run is not a median
 * const m = combineRuns("/x", [run(90, 50, 2100), run(93, 50, 1900), run(98, 95)]);
 * if (m.performance !== 93 || m.counted !== 3) throw new Error(JSON.stringify(m));
 * ```
 */
export function combineRuns(
  path: string,
  runs: readonly (LighthouseRun & { failedA11y: string[] })[],
): LighthouseResult {
  if (runs.length === 0) throw new RangeError(`Cannot combine runs of ${path} as there are none`);
  // where most runs of a page are withheld, that is its normal case, and one or two clean runs
  // would not be a median
  const counted = cleanMajority(runs) ?? runs;
  const mid = (f: (r: LighthouseRun) => number) => median(counted.map(f));
  return {
    path,
    performance: mid((r) => r.performance),
    accessibility: mid((r) => r.accessibility),
    tbtMs: mid((r) => r.tbtMs),
    lcpMs: mid((r) => r.lcpMs),
    domNodes: mid((r) => r.domNodes),
    htmlBytes: mid((r) => r.htmlBytes),
    paintAfterLoadMs: mid((r) => r.paintAfterLoadMs),
    failedA11y: [...new Set(runs.flatMap((r) => r.failedA11y))],
    counted: counted.length,
    runs: runs.map((r) => ({
      performance: r.performance,
      accessibility: r.accessibility,
      tbtMs: r.tbtMs,
      lcpMs: r.lcpMs,
      domNodes: r.domNodes,
      htmlBytes: r.htmlBytes,
      paintAfterLoadMs: r.paintAfterLoadMs,
    })),
  };
}

/**
 * Runs Lighthouse once on `url` with mobile defaults.
 *
 * @param url the page
 * @param chromePath the Chromium to drive
 * @returns the parsed JSON report
 */
export async function runLighthouse(url: string, chromePath: string): Promise<LhReport> {
  const out = await Deno.makeTempFile({ suffix: ".json" });
  try {
    const cmd = new Deno.Command("npx", {
      args: [
        "-y",
        LIGHTHOUSE,
        url,
        "--quiet",
        "--output=json",
        `--output-path=${out}`,
        "--only-categories=performance,accessibility",
        "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
      ],
      env: { CHROME_PATH: chromePath },
      stdout: "piped",
      stderr: "piped",
    });
    const r = await cmd.output();
    if (!r.success) {
      const tail = new TextDecoder().decode(r.stderr).trim().split("\n").slice(-3).join(" / ");
      throw new Error(`Cannot run ${LIGHTHOUSE} on ${url} as it exited ${r.code}: ${tail}`);
    }
    return JSON.parse(await Deno.readTextFile(out));
  } finally {
    await Deno.remove(out).catch(() => {});
  }
}

/**
 * Lighthouse `runs` times on each path of the site served from the build folder, one page at a
 * time (the pages in turn, so that a burst of load elsewhere spreads over pages rather than
 * sinking one), then again for a page with fewer than `runs` runs whose first paint was not
 * withheld ({@linkcode paintWithheld}) while those are most of its runs, at most `runs` more
 * times; then a traced load of each
 * ({@linkcode tracePages}).
 *
 * @param paths site paths, e.g. `/chapters/vdm`
 * @param runs Lighthouse runs per page (the result gives their medians and each run)
 * @returns one result per path
 */
export async function measureLighthouse(
  paths: readonly string[],
  runs = 3,
): Promise<LighthouseResult[]> {
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(
      `Cannot run Lighthouse as runs must be a whole number >= 1: current value is ${runs}`,
    );
  }
  const chrome = findChromium();
  if (!chrome) throw new Error("Cannot run Lighthouse as Chromium was not found");
  const site = await serveLoggedSite();
  site.logging = false;
  try {
    const each = paths.map(() => [] as ReturnType<typeof summarise>[]);
    for (let i = 0; i < runs; i++) {
      for (const [k, path] of paths.entries()) {
        each[k].push(summarise(path, await runLighthouse(site.base + path, chrome)));
      }
    }
    // a withheld run is replaced while withheld runs are the exception, up to `runs` more tries a
    // page (where they are the rule, every run counts and more runs would change nothing)
    for (let i = 0; i < runs; i++) {
      for (const [k, path] of paths.entries()) {
        const clean = cleanMajority(each[k]);
        if (clean === undefined || clean.length >= runs) continue;
        each[k].push(summarise(path, await runLighthouse(site.base + path, chrome)));
      }
    }
    const results = paths.map((path, k) => combineRuns(path, each[k]));
    const costs = await tracePages(site.base, paths);
    return results.map((r, i) => ({ ...r, cost: costs[i] }));
  } finally {
    await site.close();
  }
}

/** The pages measured: home and every chapter of the built book. */
export async function lighthousePaths(): Promise<string[]> {
  const { getBook } = await import("../lib/site/book.ts");
  const book = await getBook();
  return ["/", ...book.chapters.map((c) => `/chapters/${c.slug}`)];
}

if (import.meta.main) {
  const runsArg = Deno.args.find((a) => a.startsWith("--runs="));
  const slugs = Deno.args.filter((a) => !a.startsWith("--"));
  const paths = slugs.length > 0
    ? slugs.map((s) => (s.startsWith("/") ? s : `/chapters/${s}`))
    : await lighthousePaths();
  const results = await measureLighthouse(paths, runsArg ? Number(runsArg.slice(7)) : 3);
  console.log(`load average ${Deno.loadavg()[0].toFixed(1)}`);
  for (const r of results) {
    console.log(
      `${r.path}\tperf ${r.performance}\ta11y ${r.accessibility}\tTBT ${r.tbtMs} ms\t` +
        `LCP ${r.lcpMs} ms\tDOM ${r.domNodes}\t${r.failedA11y.join(",")}\t(medians; runs: ` +
        `${runLine(r.runs)})`,
    );
  }
  for (const line of costLines(results)) console.log(line);
}

/**
 * One line per page of the traced costs, main-thread times also as a multiple of the first page's
 * (the home page, traced in the same run).
 *
 * @param results pages with their `cost`, home first
 * @returns printable lines
 * @example
 * ```ts
 * import { costLines } from "./lighthouse.ts";
 * const cost = (path: string, k: number) => ({
 *   path, htmlBytes: 1000 * k, domNodes: 50 * k, styleMs: 2 * k, layoutMs: 3 * k, paintMs: k,
 *   totalMs: 10 * k, longestTaskMs: 5 * k,
 * });
 * const lines = costLines([{ cost: cost("/", 1) }, { cost: cost("/chapters/a", 4) }]);
 * if (!lines[1].includes("style+layout+paint 24 ms (x4.0)")) throw new Error(lines[1]);
 * ```
 */
export function costLines(results: readonly { cost?: PageCost }[]): string[] {
  const home = results[0]?.cost;
  const rendering = (c: PageCost) => c.styleMs + c.layoutMs + c.paintMs;
  const ratio = (x: number, y: number | undefined) => (y ? ` (x${(x / y).toFixed(1)})` : "");
  return results.flatMap(({ cost: c }) =>
    c
      ? [
        `${c.path}\tHTML ${(c.htmlBytes / 1024).toFixed(0)} KiB\t${c.domNodes} elements\t` +
        `style ${c.styleMs.toFixed(0)} + layout ${c.layoutMs.toFixed(0)} + paint ` +
        `${c.paintMs.toFixed(0)} = style+layout+paint ${rendering(c).toFixed(0)} ms` +
        `${ratio(rendering(c), home && rendering(home))}\tmain thread ${c.totalMs.toFixed(0)} ms` +
        `${ratio(c.totalMs, home?.totalMs)}\tlongest task ${c.longestTaskMs.toFixed(0)} ms`,
      ]
      : []
  );
}

/**
 * Each run of a page in a few words, for the table's note.
 *
 * @param runs the page's runs
 * @returns e.g. `86 (TBT 573 ms, LCP 1250 ms) / 97 (...)`
 * @example
 * ```ts
 * import { runLine } from "./lighthouse.ts";
 * const run = { performance: 86, accessibility: 100, tbtMs: 573, lcpMs: 1250, domNodes: 22034,
 *   htmlBytes: 932864, paintAfterLoadMs: 0 };
 * const line = runLine([run, { ...run, paintAfterLoadMs: 1840 }]);
 * const want = "86 (TBT 573 ms, LCP 1250 ms) / " +
 *   "86 (TBT 573 ms, LCP 1250 ms; first paint withheld to 1840 ms after load)";
 * if (line !== want) throw new Error(line);
 * ```
 */
export function runLine(runs: readonly LighthouseRun[]): string {
  return runs.map((r) =>
    `${r.performance} (TBT ${r.tbtMs} ms, LCP ${r.lcpMs} ms` +
    (paintWithheld(r) ? `; first paint withheld to ${r.paintAfterLoadMs} ms after load)` : ")")
  ).join(" / ");
}
