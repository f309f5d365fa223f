/**
 * Finding and launching the system Chromium for browser tests (see shared/BROWSER_TESTING.md).
 * Never downloads a browser.
 *
 * @module
 */

/** The Chromium executable: `CHROMIUM_PATH`, else the Debian package's, else undefined. */
export function findChromium(): string | undefined {
  const candidates = [
    Deno.env.get("CHROMIUM_PATH"),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The flags this machine needs (closed network, root, software WebGL). */
export const CHROMIUM_ARGS: string[] = [
  "--no-sandbox",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--enable-unsafe-swiftshader",
  "--disable-dev-shm-usage",
];
