/**
 * One small page API over the three engines, for the per-engine suite (tests/browser/
 * engines_test.ts): Chromium and Firefox through puppeteer-core (CDP and WebDriver BiDi), WebKitGTK
 * through the W3C WebDriver client in ./webdriver.ts. Clicks, keys and mouse strokes are the
 * browser's own (trusted) input, not synthetic DOM events.
 *
 * Errors: every page records `console.error`, uncaught errors, unhandled rejections and CSP
 * violations (`securitypolicyviolation`) in the page itself. Puppeteer installs the recorder before
 * the page's first script and also listens to the console; classic WebDriver has no console stream
 * and no way to run a script before the page's own, so in WebKit the recorder is installed as soon
 * as the document exists (polling during the navigation) and every island's hydration is checked
 * as well.
 *
 * @module
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { CHROMIUM_ARGS } from "./chromium.ts";
import { SKIPPED_BOXES } from "./skipped_boxes.ts";
import type { EngineName, EnginePaths } from "./engines.ts";
import { elementId, startWebKit, type WebDriverSession } from "./webdriver.ts";

/** A tab in one engine. */
export interface EnginePage {
  /** Opens `path` (below the site's base URL) and waits for the load event. */
  goto(path: string): Promise<void>;
  /** Runs `fn(...args)` in the page (serialised with `toString`: no closures) and returns its value. */
  evaluate<T, A extends unknown[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T>;
  /** Polls `fn(...args)` in the page until it is truthy; throws `what` after `timeoutMs`. */
  waitFor<A extends unknown[]>(
    what: string,
    timeoutMs: number,
    fn: (...args: A) => unknown,
    ...args: A
  ): Promise<void>;
  /** Scrolls the first match of `selector` into view and clicks its centre with the mouse. */
  click(selector: string): Promise<void>;
  /** Focuses the first match of `selector` and presses `key` (`ArrowRight`, `Enter`, …). */
  press(
    selector: string,
    key: "ArrowRight" | "ArrowLeft" | "Enter" | "Home" | "End",
  ): Promise<void>;
  /** A mouse stroke through `points`, given as fractions of the first match's box. */
  stroke(selector: string, points: [number, number][]): Promise<void>;
  /** Saves a PNG of the first match of `selector`. */
  screenshot(selector: string, file: string): Promise<void>;
  /** Errors recorded so far on every document this tab showed. */
  errors(): Promise<string[]>;
}

/** An engine with one tab open on the site. */
export interface EngineBrowser {
  name: EngineName;
  /** The browser and its version, e.g. `Firefox 153.8.0esr`. */
  version: string;
  page: EnginePage;
  close(): Promise<void>;
}

/** The recorder (see the module doc); idempotent. */
const RECORD_ERRORS = () => {
  const w = window as unknown as { __engineErrors?: string[] };
  if (w.__engineErrors) return;
  const errors: string[] = w.__engineErrors = [];
  addEventListener("error", (e) => errors.push(`error: ${e.message}`));
  addEventListener("unhandledrejection", (e) => errors.push(`unhandled rejection: ${e.reason}`));
  document.addEventListener("securitypolicyviolation", (e) => {
    errors.push(`CSP: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`);
  });
  const consoleError = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    errors.push(`console.error: ${args.map(String).join(" ")}`);
    consoleError(...args);
  };
};

const READ_ERRORS = () =>
  (window as unknown as { __engineErrors?: string[] }).__engineErrors?.splice(0) ?? [];

/**
 * The box of an element after scrolling it into view (CSS pixels, viewport), once it has held
 * still for 50 ms with its centre in view and not covered by another element (islands lay out
 * charts when the page is idle, so a box measured at once can move before the click lands; one
 * carried out of view is scrolled back), or after 3 s.
 */
const BOX = async (selector: string) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  el.scrollIntoView({ block: "center", inline: "center" });
  let last = "";
  const deadline = Date.now() + 3000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const r = el.getBoundingClientRect();
    const box = { x: r.x, y: r.y, width: r.width, height: r.height };
    const key = JSON.stringify(box);
    const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
    // something above that changed height since can have carried it out of view: back again
    const inView = cx >= 0 && cy >= 0 && cx < innerWidth && cy < innerHeight;
    if (!inView) el.scrollIntoView({ block: "center", inline: "center" });
    const hit = document.elementFromPoint(cx, cy);
    if ((key === last && inView && hit !== null && el.contains(hit)) || Date.now() > deadline) {
      return box;
    }
    last = key;
  }
};

type Box = { x: number; y: number; width: number; height: number };

function missing(selector: string): never {
  throw new Error(`Cannot find ${selector} on the page`);
}

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function puppeteerPage(page: Page, base: string): EnginePage {
  const errors: string[] = [];
  // The browser's own console errors (a failed load, a CSP report), and the page's console.error
  // calls, also from a document that is going away (its in-page record is gone with it).
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${(e as Error).message ?? e}`));
  const run = <T>(fn: unknown, args: unknown[]) =>
    page.evaluate(fn as (...a: unknown[]) => unknown, ...args) as Promise<T>;
  const self: EnginePage = {
    async goto(path) {
      errors.push(...await page.evaluate(READ_ERRORS).catch(() => []));
      await page.goto(base + path, { waitUntil: "load", timeout: 120_000 });
    },
    evaluate: (fn, ...args) => run(fn, args),
    async waitFor(what, timeoutMs, fn, ...args) {
      await poll(what, timeoutMs, () => run(fn, args));
    },
    async click(selector) {
      const box: Box = await page.evaluate(BOX, selector) ?? missing(selector);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    },
    async press(selector, key) {
      await page.focus(selector);
      await page.keyboard.press(key);
    },
    async stroke(selector, points) {
      const box: Box = await page.evaluate(BOX, selector) ?? missing(selector);
      const at = ([fx, fy]: [number, number]) => [box.x + box.width * fx, box.y + box.height * fy];
      const [x0, y0] = at(points[0]);
      await page.mouse.move(x0, y0);
      await page.mouse.down();
      for (const p of points.slice(1)) await page.mouse.move(...at(p) as [number, number]);
      await page.mouse.up();
    },
    async screenshot(selector, file) {
      await page.evaluate(BOX, selector);
      const handle = await page.$(selector) ?? missing(selector);
      await handle.screenshot({ path: file as `${string}.png` });
    },
    async errors() {
      return [...errors.splice(0), ...await page.evaluate(READ_ERRORS)];
    },
  };
  return self;
}

/** WebDriver key codes. */
const KEYS = {
  ArrowRight: "\uE014",
  ArrowLeft: "\uE012",
  Enter: "\uE007",
  Home: "\uE011",
  End: "\uE010",
} as const;

function webDriverPage(wd: WebDriverSession, base: string): EnginePage {
  const errors: string[] = [];
  const run = async <T>(fn: (...args: never[]) => unknown, args: unknown[]): Promise<T> => {
    // execute/async: promises settle before the answer; errors come back as text.
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn.toString()}).apply(null, Array.from(arguments).slice(0, -1)))
        .then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ error: String(e) }));`;
    const r = await wd.command<{ ok?: T; error?: string }>("POST", "/execute/async", {
      script,
      args,
    });
    if (r.error !== undefined) throw new Error(`Cannot evaluate in WebKit as ${r.error}`);
    return r.ok as T;
  };
  const box = async (selector: string): Promise<Box> =>
    await run<Box | null>(BOX, [selector]) ?? missing(selector);
  const pointer = (actions: unknown[]) =>
    wd.command("POST", "/actions", {
      actions: [{ type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions }],
    });
  return {
    async goto(path) {
      errors.push(...await run<string[]>(READ_ERRORS, []).catch(() => []));
      const url = base + path;
      // pageLoadStrategy "none": the navigation answers at once, so the recorder can be put in
      // as soon as the new document exists, before its module scripts (deferred) run.
      await wd.command("POST", "/url", { url });
      await poll(`${url} to start`, 60_000, () =>
        wd.command<boolean>("POST", "/execute/sync", {
          script: `if (location.href !== arguments[0] || !document.documentElement) return false;
            (${RECORD_ERRORS.toString()})(); return true;`,
          args: [url],
        }).catch(() => false));
      await poll(`${url} to load`, 120_000, () =>
        wd.command<boolean>("POST", "/execute/sync", {
          script: "return document.readyState === 'complete'",
          args: [],
        }).catch(() => false));
      // WebKit reports empty boxes inside a section that content-visibility: auto still skips
      // (Range boxes, WebDriver's move targets), even right after scrollIntoView; a reader sees
      // each section as it comes near. The suite measures and clicks, so it renders them all.
      // (Through the CSSOM: the page's CSP refuses an inserted <style>.)
      await run((selector: string) => {
        for (const s of document.querySelectorAll<HTMLElement>(selector)) {
          s.style.setProperty("content-visibility", "visible", "important");
        }
        return true;
      }, [SKIPPED_BOXES]);
    },
    evaluate: (fn, ...args) => run(fn as (...args: never[]) => unknown, args),
    async waitFor(what, timeoutMs, fn, ...args) {
      await poll(what, timeoutMs, () => run(fn as (...args: never[]) => unknown, args));
    },
    async click(selector) {
      const b = await box(selector);
      const [x, y] = [Math.round(b.x + b.width / 2), Math.round(b.y + b.height / 2)];
      await pointer([
        { type: "pointerMove", x, y, origin: "viewport", duration: 0 },
        { type: "pointerDown", button: 0 },
        { type: "pointerUp", button: 0 },
      ]);
    },
    async press(selector, key) {
      const id = elementId(await wd.find(selector));
      await wd.command("POST", `/element/${id}/value`, { text: KEYS[key] });
    },
    async stroke(selector, points) {
      const b = await box(selector);
      const move = ([fx, fy]: [number, number]) => ({
        type: "pointerMove",
        x: Math.round(b.x + b.width * fx),
        y: Math.round(b.y + b.height * fy),
        origin: "viewport",
        duration: 16,
      });
      await pointer([
        move(points[0]),
        { type: "pointerDown", button: 0 },
        ...points.slice(1).map(move),
        { type: "pointerUp", button: 0 },
      ]);
    },
    async screenshot(selector, file) {
      await box(selector);
      const id = elementId(await wd.find(selector));
      const png = await wd.command<string>("GET", `/element/${id}/screenshot`);
      await Deno.writeFile(file, Uint8Array.from(atob(png), (c) => c.charCodeAt(0)));
    },
    async errors() {
      return [...errors.splice(0), ...await run<string[]>(READ_ERRORS, [])];
    },
  };
}

/**
 * Launches an engine with one tab, for the site at `base`.
 *
 * @param name The engine.
 * @param paths Its executables (from `findEngine`).
 * @param base The site's origin, e.g. `http://127.0.0.1:8000`.
 * @returns The engine and its tab.
 */
export async function launchEngine(
  name: EngineName,
  paths: EnginePaths,
  base: string,
): Promise<EngineBrowser> {
  if (name === "webkit") {
    const wd = await startWebKit({
      driver: paths.driver!,
      xvfb: paths.xvfb!,
      miniBrowser: paths.browser,
      pageLoadStrategy: "none",
    });
    await wd.command("POST", "/window/rect", { width: 1280, height: 900 }).catch(() => {});
    await wd.command("POST", "/timeouts", { script: 120_000 });
    return { name, version: wd.version, page: webDriverPage(wd, base), close: () => wd.close() };
  }
  const browser: Browser = await puppeteer.launch(
    name === "firefox"
      ? { browser: "firefox", executablePath: paths.browser, headless: true }
      : { executablePath: paths.browser, headless: true, args: CHROMIUM_ARGS },
  );
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.setDefaultTimeout(120_000);
  await page.evaluateOnNewDocument(RECORD_ERRORS);
  return {
    name,
    version: await browser.version(),
    page: puppeteerPage(page, base),
    close: () => browser.close(),
  };
}
