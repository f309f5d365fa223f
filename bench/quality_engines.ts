/**
 * Time to quality per browser engine: the swiss roll in the TrainAndSample demo, trained in
 * Chromium (Blink), Firefox ESR (Gecko) and WebKitGTK (WebKit) one after the other on the same
 * build, each until the demo's MMD² readout falls below the threshold (QUALITY.md). Each row names
 * the backend the page chose in that engine and its steps/s. Engines that are not installed get a
 * "skipped" row that says what to install. Drives the engines as tests/browser/engines_test.ts does.
 *
 * @module
 */
import { getBook, shownChapters } from "../lib/site/book.ts";
import { createSite } from "../main.ts";
import { launchEngine } from "../tests/browser/engine_page.ts";
import { ENGINE_NAMES, findEngine } from "../tests/browser/engines.ts";
import { type QualityRun, trainToQuality } from "../tests/browser/train_to_quality.ts";
import type { Row } from "./table.ts";

/** One engine's run, or why it did not run. */
export interface EngineQuality {
  engine: string;
  version?: string;
  run?: QualityRun;
  skipped?: string;
}

/**
 * Trains the swiss roll in each installed engine and returns the runs and their table rows.
 *
 * @param timeoutS Give up on an engine after this many seconds of training.
 * @returns The raw runs and one row per engine.
 */
export async function measureQualityPerEngine(
  timeoutS: number,
): Promise<{ raw: EngineQuality[]; rows: Row[] }> {
  const chapter = shownChapters(await getBook()).find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === "TrainAndSample")
  );
  if (!chapter) {
    throw new Error(
      "Cannot measure time to quality per engine as no chapter embeds TrainAndSample",
    );
  }
  const app = await createSite();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.handler());
  const raw: EngineQuality[] = [];
  try {
    for (const name of ENGINE_NAMES) {
      const lookup = findEngine(name);
      if (!lookup.found) {
        raw.push({ engine: name, skipped: `${lookup.missing} not found (${lookup.install})` });
        continue;
      }
      const browser = await launchEngine(
        name,
        lookup.paths,
        `http://127.0.0.1:${server.addr.port}`,
      );
      try {
        const run = await trainToQuality(
          browser.page,
          `/chapters/${chapter.slug}?dataset=swissroll`,
          timeoutS * 1000,
        );
        raw.push({ engine: name, version: browser.version, run });
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.shutdown();
  }
  return { raw, rows: raw.map(qualityRow) };
}

/**
 * The table row of one engine's run.
 *
 * @param q The run.
 * @returns A row of the `quality` section.
 *
 * @example
 * ```ts
 * import { qualityRow } from "./quality_engines.ts";
 * const row = qualityRow({
 *   engine: "firefox",
 *   version: "firefox/153.8.0",
 *   run: {
 *     reached: true, mmd2: 0.0013, step: 2465, seconds: 56.3, stepsPerSecond: 29.9,
 *     backend: "wasm — no WebGL here", threshold: 2e-3,
 *   },
 * });
 * if (row.value !== 56.3 || !row.note!.includes("29.9 steps/s; wasm")) throw new Error(row.note);
 * ```
 */
export function qualityRow(q: EngineQuality): Row {
  const name = `${q.engine}: swissroll s to MMD² < 2e-3`;
  if (!q.run) {
    return { section: "quality per engine", name, value: "skipped", unit: "", note: q.skipped };
  }
  const r = q.run;
  return {
    section: "quality per engine",
    name,
    value: r.reached ? r.seconds : `not reached (MMD² ${r.mmd2})`,
    unit: "s",
    note:
      `${q.version}; Train pressed once hydrated; step ${r.step}; ${r.stepsPerSecond} steps/s; ${r.backend}; 1 run`,
  };
}
