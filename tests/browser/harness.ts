/**
 * Shared set-up for browser tests: serve the built site on a free loopback port and open Chromium.
 *
 * @module
 */
import { type Browser, chromium, type Locator, type Page, type Worker } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { createSite } from "../../main.ts";
import { CHROMIUM_ARGS, findChromium } from "./chromium.ts";

/** A running server and browser; `close()` stops both. */
export interface Session {
  base: string;
  browser: Browser;
  /** A new page that records console errors and page errors into `errors`. */
  open(path: string, extraArgs?: { waitUntil?: "load" | "domcontentloaded" }): Promise<Page>;
  errors: string[];
  close(): Promise<void>;
}

/** Starts the site (from `_build`) and Chromium. */
export async function startSession(opts: { args?: string[] } = {}): Promise<Session> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("Cannot run browser tests as Chromium was not found");
  const app = await createSite();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.handler());
  const base = `http://127.0.0.1:${server.addr.port}`;
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
  });
  const errors: string[] = [];
  return {
    base,
    browser,
    errors,
    async open(path, extra) {
      const page = await browser.newPage();
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      await page.goto(base + path, { waitUntil: extra?.waitUntil ?? "load" });
      return page;
    },
    async close() {
      await browser.close();
      await server.shutdown();
    },
  };
}

/**
 * Scrolls an island into view and waits until it has hydrated. Islands hydrate lazily (when they
 * come within about a viewport of view, or on first interaction: lib/fresh/client/boot.ts), so an
 * island below the fold would otherwise never hydrate while a test waits for it.
 *
 * @param page The page.
 * @param selector The island's root element (e.g. `.train-sample`); the first match is used, and
 *   it counts as hydrated once it has `data-hydrated=true`.
 * @param timeout Milliseconds to wait for both.
 * @returns The hydrated island's root.
 */
export async function waitHydrated(
  page: Page,
  selector: string,
  timeout = 30_000,
): Promise<Locator> {
  await page.locator(selector).first().scrollIntoViewIfNeeded({ timeout });
  const island = page.locator(`${selector}[data-hydrated=true]`).first();
  await island.waitFor({ timeout });
  return island;
}

/**
 * The tensors a training island's worker holds and its baseline (no model), from the control
 * bar's data attributes (`lib/demo/train_bar.tsx`).
 *
 * @param page The page.
 * @param island The island's root selector.
 * @returns [held, baseline].
 */
export async function tensorsOf(page: Page, island: string): Promise<[number, number]> {
  const bar = page.locator(`${island} .demo-train`).first();
  return [
    Number(await bar.getAttribute("data-tensors")),
    Number(await bar.getAttribute("data-baseline-tensors")),
  ];
}

/**
 * The path of the first chapter that embeds `island`, with `query` appended.
 *
 * @param island The island's name.
 * @param query A query string, e.g. `?trainsteps=300`.
 * @returns The chapter's path.
 */
export async function chapterOf(island: string, query = ""): Promise<string> {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === island)
  );
  if (!chapter) throw new Error(`No chapter embeds ${island}`);
  return `/chapters/${chapter.slug}${query}`;
}

/**
 * Presses the island's Reset and waits until it is idle; returns the tensors held and the baseline.
 *
 * @param page The page.
 * @param island The island's root selector.
 * @returns [held, baseline] after the reset.
 */
export async function resetTensors(page: Page, island: string): Promise<[number, number]> {
  await page.locator(`${island} [data-testid=reset]`).click();
  await page.locator(`${island}[data-status=idle]`).waitFor({ timeout: 20_000 });
  return await tensorsOf(page, island);
}

/**
 * The page's worker whose tfjs runs on WebGL (the demo worker), to lose its context in a test.
 *
 * @param page The page.
 * @returns The worker; throws when none runs on WebGL.
 */
export async function webglWorker(page: Page): Promise<Worker> {
  for (const worker of page.workers()) {
    const backend = await worker.evaluate(() =>
      (globalThis as unknown as { _tfengine?: { backendName?: string } })._tfengine?.backendName
    ).catch(() => undefined);
    if (backend === "webgl") return worker;
  }
  throw new Error(`No worker runs tfjs on WebGL (workers: ${page.workers().length})`);
}

/**
 * The number an element shows: its minus signs (U+2212, also in an exponent: "3.03e−3") read as
 * "-", and any text after the number (a unit) ignored.
 *
 * @param locator The element.
 * @returns The number; NaN when the text does not start with one.
 */
export async function shownNumber(locator: Locator): Promise<number> {
  return Number.parseFloat(((await locator.textContent()) ?? "").replaceAll("\u2212", "-"));
}
