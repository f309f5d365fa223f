/**
 * The three browser engines the tests drive, and where each is installed: Chromium (Blink, the
 * full suite, with playwright-core), Firefox ESR (Gecko, with puppeteer-core over WebDriver BiDi)
 * and WebKitGTK (WebKit, Safari's engine, over W3C WebDriver on an Xvfb display). Nothing here
 * downloads a browser; a missing engine says which Debian packages bring it.
 *
 * @module
 */
import { findChromium } from "./chromium.ts";

/** An engine by its usual name. */
export type EngineName = "chromium" | "firefox" | "webkit";

/** Every engine, in the order the tests run them. */
export const ENGINE_NAMES: readonly EngineName[] = ["chromium", "firefox", "webkit"];

/** The executables an engine needs, when all are installed. */
export interface EnginePaths {
  /** The browser (Chromium, Firefox) or WebKitGTK's `MiniBrowser`. */
  browser: string;
  /** WebKit only: `WebKitWebDriver` and `Xvfb`. */
  driver?: string;
  xvfb?: string;
}

/** Where an engine is, or what is missing and how to install it. */
export type EngineLookup =
  | { name: EngineName; found: true; paths: EnginePaths }
  | { name: EngineName; found: false; missing: string; install: string };

function firstFile(candidates: (string | undefined)[]): string | undefined {
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch { /* not here */ }
  }
  return undefined;
}

/**
 * Finds an engine's executables: `CHROMIUM_PATH`, `FIREFOX_PATH`, `WEBKIT_DRIVER_PATH` first,
 * else Debian's places.
 *
 * @param name The engine.
 * @returns Its paths, or what is missing.
 *
 * @example
 * ```ts
 * import { findEngine } from "./engines.ts";
 * const firefox = findEngine("firefox");
 * if (!firefox.found && !/firefox-esr/.test(firefox.install)) throw new Error("says what to install");
 * ```
 */
export function findEngine(name: EngineName): EngineLookup {
  if (name === "chromium") {
    const browser = findChromium();
    return browser
      ? { name, found: true, paths: { browser } }
      : { name, found: false, missing: "chromium", install: "apt-get install -y chromium" };
  }
  if (name === "firefox") {
    const browser = firstFile([Deno.env.get("FIREFOX_PATH"), "/usr/bin/firefox-esr"]);
    return browser
      ? { name, found: true, paths: { browser } }
      : { name, found: false, missing: "firefox-esr", install: "apt-get install -y firefox-esr" };
  }
  const driver = firstFile([Deno.env.get("WEBKIT_DRIVER_PATH"), "/usr/bin/WebKitWebDriver"]);
  const browser = firstFile([
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser",
  ]);
  const xvfb = firstFile(["/usr/bin/Xvfb"]);
  const missing = [
    !driver || !browser ? "webkit2gtk-driver" : "",
    !xvfb ? "xvfb" : "",
  ].filter(Boolean).join(" ");
  return driver && browser && xvfb
    ? { name, found: true, paths: { browser, driver, xvfb } }
    : { name, found: false, missing, install: `apt-get install -y ${missing} xauth` };
}

/** Which engines a browser test run can drive, and which it must skip. */
export interface EnginePlan {
  found: Extract<EngineLookup, { found: true }>[];
  missing: Extract<EngineLookup, { found: false }>[];
}

/**
 * Looks up every engine.
 *
 * @param find The lookup (a fake in tests).
 * @returns The engines found and those missing.
 *
 * @example
 * ```ts
 * import { planEngines } from "./engines.ts";
 * const plan = planEngines((name) =>
 *   name === "webkit"
 *     ? { name, found: false, missing: "xvfb", install: "apt-get install -y xvfb xauth" }
 *     : { name, found: true, paths: { browser: `/usr/bin/${name}` } }
 * );
 * if (plan.found.length !== 2 || plan.missing[0].name !== "webkit") throw new Error("webkit is missing");
 * ```
 */
export function planEngines(find: (name: EngineName) => EngineLookup = findEngine): EnginePlan {
  const plan: EnginePlan = { found: [], missing: [] };
  for (const name of ENGINE_NAMES) {
    const lookup = find(name);
    if (lookup.found) plan.found.push(lookup);
    else plan.missing.push(lookup);
  }
  return plan;
}

/**
 * The loud notice for engines a test run skipped: which, why, and the command that installs them.
 *
 * @param missing The engines not found.
 * @returns The banner, or "" when nothing is missing.
 *
 * @example
 * ```ts
 * import { skippedBanner } from "./engines.ts";
 * const text = skippedBanner([
 *   { name: "firefox", found: false, missing: "firefox-esr", install: "apt-get install -y firefox-esr" },
 * ]);
 * if (!text.includes("BROWSER TESTS SKIPPED IN firefox")) throw new Error(text);
 * ```
 */
export function skippedBanner(missing: EnginePlan["missing"]): string {
  if (missing.length === 0) return "";
  const line = "=".repeat(72);
  const rows = missing.map((m) => `  ${m.name}: ${m.missing} not found (${m.install})`);
  return `\n${line}\nBROWSER TESTS SKIPPED IN ${missing.map((m) => m.name).join(", ")}:\n` +
    `${rows.join("\n")}\nThe book is only tested in the engines that ran.\n${line}\n`;
}
