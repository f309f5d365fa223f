/**
 * Press Train on the TrainAndSample demo in any engine (through ./engine_page.ts) and wait until
 * the demo's own MMD² readout falls below the threshold (QUALITY.md) or training stops: shared by
 * the per-engine suite and the bench's per-engine time to quality.
 *
 * @module
 */
import { MMD2_THRESHOLD } from "../../lib/demo/config.ts";
import type { EnginePage } from "./engine_page.ts";

/** The demo's root element. */
export const TRAIN_ISLAND = ".train-sample";

/** One run's outcome, as the page showed it. */
export interface QualityRun {
  /** Whether MMD² fell below `threshold` before training stopped or the time ran out. */
  reached: boolean;
  mmd2: number;
  /** The step the demo shows when the wait ended. */
  step: number;
  /** Seconds from the click on Train to the end of the wait. */
  seconds: number;
  /** The demo's steps/s readout at that moment. */
  stepsPerSecond: number;
  /** The backend readout, e.g. "wasm — no WebGL here (…), so WASM". */
  backend: string;
  threshold: number;
}

/** The text of `[data-testid=id]` inside the first `root`. */
export function textOf(page: EnginePage, root: string, id: string): Promise<string> {
  return page.evaluate(
    (root: string, id: string) =>
      document.querySelector(`${root} [data-testid=${id}]`)?.textContent ?? "",
    root,
    id,
  );
}

/** Scrolls the first `root` into view and waits until it has hydrated (`data-hydrated=true`). */
export async function hydrated(page: EnginePage, root: string, timeoutMs = 60_000): Promise<void> {
  await page.evaluate((s: string) => document.querySelector(s)?.scrollIntoView(), root);
  await page.waitFor(
    `${root} to hydrate`,
    timeoutMs,
    (s: string) => document.querySelector(`${s}[data-hydrated=true]`) !== null,
    root,
  );
}

/**
 * Opens `path`, presses Train and waits for MMD² < threshold, the end of training or `timeoutMs`.
 * Training is left running (the caller pauses, saves or resets).
 *
 * @param page A tab.
 * @param path The chapter with the demo, with any query (`?dataset=moons`).
 * @param timeoutMs How long to wait.
 * @returns What the page showed.
 */
export async function trainToQuality(
  page: EnginePage,
  path: string,
  timeoutMs: number,
): Promise<QualityRun> {
  await page.goto(path);
  await hydrated(page, TRAIN_ISLAND);
  const t0 = Date.now();
  await page.click(`${TRAIN_ISLAND} [data-testid=train]`);
  const reached = await page.waitFor(
    "MMD² below the threshold or the end of training",
    timeoutMs,
    (root: string, threshold: number) => {
      const el = document.querySelector(root);
      const value = el?.querySelector("[data-testid=mmd2]")?.getAttribute("data-value");
      return (value && Number(value) < threshold) ||
        ["done", "diverged", "error", "paused"].includes(el?.getAttribute("data-status") ?? "");
    },
    TRAIN_ISLAND,
    MMD2_THRESHOLD,
  ).then(() => true, () => false);
  const seconds = (Date.now() - t0) / 1000;
  const mmd2 = Number(
    await page.evaluate(
      (s: string) => document.querySelector(`${s} [data-testid=mmd2]`)?.getAttribute("data-value"),
      TRAIN_ISLAND,
    ) ?? NaN,
  );
  return {
    reached: reached && mmd2 < MMD2_THRESHOLD,
    mmd2,
    step: Number(await textOf(page, TRAIN_ISLAND, "step")),
    seconds,
    stepsPerSecond: Number(await textOf(page, TRAIN_ISLAND, "steps-per-second")),
    backend: (await textOf(page, TRAIN_ISLAND, "backend")).trim(),
    threshold: MMD2_THRESHOLD,
  };
}
