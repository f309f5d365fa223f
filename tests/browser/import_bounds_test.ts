/**
 * Issue 21: importing a bad model file into TrainAndSample says why and leaves the demo as it was
 * (a file with `"layers": 1000000`, 2,000,000 drawn values, NaN weights or `"step": 1e308` used to
 * leave it loading forever, or load silently). The checks are `parseSavedRun`'s; this shows the
 * page uses them. Run `deno task build` first.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { getBook } from "../../lib/site/book.ts";
import { DEFAULT_CONFIG } from "../../lib/demo/config.ts";
import { SAVED_RUN_FORMAT } from "../../lib/demo/saved_run.ts";
import { MODEL_FORMAT } from "../../engine/model_check.ts";
import { denoiserConfig } from "../../engine/denoiser.ts";
import { startSession, waitHydrated } from "./harness.ts";

const ISLAND = ".train-sample";
const modelConfig = denoiserConfig({ parameterisation: "eps", T: 100, seed: 1, hidden: 64 });
const run = (over: Record<string, unknown>, model: Record<string, unknown> = {}) => ({
  format: SAVED_RUN_FORMAT,
  config: DEFAULT_CONFIG,
  step: 10,
  savedAt: "2026-01-01T00:00:00.000Z",
  model: JSON.stringify({ format: MODEL_FORMAT, config: modelConfig, weights: {}, ...model }),
  ...over,
});
const NAN = btoa("\x00\x00\xc0\x7f");
const BAD: [string, unknown, RegExp][] = [
  ["layers", run({}, { config: { ...modelConfig, layers: 1_000_000 } }), /layers must be/],
  [
    "points",
    run({ config: { ...DEFAULT_CONFIG, dataset: "drawn" }, points: new Array(2e6).fill(0.5) }),
    /1 to 300 points/,
  ],
  ["weights", run({}, { weights: { "out/bias": NAN } }), /must hold finite numbers/],
  ["step", run({ step: 1e308 }), /step must be a whole number/],
];

Deno.test("TrainAndSample: a bad model file is refused with its reason; Train stays usable", async () => {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === "TrainAndSample")
  )!;
  const session = await startSession();
  try {
    const page = await session.browser.newPage();
    page.on("pageerror", (e) => session.errors.push(e.message));
    await page.goto(`${session.base}/chapters/${chapter.slug}`, { waitUntil: "load" });
    await waitHydrated(page, ISLAND, 90_000);
    const island = page.locator(ISLAND).first();
    const status = await island.getAttribute("data-status");
    for (const [name, file, reason] of BAD) {
      await island.locator("[data-testid=import]").setInputFiles({
        name: `${name}.json`,
        mimeType: "application/json",
        buffer: Buffer.from(JSON.stringify(file)),
      });
      // the runtime's saved-models bar shows what loading said (lib/demo/saved_models.tsx)
      const message = island.locator("[data-testid=store-message]");
      await message.filter({ hasText: reason }).waitFor({ timeout: 20_000 });
      assert.match((await message.textContent()) ?? "", /^Cannot load the saved model as /, name);
      assert.equal(await island.getAttribute("data-status"), status, `${name}: status kept`);
      assert.ok(await island.locator("[data-testid=train]").isEnabled(), `${name}: Train usable`);
    }
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});
