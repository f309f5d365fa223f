/**
 * Embed mode and the static export in a real browser. An embed page shows one demo and nothing
 * else, hydrates, and may be framed (CSP `frame-ancestors` from the site config) while a chapter
 * page may not; `?embed=1` on a chapter leads to it. Then the static export, built under
 * `/course/diffusion/` and served by a plain static server, hydrates its islands and trains in a
 * worker on WASM, loading the worker bundle and tfjs's `.wasm` files from under the base path.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { ROOT } from "../../lib/site/paths.ts";
import { serveFolder } from "../site/crawl.ts";
import { CHROMIUM_ARGS, findChromium } from "./chromium.ts";
import { startSession, waitHydrated } from "./harness.ts";

/** `/embed/<slug>/<n>` of the first demo named `island`. */
async function embedPath(island: string): Promise<string> {
  for (const c of (await getBook()).chapters) {
    const demos = c.parts.filter((p) => p.kind === "island");
    const n = demos.findIndex((p) => p.kind === "island" && p.name === island) + 1;
    if (n > 0) return `/embed/${c.slug}/${n}`;
  }
  throw new Error(`No chapter embeds ${island}`);
}

Deno.test("an embed page shows only its demo, hydrates, and may be framed where a chapter may not", async () => {
  const session = await startSession();
  try {
    const path = await embedPath("ForwardChain");
    const slug = path.split("/")[2];
    const res = await fetch(session.base + path);
    await res.body?.cancel();
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'self' https:/);
    const chapterRes = await fetch(`${session.base}/chapters/${slug}`);
    await chapterRes.body?.cancel();
    assert.match(chapterRes.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);

    const page = await session.open(path);
    assert.equal(await page.locator(".site-header, .site-footer, article.prose").count(), 0);
    assert.equal(await page.locator("figure.demo").count(), 1);
    assert.match(await page.locator("meta[name=robots]").getAttribute("content") ?? "", /noindex/);
    const island = page.locator("frsh-island[data-name=ForwardChain]");
    await island.locator("input[type=range]").focus();
    await page.keyboard.press("End");
    await page.waitForFunction(
      () => document.querySelector("[data-testid=step]")?.textContent === "100",
      undefined,
      { timeout: 10_000 },
    );

    // `?embed=1` on the chapter's URL lands on the embed page.
    const viaQuery = await session.open(`/chapters/${slug}?embed=1`);
    assert.equal(new URL(viaQuery.url()).pathname, `/embed/${slug}/1`);

    // A same-origin parent frames both: the embed page loads, the chapter is refused.
    const parent = await session.browser.newPage();
    await parent.route(`${session.base}/__parent`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<iframe name="embed" src="${path}"></iframe>` +
          `<iframe name="chapter" src="/chapters/${slug}"></iframe>`,
      }));
    await parent.goto(`${session.base}/__parent`, { waitUntil: "load" });
    const embedFrame = parent.frame({ name: "embed" });
    assert.ok(embedFrame);
    await embedFrame.locator("frsh-island[data-name=ForwardChain]").waitFor({ timeout: 10_000 });
    const chapterFrame = parent.frame({ name: "chapter" });
    assert.ok(chapterFrame);
    assert.equal(await chapterFrame.locator("main.chapter").count(), 0, "a chapter was framed");
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});

Deno.test({
  name:
    "the static export under /course/diffusion/ hydrates and trains on WASM (worker and .wasm from under the base path)",
  sanitizeResources: false,
  async fn() {
    const executablePath = findChromium();
    if (!executablePath) throw new Error("Cannot run browser tests as Chromium was not found");
    const out = await Deno.makeTempDir({ prefix: "export-browser-" });
    try {
      const built = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/build.ts"],
        cwd: ROOT,
        env: { BUILD_DIR: out, BASE_PATH: "/course/diffusion/", VERIFY_EQUATIONS: "off" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(built.success, new TextDecoder().decode(built.stderr));
      const server = serveFolder(join(out, "static-site"), "/course/diffusion");
      const browser = await chromium.launch({
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
      });
      const errors: string[] = [];
      try {
        const page = await browser.newPage();
        page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
        page.on("pageerror", (e) => errors.push(e.message));
        const train = (await embedPath("TrainAndSample")).slice(1);
        await page.goto(`${server.root}${train}?backend=wasm&seed=3`, { waitUntil: "load" });
        const island = await waitHydrated(page, ".train-sample", 20_000);
        await island.locator("[data-testid=train]").click();
        await page.waitForFunction(
          () =>
            Number(document.querySelector(".train-sample [data-testid=step]")?.textContent) >= 2,
          undefined,
          { timeout: 120_000 }, // steps are slow on a busy 2-core machine; any step proves the worker
        );
        assert.match(await island.locator("[data-testid=backend]").textContent() ?? "", /^wasm/);
        await island.locator("[data-testid=pause]").click();
        const loaded = await page.evaluate(() =>
          performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname)
        );
        assert.ok(
          loaded.some((p) => /^\/course\/diffusion\/_frsh\/js\/[0-9a-f]+\/boot\.js$/.test(p)),
          loaded.join("\n"),
        );
        assert.deepEqual(errors, [], errors.join("\n"));
      } finally {
        await browser.close();
        await server.close();
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
