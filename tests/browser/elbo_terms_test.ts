/**
 * ElboTerms in a real browser (chapter 3): training on the exact 2-D mixture, the ELBO's terms
 * add up, the bound lies below the exact log-likelihood, and the gap shrinks as the model learns;
 * the model's own log-likelihood through its probability-flow ODE lies below log q(x_0).
 * Run `deno task build` first (BUILD_DIR for another build folder).
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession, tensorsOf, waitHydrated } from "./harness.ts";

const ISLAND = ".elbo-terms";

async function chapterPath(): Promise<string> {
  const book = await getBook();
  const chapter = book.chapters.find((c) =>
    c.parts.some((p) => p.kind === "island" && p.name === "ElboTerms")
  );
  assert.ok(chapter, "No chapter embeds ElboTerms");
  return `/chapters/${chapter.slug}`;
}

async function num(page: Page, testid: string): Promise<number> {
  const t = (await page.locator(`${ISLAND} [data-testid=${testid}]`).first().textContent()) ?? "";
  return Number(t.replaceAll("−", "-").split(" ")[0]);
}

Deno.test("ElboTerms: the terms add up to the ELBO, which lies below the exact log q(x₀), and the gap shrinks", async () => {
  const session = await startSession();
  try {
    // Long timeouts: the machine is shared, and a loaded CPU slows page loads and training alike.
    const page = await session.browser.newPage();
    page.setDefaultTimeout(120_000);
    page.on("console", (m) => m.type() === "error" && session.errors.push(m.text()));
    page.on("pageerror", (e) => session.errors.push(e.message));
    await page.goto(session.base + (await chapterPath()), { waitUntil: "load", timeout: 120_000 });
    await waitHydrated(page, ISLAND, 20_000);
    const t0 = Date.now();
    await page.locator(`${ISLAND} [data-testid=train]`).click();
    await page.locator(`${ISLAND}[data-first-gap]`).waitFor({ timeout: 180_000 });
    const firstGap = Number(await page.locator(ISLAND).getAttribute("data-first-gap"));
    const firstElbo = Number(await page.locator(ISLAND).getAttribute("data-first-elbo"));
    // Wait for an evaluation after 250 steps.
    await page.waitForFunction(
      () => {
        const m = document.querySelector(".elbo-terms caption")?.textContent?.match(/step (\d+)/);
        return m && Number(m[1]) >= 250;
      },
      undefined,
      { timeout: 480_000, polling: 250 },
    );
    await page.locator(`${ISLAND} [data-testid=pause]`).click();
    await page.locator(`${ISLAND}[data-status=paused]`).waitFor({ timeout: 20_000 });
    const rec = await num(page, "reconstruction");
    const prior = await num(page, "prior"); // shown as −KL
    const denoising = await num(page, "denoising"); // shown as −sum
    const elbo = await num(page, "elbo");
    const logQ = await num(page, "logq");
    const gap = await num(page, "gap");
    const caption = await page.locator(`${ISLAND} caption`).textContent();
    console.log(
      `ElboTerms (${caption}): reconstruction ${rec}, prior ${prior}, denoising ${denoising}, ` +
        `ELBO ${elbo} (first ${firstElbo.toFixed(3)}), log q ${logQ}, gap ${gap} ` +
        `(first ${firstGap.toFixed(3)}); ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    assert.ok(prior <= 0 && denoising < 0, "the KL terms are subtracted");
    assert.ok(Math.abs(rec + prior + denoising - elbo) < 3e-3, "the terms add up to the ELBO");
    assert.ok(elbo < logQ, `the ELBO ${elbo} must lie below log q ${logQ}`);
    assert.ok(Math.abs(logQ - elbo - gap) < 2e-3);
    assert.ok(gap > 0 && gap < firstGap, `the gap shrinks: ${firstGap} -> ${gap}`);
    assert.ok(elbo > firstElbo, `the ELBO climbs: ${firstElbo} -> ${elbo}`);
    assert.equal(await page.locator(`${ISLAND} .uplot`).count(), 2, "two uPlot charts");
    // The model's own log-likelihood through its ODE, on the same points: finite, below log q
    // (E log q >= E log p for any density p); a leak would show after Reset below.
    const t1 = Date.now();
    await page.locator(`${ISLAND} [data-testid=ode-likelihood]`).click();
    await page.locator(`${ISLAND} [data-testid=ode-logp][data-value]`).waitFor({
      timeout: 240_000,
    });
    const odeLogP = await num(page, "ode-logp");
    const odeText = await page.locator(`${ISLAND} [data-testid=ode-logp]`).textContent();
    console.log(`ODE log p: ${odeText}; ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    assert.ok(Number.isFinite(odeLogP) && odeLogP < logQ, `ODE log p ${odeLogP} vs log q ${logQ}`);
    // Reset frees every tensor.
    await page.locator(`${ISLAND} [data-testid=reset]`).click();
    await page.locator(`${ISLAND}[data-status=idle]`).waitFor({ timeout: 20_000 });
    const [held, baseline] = await tensorsOf(page, ISLAND);
    assert.equal(held, baseline, "Reset frees every tensor");
    assert.deepEqual(session.errors, [], session.errors.join("\n"));
  } finally {
    await session.close();
  }
});
