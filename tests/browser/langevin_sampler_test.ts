/**
 * LangevinSampler in a real browser (Chapter 6): the exact stationary KL to the target grows with
 * the step size; running the chains moves them from their uniform start onto the three bumps (the
 * sample variance approaches the stationary one); Reset restores the start; no tfjs is loaded and
 * no console error is logged. Run `deno task build` first.
 */
import assert from "node:assert/strict";
import type { Locator } from "playwright-core";
import { shownNumber, startSession, waitHydrated } from "./harness.ts";

const number = (island: Locator, testid: string) =>
  shownNumber(island.locator(`[data-testid=${testid}]`));

async function variances(island: Locator): Promise<number[]> {
  const text = (await island.locator("[data-testid=variance]").textContent()) ?? "";
  return text.replaceAll("\u2212", "-").split("/").map((v) => Number.parseFloat(v));
}

Deno.test("LangevinSampler: bias grows with delta; chains settle on the bumps; reset; no tfjs, no errors", async () => {
  const session = await startSession();
  try {
    const scripts: string[] = [];
    const page = await session.open("/chapters/score-sde");
    page.on("request", (r) => scripts.push(r.url()));
    const island = await waitHydrated(page, ".langevin-sampler", 30_000);
    assert.equal(await island.locator("[data-testid=delta]").textContent(), "0.01");
    const klSmall = await number(island, "kl");
    assert.ok(klSmall > 1e-3 && klSmall < 1e-2, `KL at delta = 0.01: ${klSmall}`);

    // Step size 0.04 (two presses right): the bias grows by more than 10x.
    const slider = island.locator("[data-testid=delta-slider]");
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await island.locator(`[data-testid=delta]:text-is("0.04")`).waitFor();
    const klLarge = await number(island, "kl");
    assert.ok(klLarge > 10 * klSmall, `KL at delta = 0.04: ${klLarge} vs ${klSmall}`);

    // Run: the uniform start (variance 8.5^2/12 = 6.0) collapses onto the bumps. (Crossing between
    // bumps is slow, so the split among them still reflects the start: not the stationary one yet.)
    const [startVar] = await variances(island);
    assert.ok(startVar > 5, `uniform start: ${startVar}`);
    await island.locator("[data-testid=run]").click();
    await page.waitForFunction(
      () =>
        Number(document.querySelector(".langevin-sampler [data-testid=steps]")?.textContent) >= 300,
      undefined,
      { timeout: 20_000 },
    );
    await island.locator("[data-testid=run]").click(); // pause
    const [chains, stationary] = await variances(island);
    console.log(`delta 0.04: KL ${klLarge}, chains' variance ${chains}, stationary ${stationary}`);
    assert.ok(chains < 0.6 * startVar && chains > 0.5, `${chains} from ${startVar}`);
    assert.ok(Math.abs(stationary - 1.729) < 0.01, `grid-solved stationary variance ${stationary}`);

    await island.locator("[data-testid=reset]").click();
    await island.locator(`[data-testid=steps]:text-is("0")`).waitFor();
    assert.equal((await variances(island))[0], startVar);
    assert.equal(await island.locator("[data-testid=failure]").count(), 0);
    assert.ok(!scripts.some((u) => /tfjs|worker/.test(u)), scripts.join(", "));
    assert.deepEqual(session.errors, [], `console errors: ${session.errors.join("\n")}`);
  } finally {
    await session.close();
  }
});
