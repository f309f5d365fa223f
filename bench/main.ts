/**
 * `deno task bench`: how fast the book trains, samples and serves, as a table and as JSON under
 * `bench/results/` (`latest.json`, or `only-<sections>.json` for a partial run, plus a timestamped
 * copy ignored by git as `.tmp`).
 *
 * Sections (all by default, or `--only=build,deno,browser,quality,pages,load,lighthouse,tests`):
 * - build: wall time of `deno task build` (into its own folder, which the other sections serve);
 * - deno: tfjs wasm and cpu under Deno; browser: webgl, wasm and cpu in headless Chromium's
 *   worker. Each: engine vs tutorial-style training at batch 256 and 2048, GFLOP/s against the
 *   backend's large matMul, sampling 1,000 points (DDIM-10, DDIM-50, DDPM-100);
 * - quality: seconds, steps and steps/s to MMD^2 < 2e-3 in the demo with Train pressed after a
 *   reader's few seconds in view, and the MMD^2 at the end of the step budget (each data set:
 *   median of `--runs` runs, each run listed); seconds with Train pressed cold; beside the peer's
 *   figure; and the swiss roll once per engine, Chromium, Firefox ESR and WebKitGTK
 *   (`bench/quality_engines.ts`: backend and steps/s per engine);
 * - pages: HTML bytes, JS before interaction and after scrolling the whole page (gzip), bytes
 *   after starting the demo, time to first byte;
 * - load: `bench/load.ts`, 30 s at 50 connections on a chapter and a hashed asset;
 * - lighthouse: Lighthouse 12 (npm, through npx) with mobile defaults on home and every chapter:
 *   performance (goal >= 95) and accessibility (goal 100), TBT, LCP, DOM size (bench/lighthouse.ts),
 *   medians of `--runs` runs, a run whose first paint headless Chromium withheld long after load
 *   listed but replaced (bench/lighthouse.ts PAINT_WITHHELD_MS); beside them HTML bytes, DOM elements and traced main-thread style+layout+paint time as a
 *   multiple of the home page's (bench/page_trace.ts), which do not move with the machine's load;
 * - tests: wall time of `deno task test`, only with `--test-time` (it takes over 10 minutes here;
 *   `--skip-test-time` is the default and is accepted).
 *
 * Other flags: `--full` (run the slow plain-JS CPU jobs too), `--runs=N` (timed runs per figure,
 * 3), `--load-seconds=S` (30), `--quality-timeout=S` (120), `--quality-datasets=a,b` (quality: the
 * demo's data sets to train, swissroll,moons,ring), `--skip-final` (quality: stop at the
 * threshold instead of training on to the end of the budget).
 *
 * @module
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../engine/backend.ts";
import { ensureChromium, startBenchBrowser } from "./browser.ts";
import { measureBackend, type SectionOptions } from "./backend_section.ts";
import { runJob } from "./jobs.ts";
import { formatTable, meets, type Row } from "./table.ts";
import { measureTimeToQuality, qualityRows } from "./quality.ts";
import { measureQualityPerEngine } from "./quality_engines.ts";
import { measurePageCost } from "./page_cost.ts";

const SECTIONS = [
  "build",
  "deno",
  "browser",
  "quality",
  "pages",
  "load",
  "lighthouse",
  "tests",
] as const;
const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    only: { type: "string" },
    full: { type: "boolean", default: false },
    runs: { type: "string", default: "3" },
    "test-time": { type: "boolean", default: false },
    "skip-test-time": { type: "boolean", default: false },
    "load-seconds": { type: "string", default: "30" },
    "quality-timeout": { type: "string", default: "120" },
    "skip-final": { type: "boolean", default: false },
    "quality-datasets": { type: "string", default: "swissroll,moons,ring" },
  },
});
const only = new Set(flags.only ? flags.only.split(",") : SECTIONS);
for (const s of only) {
  if (!(SECTIONS as readonly string[]).includes(s)) {
    throw new RangeError(
      `Cannot run section ${s} as it is not one of ${SECTIONS.join(", ")}: current value is ${s}`,
    );
  }
}
const withTests = flags["test-time"] && !flags["skip-test-time"];
const opts: SectionOptions = {
  runs: Number(flags.runs),
  runMs: 600,
  full: flags.full,
  samplingBudgetS: 20,
};

const rows: Row[] = [];
const raw: Record<string, unknown> = {};
const started = performance.now();
const log = (text: string) =>
  console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0)} s] ${text}`);

async function timeCommand(args: string[], env: Record<string, string>) {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - t0) / 1000;
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { seconds, success: out.success, tail: text.trim().split("\n").slice(-3).join(" / ") };
}

// 1. Build (its own folder, served by the other sections).
const buildFolder = Deno.env.get("BENCH_BUILD_DIR") ??
  await Deno.makeTempDir({ prefix: "bench-build-" });
const needBuild = only.has("build") ||
  ["browser", "quality", "pages", "load", "lighthouse"].some((s) => only.has(s));
if (needBuild) {
  log(`building into ${buildFolder}`);
  const b = await timeCommand(["task", "build"], { BUILD_DIR: buildFolder });
  raw.build = b;
  if (!b.success) throw new Error(`Cannot benchmark as the build failed: ${b.tail}`);
  rows.push({
    section: "build",
    name: "deno task build",
    value: b.seconds,
    unit: "s",
    note: "1 run",
  });
}
Deno.env.set("BUILD_DIR", buildFolder);

// 2. Under Deno.
if (only.has("deno")) {
  for (const backend of ["wasm", "cpu"] as const) {
    log(`deno/${backend}`);
    await initBackend([backend]);
    const r = await measureBackend(
      `deno/${backend}`,
      tf.getBackend(),
      runJob as <T>(
        job: Parameters<typeof runJob>[0],
      ) => Promise<T>,
      opts,
    );
    rows.push(...r.rows);
    raw[`deno/${backend}`] = r.raw;
  }
}

// 3-5. Chromium.
const browserSections = ["browser", "quality", "pages"].filter((s) => only.has(s));
if (browserSections.length) {
  const chromium = await ensureChromium();
  if (!chromium.path) {
    console.error(`Chromium rows skipped: ${chromium.reason}`);
    rows.push({
      section: "chromium",
      name: browserSections.join(", "),
      value: "skipped",
      unit: "",
      note: chromium.reason,
    });
  } else {
    const bench = await startBenchBrowser(chromium.path);
    try {
      if (only.has("browser")) {
        for (const backend of ["webgl", "wasm", "cpu"] as const) {
          log(`chromium/${backend}`);
          let b;
          try {
            b = await bench.backend(backend);
          } catch (error) {
            rows.push({
              section: `chromium/${backend}`,
              name: "backend",
              value: "did not start",
              unit: "",
              note: (error as Error).message.slice(0, 120),
            });
            continue;
          }
          try {
            const r = await measureBackend(`chromium/${backend}`, backend, b.run, opts);
            rows.push(...r.rows);
            raw[`chromium/${backend}`] = { info: b.info, ...r.raw };
          } finally {
            await b.close();
          }
        }
      }
      if (only.has("quality")) {
        log("time to quality");
        // Every data set runs `--runs` times: where the readout crosses the threshold depends on
        // when the worker happens to score, and the machine is shared.
        const runs = Math.max(1, opts.runs);
        const datasets = flags["quality-datasets"].split(",");
        const q = await measureTimeToQuality(
          bench.browser,
          datasets.flatMap((d) => Array(runs).fill(d)),
          Number(flags["quality-timeout"]),
          !flags["skip-final"],
        );
        // The same data sets with Train pressed as soon as the demo hydrates: the cold figure.
        const cold = await measureTimeToQuality(
          bench.browser,
          datasets.flatMap((d) => Array(runs).fill(d)),
          Number(flags["quality-timeout"]),
          false,
          0,
        );
        raw.quality = [...q, ...cold];
        rows.push(...qualityRows([...q, ...cold]));
      }
      if (only.has("pages")) {
        log("page cost");
        const pages = await measurePageCost(bench.browser);
        raw.pages = pages;
        for (const p of pages) {
          const demo = p.islands.length > 0;
          const goal = demo ? "<= 30000" : "<= 0";
          rows.push(
            {
              section: `page ${p.slug}`,
              name: "HTML",
              value: p.htmlBytes,
              unit: "B",
              note: `${p.htmlGzipBytes} B gzip`,
            },
            {
              section: `page ${p.slug}`,
              name: "JS before interaction (gzip)",
              value: p.initialJsGzipBytes,
              unit: "B",
              goal,
              ok: meets(p.initialJsGzipBytes, goal),
              note: `${p.initialJsFiles} files; demos: ${p.islands.join(", ") || "none"}`,
            },
            {
              section: `page ${p.slug}`,
              name: "JS after scrolling the whole page (gzip)",
              value: p.scrolledJsGzipBytes,
              unit: "B",
              note: `${p.scrolledJsFiles} files; every island hydrated, charts drawn`,
            },
            {
              section: `page ${p.slug}`,
              name: "TTFB (cached)",
              value: p.ttfbMs,
              unit: "ms",
              note: "median of 30",
            },
          );
          if (p.demoBytes !== undefined) {
            rows.push({
              section: `page ${p.slug}`,
              name: "after starting the demo",
              value: p.demoBytes,
              unit: "B",
              note: `${p.demoGzipBytes} B gzip (worker + tfjs WASM)`,
            });
          }
        }
      }
    } finally {
      await bench.close();
    }
  }
}

// Time to quality in each engine (Chromium, Firefox ESR, WebKitGTK): backend and steps/s per engine.
if (only.has("quality")) {
  log("time to quality per engine");
  const q = await measureQualityPerEngine(Number(flags["quality-timeout"]));
  raw.qualityPerEngine = q.raw;
  rows.push(...q.rows);
}

// 6. Server throughput (bench/load.ts, written for issue 8): wrk when it can be had (the JSON and
// the note name the client and the content codings answered), else the fetch loop.
if (only.has("load")) {
  log("load");
  const { runLoad, serveSite, MAX_RSS_GROWTH_MB } = await import("./load.ts");
  const site = await serveSite();
  try {
    const manifest = JSON.parse(await Deno.readTextFile(`${buildFolder}/manifest.json`));
    const home = await (await fetch(`${site.origin}/`)).text();
    const chapter = /href="([^"]*\/chapters\/[^"#?]+)"/.exec(home)?.[1] ?? "/";
    const load: unknown[] = [];
    for (const path of [chapter, manifest.boot as string]) {
      const r = await runLoad({
        url: site.origin + path,
        seconds: Number(flags["load-seconds"]),
        connections: 50,
        serverPid: site.pid,
      });
      load.push(r);
      const growth = r.rssEndMb - r.rssAt10sMb;
      const what = path === chapter ? "chapter" : "hashed asset";
      rows.push(
        {
          section: `load ${what}`,
          name: "req/s (50 conns)",
          value: r.requestsPerSecond,
          unit: "req/s",
          goal: path === chapter ? ">= 3000" : undefined,
          ok: path === chapter ? meets(r.requestsPerSecond, ">= 3000") : undefined,
          note: `${path}, ${r.seconds} s, ${r.client}, ${
            Object.keys(r.encodings).join("+")
          } (Accept-Encoding: ${r.acceptEncoding})`,
        },
        {
          section: `load ${what}`,
          name: "p99 latency",
          value: r.p99Ms,
          unit: "ms",
          note: `p50 ${r.p50Ms.toFixed(2)} ms`,
        },
        {
          section: `load ${what}`,
          name: "errors",
          value: r.errors,
          unit: "",
          goal: "<= 0",
          ok: r.errors === 0,
        },
        {
          section: `load ${what}`,
          name: "RSS growth after 10 s",
          value: growth,
          unit: "MB",
          goal: `<= ${MAX_RSS_GROWTH_MB}`,
          ok: growth <= MAX_RSS_GROWTH_MB,
          note: `${r.rssStartMb.toFixed(1)} -> ${r.rssEndMb.toFixed(1)} MB`,
        },
      );
    }
    raw.load = load;
  } finally {
    await site.close();
  }
}

// 7. Lighthouse (issue 17), mobile defaults, one page at a time; scores move with the machine's
// load (the note gives the load average), so compare runs made on a quiet machine.
if (only.has("lighthouse")) {
  log("lighthouse");
  const { lighthousePaths, measureLighthouse, runLine, LIGHTHOUSE } = await import(
    "./lighthouse.ts"
  );
  const results = await measureLighthouse(await lighthousePaths(), opts.runs);
  raw.lighthouse = results;
  const load = Deno.loadavg()[0].toFixed(1);
  for (const r of results) {
    const section = `lighthouse ${r.path}`;
    rows.push(
      {
        section,
        name: `performance (mobile, median of ${r.counted})`,
        value: r.performance,
        unit: "",
        goal: ">= 95",
        ok: meets(r.performance, ">= 95"),
        note: `medians TBT ${r.tbtMs} ms, LCP ${r.lcpMs} ms, ${r.domNodes} DOM nodes, ` +
          `${(r.htmlBytes / 1024).toFixed(0)} KiB HTML; runs ${runLine(r.runs)}; ${LIGHTHOUSE}, ` +
          `load average ${load}`,
      },
      {
        section,
        name: "accessibility",
        value: r.accessibility,
        unit: "",
        goal: ">= 100",
        ok: meets(r.accessibility, ">= 100"),
        note: r.failedA11y.join(", ") || "no failed audit",
      },
    );
    // load-independent figures beside the scores (bench/page_trace.ts): sizes, and main-thread
    // rendering time as a multiple of the home page's in the same run
    const c = r.cost;
    if (!c) continue;
    const home = results[0]?.cost;
    const rendering = (x: typeof c) => x.styleMs + x.layoutMs + x.paintMs;
    rows.push(
      {
        section,
        name: "page size",
        value: c.domNodes,
        unit: "elements",
        note: `${(c.htmlBytes / 1024).toFixed(0)} KiB of HTML`,
      },
      {
        section,
        name: "style+layout+paint vs home",
        value: home ? Number((rendering(c) / rendering(home)).toFixed(1)) : "n/a",
        unit: "x",
        note: `style ${c.styleMs.toFixed(0)} + layout ${c.layoutMs.toFixed(0)} + paint ` +
          `${c.paintMs.toFixed(0)} ms; main thread ${c.totalMs.toFixed(0)} ms, longest task ` +
          `${c.longestTaskMs.toFixed(0)} ms (traced, best of 3 loads); load average ${load}`,
      },
    );
  }
}

// 8. Test suite.
if (only.has("tests")) {
  if (withTests) {
    log("deno task test");
    const t = await timeCommand(["task", "test"], { BUILD_DIR: buildFolder });
    raw.tests = t;
    rows.push({
      section: "tests",
      name: "deno task test",
      value: t.seconds,
      unit: "s",
      note: `${t.success ? "passed" : "FAILED"}: ${t.tail.slice(0, 80)}`,
    });
  } else {
    rows.push({
      section: "tests",
      name: "deno task test",
      value: "skipped",
      unit: "",
      note: "over 10 minutes here; --test-time measures it",
    });
  }
}
if (!Deno.env.get("BENCH_BUILD_DIR")) await Deno.remove(buildFolder, { recursive: true });

const table = formatTable(rows);
console.log(table);
const totalS = (performance.now() - started) / 1000;
console.log(
  `\n${rows.filter((r) => r.ok === false).length} goals missed; total ${totalS.toFixed(0)} s`,
);
const result = {
  date: new Date().toISOString(),
  deno: Deno.version.deno,
  cpus: navigator.hardwareConcurrency,
  loadAverage: Deno.loadavg(),
  flags,
  totalSeconds: totalS,
  rows,
  raw,
  table,
};
await Deno.mkdir(`${ROOT}/bench/results`, { recursive: true });
const json = JSON.stringify(result, null, 1);
// A partial run (--only) does not overwrite the full run's latest.json.
const name = flags.only ? `only-${[...only].join("-")}` : "latest";
await Deno.writeTextFile(`${ROOT}/bench/results/${name}.json`, json);
await Deno.writeTextFile(
  `${ROOT}/bench/results/${result.date.replace(/[:.]/g, "-")}.json.tmp`,
  json,
);
