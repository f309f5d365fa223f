/**
 * Lighthouse (npm `lighthouse@12.2.3` through `npx`, with the Debian Chromium; Lighthouse 13 needs
 * Node 22) on every chapter and the home page, mobile defaults (simulated 4x CPU slowdown and a
 * slow 4G network): performance and accessibility scores, TBT, LCP and the DOM's size. Beside
 * them, the figures that do not move with the machine's load (`page_trace.ts`): HTML bytes, DOM
 * elements, and main-thread style, layout and paint time as a ratio to the home page's.
 *
 * Run alone with `deno task bench --only=lighthouse`, or directly:
 * `deno run --allow-all bench/lighthouse.ts [slug...]` (serves `BUILD_DIR`, default `_build`).
 *
 * @module
 */
import { findChromium } from "../tests/browser/chromium.ts";
import { serveLoggedSite } from "./site_server.ts";
import { type PageCost, tracePages } from "./page_trace.ts";

/** The Lighthouse release this section runs (12.x is the last that runs under Node 20). */
export const LIGHTHOUSE = "lighthouse@12.2.3";

/** One page's figures. */
export interface LighthouseResult {
  path: string;
  performance: number;
  accessibility: number;
  /** Total blocking time, ms. */
  tbtMs: number;
  /** Largest contentful paint, ms. */
  lcpMs: number;
  /** Elements in the DOM. */
  domNodes: number;
  /** Audits that failed accessibility, by id. */
  failedA11y: string[];
  /** The page's traced costs (the same server, after Lighthouse), when measured. */
  cost?: PageCost;
}

interface LhAudit {
  score: number | null;
  numericValue?: number;
  scoreDisplayMode?: string;
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
 * @returns scores (0–100), TBT, LCP, DOM size and the failed accessibility audits
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
export function summarise(path: string, report: LhReport): LighthouseResult {
  const score = (c: string) => Math.round((report.categories[c]?.score ?? 0) * 100);
  const value = (id: string) => Math.round(report.audits[id]?.numericValue ?? NaN);
  return {
    path,
    performance: score("performance"),
    accessibility: score("accessibility"),
    tbtMs: value("total-blocking-time"),
    lcpMs: value("largest-contentful-paint"),
    domNodes: value("dom-size"),
    failedA11y: (report.categories.accessibility?.auditRefs ?? [])
      .filter((a) => a.weight > 0 && report.audits[a.id]?.score === 0)
      .map((a) => a.id),
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
 * Lighthouse on each path of the site served from the build folder, one page at a time, then a
 * traced load of each ({@linkcode tracePages}).
 *
 * @param paths site paths, e.g. `/chapters/vdm`
 * @returns one result per path
 */
export async function measureLighthouse(paths: readonly string[]): Promise<LighthouseResult[]> {
  const chrome = findChromium();
  if (!chrome) throw new Error("Cannot run Lighthouse as Chromium was not found");
  const site = await serveLoggedSite();
  site.logging = false;
  try {
    const results: LighthouseResult[] = [];
    for (const path of paths) {
      results.push(summarise(path, await runLighthouse(site.base + path, chrome)));
    }
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
  const paths = Deno.args.length > 0
    ? Deno.args.map((s) => (s.startsWith("/") ? s : `/chapters/${s}`))
    : await lighthousePaths();
  const results = await measureLighthouse(paths);
  console.log(`load average ${Deno.loadavg()[0].toFixed(1)}`);
  for (const r of results) {
    console.log(
      `${r.path}\tperf ${r.performance}\ta11y ${r.accessibility}\tTBT ${r.tbtMs} ms\t` +
        `LCP ${r.lcpMs} ms\tDOM ${r.domNodes}\t${r.failedA11y.join(",")}`,
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
