/**
 * A small W3C WebDriver (classic) client over `fetch`, enough to drive WebKitGTK's MiniBrowser
 * through `WebKitWebDriver` (see shared/BROWSER_TESTING.md): sessions, navigation, scripts, element
 * clicks and keys, pointer actions and screenshots. The driver and its browser draw on an Xvfb
 * display of their own (`--headless` hangs a session on these machines); both processes are this
 * module's children and are stopped by pid on close.
 *
 * @module
 */

/** The W3C key of an element reference. */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** A WebDriver error with the command that failed. */
export class WebDriverError extends Error {}

/** A running `WebKitWebDriver` (on its own Xvfb display) and one session in it. */
export interface WebDriverSession {
  /** `WebKitGTK <version>`. */
  version: string;
  /** Sends a command: `method` and `path` below `/session/{id}`, JSON `body`. */
  command<T = unknown>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T>;
  /** The element reference of the first match of a CSS selector. */
  find(selector: string): Promise<Record<string, string>>;
  /** Ends the session and stops the driver and its display server. */
  close(): Promise<void>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function call<T>(url: string, method: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json() as { value: T & { error?: string; message?: string } };
  if (!res.ok) {
    throw new WebDriverError(
      `Cannot ${method} ${
        new URL(url).pathname
      } as WebDriver said ${json.value?.error}: ${json.value?.message}`,
    );
  }
  return json.value;
}

/** A display number with no X server on it. */
function freeDisplay(): number {
  for (;;) {
    const n = 100 + Math.floor(Math.random() * 800);
    try {
      Deno.statSync(`/tmp/.X11-unix/X${n}`);
    } catch {
      return n;
    }
  }
}

/**
 * Starts Xvfb and `WebKitWebDriver` on it, and opens a MiniBrowser session.
 *
 * @param paths The driver, the `Xvfb` server and the MiniBrowser binary.
 * @returns The session.
 * @throws WebDriverError when the driver does not answer within 20 s or refuses the session.
 */
export async function startWebKit(paths: {
  driver: string;
  xvfb: string;
  miniBrowser: string;
  /** `normal` (navigation answers after the load event, the default) or `none` (at once). */
  pageLoadStrategy?: "normal" | "none";
}): Promise<WebDriverSession> {
  const port = freePort();
  const display = `:${freeDisplay()}`;
  const quiet = { stdin: "null", stdout: "null", stderr: "null" } as const;
  const xvfb = new Deno.Command(paths.xvfb, {
    args: [display, "-nolisten", "tcp", "-screen", "0", "1280x1024x24"],
    ...quiet,
  }).spawn();
  await new Promise((r) => setTimeout(r, 300));
  // The browser takes navigator.language from the locale; under LANG=C or C.UTF-8 (these machines)
  // it is "C", which no real browser reports and Intl refuses ("invalid language tag: C"), so uPlot
  // failed to load and every demo chart showed "Cannot draw the chart". Safari says e.g. "en-US".
  const driver = new Deno.Command(paths.driver, {
    args: [`--port=${port}`],
    env: { DISPLAY: display, LANG: "en_US.UTF-8", LANGUAGE: "en_US" },
    ...quiet,
  }).spawn();
  const root = `http://127.0.0.1:${port}`;
  const stop = async () => {
    for (const child of [driver, xvfb]) {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
    }
  };
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await call(`${root}/status`, "GET");
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new WebDriverError(`Cannot reach WebKitWebDriver on port ${port}: ${error}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const created = await call<{ sessionId: string; capabilities: { browserVersion: string } }>(
      `${root}/session`,
      "POST",
      {
        capabilities: {
          alwaysMatch: {
            browserName: "MiniBrowser",
            pageLoadStrategy: paths.pageLoadStrategy ?? "normal",
            "webkitgtk:browserOptions": { binary: paths.miniBrowser, args: ["--automation"] },
          },
        },
      },
    );
    const base = `${root}/session/${created.sessionId}`;
    const session: WebDriverSession = {
      version: `WebKitGTK ${created.capabilities.browserVersion}`,
      command: (method, path, body) =>
        call(base + path, method, body ?? (method === "POST" ? {} : undefined)),
      async find(selector) {
        return await call(`${base}/element`, "POST", { using: "css selector", value: selector });
      },
      async close() {
        await call(base, "DELETE").catch(() => {});
        await stop();
      },
    };
    return session;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The element id inside a reference returned by {@linkcode WebDriverSession.find}. */
export function elementId(ref: Record<string, string>): string {
  return ref[ELEMENT];
}
