/**
 * "Check on this device" and the verified badges in a real browser: nothing of the checks loads
 * before the button is pressed, not even the island's module, though it is in view; pressing it runs a chapter's equation checks in a worker, lists a
 * passing row for every labelled equation, and says in what precision the device computed. On a
 * chapter whose every labelled equation is evaluated from its printed form (chapter 5), the worker
 * evaluates the printed LaTeX too (compute-engine loads only after the button is pressed): one
 * "printed LaTeX evaluated" row per equation and the full ✓ badge on each.
 */
import assert from "node:assert/strict";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";

/** Presses Check on this device in `file`'s chapter; `printed`: every equation's LaTeX evaluated. */
async function checkOnDevice(file: string, printed: boolean): Promise<void> {
  const book = await getBook();
  const chapter = book.chapters.find((c) => c.file.endsWith(file));
  assert.ok(chapter, `chapters/${file} is expected`);
  const session = await startSession();
  try {
    const requested: string[] = [];
    const page = await session.browser.newPage();
    page.on("request", (r) => requested.push(r.url()));
    page.on("pageerror", (e) => session.errors.push(`pageerror: ${e.message}`));
    await page.goto(`${session.base}/chapters/${chapter.slug}`, { waitUntil: "load" });
    const island = page.locator("frsh-island[data-name=CheckOnDevice]");
    const button = island.locator("button");
    await button.waitFor();
    // Until pressed, no worker and no checks were fetched, nor the island's own module: it
    // hydrates on interaction only (its `hydrate` export), though it is in view at load.
    await page.waitForTimeout(1000);
    assert.ok(!requested.some((u) => u.includes("equation-checks-worker")), requested.join("\n"));
    assert.equal(await island.getAttribute("data-hydrate"), "interaction");
    assert.ok(!requested.some((u) => u.includes("island-CheckOnDevice")), requested.join("\n"));

    // Badges: one per numbered equation, every one verified, with its details on click.
    const badges = page.locator(".equation .eq-badge");
    assert.equal(await badges.count(), chapter.equations.length);
    assert.equal(
      await page.locator(
        printed ? ".eq-badge-verified:not(.eq-badge-engine-only)" : ".eq-badge-verified",
      ).count(),
      chapter.equations.length,
    );
    await badges.first().locator("summary").click();
    const body = await badges.first().locator(".eq-badge-body").innerText();
    assert.match(body, /max error .* tolerance .*seed \d+/s);

    // One press: the island hydrates on it and the press is replayed once it has.
    await button.click();
    await page.waitForFunction(
      () => document.querySelector(".check-device")?.getAttribute("data-status") !== "idle",
      undefined,
      { timeout: 30_000 },
    );
    assert.ok(requested.some((u) => u.includes("island-CheckOnDevice")), "loaded on the press");
    await page.waitForFunction(
      () =>
        document.querySelector(".check-device")?.getAttribute("data-status") === "done" ||
        document.querySelector(".check-device")?.getAttribute("data-status") === "error",
      undefined,
      { timeout: 180_000 },
    );
    const message = await island.locator("[data-testid=check-message]").innerText();
    assert.equal(
      await island.locator(".check-device").getAttribute("data-status"),
      "done",
      message,
    );
    const rows = island.locator("tbody tr");
    const n = await rows.count();
    assert.ok(n >= chapter.equations.length, `${n} rows for ${chapter.equations.length} equations`);
    assert.equal(await island.locator("tbody tr[data-passed=false]").count(), 0, message);
    assert.match(
      message,
      new RegExp(`^${n} of ${n} checks passed on this device in [0-9.]+ s\\.$`),
    );
    const labels = new Set(
      await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-label"))),
    );
    for (const e of chapter.equations) assert.ok(labels.has(e.label), `no row for ${e.label}`);
    if (printed) {
      // the printed LaTeX of every labelled equation was evaluated in the browser too
      const evaluated = await rows.evaluateAll((els) =>
        els.filter((e) => e.textContent?.includes("printed LaTeX evaluated")).length
      );
      assert.equal(evaluated, chapter.equations.length, "one printed-LaTeX row per equation");
    }
    const precision = await island.locator("[data-testid=precision]").innerText();
    assert.match(precision, /computed in float64 \(JavaScript numbers\)/);
    assert.match(precision, /tfjs's (webgl|wasm|cpu) backend in float(32|16)/);
    assert.ok(requested.some((u) => u.includes("equation-checks-worker")));
    console.log(`${message}\n${precision}`);
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
}

Deno.test("Check on this device runs chapter 4's checks in the browser and reports precision", () =>
  checkOnDevice("04-vdm.md", false));

Deno.test("Check on this device runs chapter 5 printed equations in the browser and reports precision", () =>
  checkOnDevice("05-guidance.md", true));
