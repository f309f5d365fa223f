/**
 * The one demo runtime in a real browser, as a learner uses it: Train after a pause or a finished
 * run goes on from the current step (Train more), a changed setting keeps the model until Train,
 * an imported model trains further, chapter 2's sampling demos use the Train demo's model, and a
 * lost WebGL context stops every training demo with a message, after which Reset and leaving the
 * page bring the tensor count back to the baseline. Short budgets (`?steps=`, `?trainsteps=`) keep
 * it quick. Run `deno task build` first, then `deno test -A tests/browser/demo_runtime_test.ts`.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession, waitHydrated, webglWorker } from "./harness.ts";

async function chapterOf(island: string): Promise<string> {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === island)
  );
  assert.ok(chapter, `No chapter embeds ${island}`);
  return `/chapters/${chapter.slug}`;
}

const inIsland = (page: Page, island: string, testid: string) =>
  page.locator(`${island} [data-testid=${testid}]`).first();
const text = async (page: Page, island: string, testid: string) =>
  (await inIsland(page, island, testid).textContent()) ?? "";
const step = async (page: Page, island: string) => Number(await text(page, island, "step"));
const status = (page: Page, island: string) =>
  page.locator(island).first().getAttribute("data-status");
const waitStatus = (page: Page, island: string, s: string, timeout = 300_000) =>
  page.locator(`${island}[data-status=${s}]`).first().waitFor({ timeout });

/** Tensors held and the baseline, from the control bar's data attributes. */
async function tensors(page: Page, island: string): Promise<[number, number]> {
  const bar = page.locator(`${island} .demo-train`).first();
  return [
    Number(await bar.getAttribute("data-tensors")),
    Number(await bar.getAttribute("data-baseline-tensors")),
  ];
}

const TRAIN = "figure[data-demo=TrainAndSample] .train-sample";

Deno.test("Train: a finished run trains more from its step, a changed setting keeps the model, an imported model trains further", async () => {
  const session = await startSession();
  try {
    const page = await session.open(
      `${await chapterOf("TrainAndSample")}?budget=60&T=20&backend=wasm`,
    );
    await waitHydrated(page, TRAIN);
    // Before training: the target data is drawn, and no developer words or NaN show.
    const painted = await inIsland(page, TRAIN, "samples").evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    assert.ok(painted > 2000, `the data set is drawn before training: ${painted} pixels`);
    const before = (await page.locator(TRAIN).textContent()) ?? "";
    assert.doesNotMatch(before, /NaN|not started|tensors \d/);

    await inIsland(page, TRAIN, "train").click();
    await waitStatus(page, TRAIN, "done");
    assert.equal(await step(page, TRAIN), 60);
    assert.equal(await text(page, TRAIN, "train"), "Train more");
    // Train more: from step 60 to 120, the same model.
    await inIsland(page, TRAIN, "train").click();
    await page.waitForFunction(
      (sel) => Number(document.querySelector(`${sel} [data-testid=step]`)?.textContent) > 60,
      TRAIN,
    );
    await waitStatus(page, TRAIN, "done");
    assert.equal(await step(page, TRAIN), 120);
    assert.match(await text(page, TRAIN, "mmd2"), /MMD² \d/);
    assert.match(await page.locator(`${TRAIN} .ts-readout`).textContent() ?? "", /at step 120/);

    // A change that needs a new model says so and keeps the model.
    await inIsland(page, TRAIN, "seed").fill("7");
    await inIsland(page, TRAIN, "seed").press("Enter");
    assert.match(await text(page, TRAIN, "changed"), /need a new model/);
    assert.equal(await step(page, TRAIN), 120, "the model stays until Train");
    assert.equal(await status(page, TRAIN), "done");

    // Export, then import into a fresh page: it loads at step 120 and trains on from there.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      inIsland(page, TRAIN, "export").click(),
    ]);
    const exported = await Deno.readTextFile((await download.path())!);
    const again = await session.open(`${await chapterOf("TrainAndSample")}?backend=wasm`);
    await waitHydrated(again, TRAIN);
    await inIsland(again, TRAIN, "import").setInputFiles({
      name: "run.json",
      mimeType: "application/json",
      buffer: Buffer.from(exported),
    });
    await waitStatus(again, TRAIN, "done");
    assert.equal(await step(again, TRAIN), 120);
    assert.match(await text(again, TRAIN, "message"), /Loaded a model saved at step 120/);
    assert.equal(await text(again, TRAIN, "train"), "Train more");
    await inIsland(again, TRAIN, "train").click();
    await page.waitForTimeout(100);
    await again.waitForFunction(
      (sel) => Number(document.querySelector(`${sel} [data-testid=step]`)?.textContent) > 120,
      TRAIN,
      { timeout: 120_000 },
    );
    // The imported run trains on by its own budget (60 more steps: too quick to pause reliably).
    await waitStatus(again, TRAIN, "done");
    assert.equal(await step(again, TRAIN), 180);

    // Pause during a long run: the readout says so, and focus follows the controls.
    const long = await session.open(
      `${await chapterOf("TrainAndSample")}?budget=4000&T=20&backend=wasm`,
    );
    await waitHydrated(long, TRAIN);
    await inIsland(long, TRAIN, "train").click();
    await long.waitForFunction(
      (sel) => Number(document.querySelector(`${sel} [data-testid=step]`)?.textContent) > 0,
      TRAIN,
      { timeout: 120_000 },
    );
    await inIsland(long, TRAIN, "pause").click();
    await waitStatus(long, TRAIN, "paused");
    assert.equal(await text(long, TRAIN, "steps-per-second"), "paused");
    // Focus followed the controls: Pause had it, and now Train (Resume) does.
    assert.equal(
      await long.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      "train",
    );
    await inIsland(long, TRAIN, "reset").click();
    await waitStatus(long, TRAIN, "idle");
    const [held, baseline] = await tensors(long, TRAIN);
    assert.equal(held, baseline, "Reset frees every tensor");
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});

Deno.test("chapter 2: the sampling demos use the Train demo's model", async () => {
  const session = await startSession();
  try {
    const page = await session.open(
      `${await chapterOf("ReverseTrajectories")}?budget=40&T=20&backend=wasm`,
    );
    const rt = "figure[data-demo=ReverseTrajectories] .trajectories";
    await waitHydrated(page, TRAIN);
    await inIsland(page, TRAIN, "train").click();
    await waitStatus(page, TRAIN, "done");
    await waitHydrated(page, rt);
    await page.locator(`${rt}[data-phase=ready]`).waitFor({ timeout: 60_000 });
    assert.match(await text(page, rt, "borrowed"), /Train demo above, at step 40/);
    await page.waitForFunction(
      (sel) => Number(document.querySelector(sel)?.getAttribute("data-draws")) >= 1,
      rt,
      { timeout: 60_000 },
    );
    assert.equal(await inIsland(page, rt, "rerun").isDisabled(), false);
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});

const TRAINING_DEMOS = [
  ["ElboTerms", ".elbo-terms"],
  ["Parameterisations", ".parameterisations"],
  ["Guidance", ".guidance"],
  ["ReverseTrajectories", ".trajectories"],
] as const;

Deno.test("every training demo: a lost WebGL context stops training with a message; Reset frees every tensor", async () => {
  const session = await startSession();
  try {
    for (const [name, root] of TRAINING_DEMOS) {
      const island = `figure[data-demo=${name}] ${root}`;
      const page = await session.open(`${await chapterOf(name)}?backend=webgl&trainsteps=400`);
      await waitHydrated(page, island);
      await inIsland(page, island, "train").click();
      await page.waitForFunction(
        (sel) => Number(document.querySelector(`${sel} [data-testid=step]`)?.textContent) > 0,
        island,
        { timeout: 240_000, polling: 250 },
      );
      const worker = await webglWorker(page);
      await worker.evaluate(() => {
        type Engine = { registry: { webgl: { gpgpu: { gl: WebGL2RenderingContext } } } };
        const gl = (globalThis as unknown as { _tfengine: Engine })._tfengine.registry.webgl.gpgpu
          .gl;
        gl.getExtension("WEBGL_lose_context")!.loseContext();
      });
      await waitStatus(page, island, "error", 60_000);
      assert.match(await text(page, island, "message"), /WebGL context was lost/, name);
      const stopped = await step(page, island);
      await page.waitForTimeout(500);
      assert.equal(
        await step(page, island),
        stopped,
        `${name}: no step after the context was lost`,
      );
      await inIsland(page, island, "reset").click();
      await waitStatus(page, island, "idle");
      const [held, baseline] = await tensors(page, island);
      assert.equal(held, baseline, `${name}: tensors back to the baseline after Reset`);
      console.log(
        `${name}: stopped at step ${stopped}; ${held} tensors after Reset (baseline ${baseline})`,
      );
      await page.close();
    }
    const unexpected = session.errors.filter((e) => !/WebGL|CONTEXT_LOST/i.test(e));
    assert.deepEqual(unexpected, [], unexpected.join("\n"));
  } finally {
    await session.close();
  }
});

/** The worker's tf.memory().numTensors (the page's one demo worker). */
async function workerTensors(page: Page): Promise<number> {
  for (const worker of page.workers()) {
    const n = await worker.evaluate(() =>
      (globalThis as unknown as { _tfengine?: { state: { numTensors: number } } })._tfengine
        ?.state.numTensors
    ).catch(() => undefined);
    if (n !== undefined) return n;
  }
  throw new Error(`No worker runs tfjs (workers: ${page.workers().length})`);
}

/**
 * Unmounts the named islands as Preact does when a parent stops rendering them, then removes their
 * roots. The site's bundle exports neither Preact's `render` nor `unmount`, so this goes through
 * the tree Preact keeps on each island's root (mangled names of preact@10: `__k` children, `__c`
 * component, `__` parent, `__i` index): the root Fragment re-renders with no children, which
 * unmounts the island and runs its effects' cleanups, as `render(null, root)` would.
 */
async function unmountIslands(page: Page, names: string[]): Promise<number> {
  return await page.evaluate(async (names) => {
    type VNode = {
      props: { children: unknown };
      __?: { __k: VNode[] };
      __i?: number;
      __c: { forceUpdate(): void };
    };
    const roots = [...document.querySelectorAll("frsh-island")]
      .filter((el) => names.includes(el.getAttribute("data-name") ?? ""));
    const hydrated = roots.filter((el) => "__k" in el); // the others hold no model: removed only
    for (const el of hydrated) {
      const tree = (el as unknown as { __k: VNode }).__k;
      tree.props.children = null;
      tree.__ ??= { __k: [tree] }; // the root has no parent to write the new tree back into
      tree.__i = 0;
      tree.__c.forceUpdate();
    }
    await new Promise((resolve) => setTimeout(resolve, 50)); // Preact renders on a microtask
    for (const el of hydrated) {
      if (el.childElementCount > 0) throw new Error(`${el.getAttribute("data-name")} stayed`);
    }
    for (const el of roots) el.remove();
    return hydrated.length;
  }, names);
}

Deno.test("an island that goes frees its model: the worker's tensors are back to the baseline", async () => {
  const session = await startSession();
  try {
    // Chapter 2's sampling islands train their own model (slot `sampling`) when the Train demo
    // has none; the Train demo stays on the page, so the worker lives on after they go.
    const page = await session.open(
      `${await chapterOf("ReverseTrajectories")}?trainsteps=40&T=20&backend=wasm`,
    );
    const rt = "figure[data-demo=ReverseTrajectories] .trajectories";
    await waitHydrated(page, TRAIN);
    await waitHydrated(page, rt);
    await inIsland(page, rt, "train").click();
    await page.locator(`${rt}[data-phase=ready]`).waitFor({ timeout: 120_000 });
    const [, baseline] = await tensors(page, rt);
    const held = await workerTensors(page);
    assert.ok(held > baseline, `the own model holds tensors: ${held} (baseline ${baseline})`);

    const sampling = ["ReverseTrajectories", "MultiplyDistributions", "PinnedInpainting"];
    assert.ok(await unmountIslands(page, sampling) >= 1, "ReverseTrajectories had hydrated");
    let now = held;
    for (let i = 0; i < 100 && now !== baseline; i++) {
      await page.waitForTimeout(100);
      now = await workerTensors(page);
    }
    assert.equal(now, baseline, `tensors after the sampling islands went (held ${held} before)`);
    console.log(`unmount: ${held} tensors -> ${now} (baseline ${baseline})`);
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});
