/**
 * The Content-Security-Policy holds in a real browser: every page (home, each chapter, the 404
 * page) loads and hydrates with the server's CSP enforced and no `securitypolicyviolation` event or
 * "Content Security Policy" console message, and training starts (a Web Worker, tfjs's WASM
 * compiled under `wasm-unsafe-eval`) without one. A deliberately injected inline script is refused
 * and reported, which shows that the listener would see a violation.
 * Run `deno task build` first, then `deno test -A tests/browser/csp_test.ts`.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession, waitHydrated } from "./harness.ts";

/** Records CSP violations from the first script on (before any of the page's own code). */
const RECORD_VIOLATIONS = () => {
  const w = window as unknown as { __csp: string[] };
  w.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    w.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile})`);
  });
};

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

Deno.test("CSP: every page loads and hydrates with the policy enforced and no violation", async () => {
  const book = await getBook();
  const paths = ["/", ...book.chapters.map((c) => `/chapters/${c.slug}`), "/chapters/no-such"];
  const session = await startSession();
  try {
    const consoleCsp: string[] = [];
    for (const path of paths) {
      const page = await session.browser.newPage();
      page.on("console", (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) {
          consoleCsp.push(`${path}: ${m.text()}`);
        }
      });
      page.on("pageerror", (e) => session.errors.push(`${path}: ${e.message}`));
      await page.addInitScript(RECORD_VIOLATIONS);
      const res = await page.goto(session.base + path, { waitUntil: "load" });
      const csp = res?.headers()["content-security-policy"] ?? "";
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, `${path}: CSP not sent`);
      await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => {});
      assert.deepEqual(await violations(page), [], path);
      await page.close();
    }
    assert.deepEqual(consoleCsp, []);
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});

Deno.test("CSP: an injected inline script is refused and reported (the listener works)", async () => {
  const session = await startSession();
  try {
    const page = await session.browser.newPage();
    await page.addInitScript(RECORD_VIOLATIONS);
    await page.goto(session.base + "/", { waitUntil: "load" });
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__inlineRan = true";
      document.body.append(s);
    });
    await page.waitForFunction(() => (window as unknown as { __csp: string[] }).__csp.length > 0);
    assert.equal(await page.evaluate(() => "__inlineRan" in window), false, "inline script ran");
    assert.match((await violations(page))[0], /^script-src-elem blocked inline/);
  } finally {
    await session.close();
  }
});

Deno.test("CSP: training starts a worker and compiles tfjs's WASM with no violation", async () => {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === "TrainAndSample")
  );
  assert.ok(chapter, "No chapter embeds TrainAndSample");
  const session = await startSession();
  try {
    const page = await session.browser.newPage();
    const consoleCsp: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) consoleCsp.push(m.text());
    });
    await page.addInitScript(RECORD_VIOLATIONS);
    await page.goto(`${session.base}/chapters/${chapter.slug}?backend=wasm`, { waitUntil: "load" });
    const island = await waitHydrated(page, ".train-sample", 30_000);
    await island.locator("[data-testid=train]").click();
    await page.waitForFunction(
      () => Number(document.querySelector(".train-sample [data-testid=step]")?.textContent) > 0,
      undefined,
      { timeout: 90_000 },
    );
    assert.match(await island.locator("[data-testid=backend]").textContent() ?? "", /^wasm/);
    await island.locator("[data-testid=pause]").click();
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(consoleCsp, []);
  } finally {
    await session.close();
  }
});
