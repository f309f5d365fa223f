/**
 * axe-core (npm, pinned in deno.json) on every kind of page: home, each chapter (notation among
 * them), search with a query and its results, a 404, an embed page; in light and dark at desktop
 * width and at phone width. Any serious or critical violation fails, listed with its nodes.
 * One browser; one context per mode, its pages opened one after another. To stay quick, every
 * rule runs in light at desktop width; dark runs the rule that depends on colours, the phone the
 * rules that depend on width. KaTeX's HTML is removed first: it is `aria-hidden` (the MathML beside
 * it is what assistive technology reads), and its thousands of spans would only slow axe down.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import { getBook } from "../../lib/site/book.ts";
import { startSession } from "./harness.ts";
import { RENDER_SKIPPED } from "./skipped_boxes.ts";

const MODES = [
  { name: "light 1280", colorScheme: "light", viewport: { width: 1280, height: 800 }, rules: [] },
  {
    name: "dark 1280",
    colorScheme: "dark",
    viewport: { width: 1280, height: 800 },
    rules: ["color-contrast"],
  },
  {
    name: "light 390",
    colorScheme: "light",
    viewport: { width: 390, height: 844 },
    rules: ["scrollable-region-focusable", "target-size", "color-contrast", "meta-viewport"],
  },
] as const;

interface Found {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

Deno.test("axe-core: no serious or critical violation on any page, light, dark or phone", async () => {
  const book = await getBook();
  const withDemo = book.chapters.find((c) => c.parts.some((p) => p.kind === "island"))!;
  const paths = [
    "/",
    ...book.chapters.map((c) => `/chapters/${c.slug}`),
    "/search?q=posterior",
    "/no-such-page",
    `/embed/${withDemo.slug}/1`,
  ];
  const session = await startSession();
  const problems: string[] = [];
  let checked = 0;
  try {
    for (const mode of MODES) {
      const context = await session.browser.newContext({
        colorScheme: mode.colorScheme,
        viewport: mode.viewport,
        bypassCSP: true, // to inject axe; the site's CSP has its own test (csp_test.ts)
      });
      const page = await context.newPage();
      for (const path of paths) {
        await page.goto(session.base + path, { waitUntil: "load" });
        if (path.startsWith("/search")) {
          await page.locator("[data-testid=search-results] li").first().waitFor({
            timeout: 30_000,
          });
        }
        // content-visibility: auto leaves far sections unrendered, and axe skips what is not
        // rendered: render everything first
        await page.addStyleTag({ content: RENDER_SKIPPED });
        // KaTeX's HTML is aria-hidden (assistive technology reads the MathML beside it); without
        // its thousands of spans axe runs several times faster
        await page.evaluate(() =>
          document.querySelectorAll(".katex-html").forEach((e) => e.remove())
        );
        await page.addScriptTag({ content: axe.source });
        const found: Found[] = await page.evaluate(async (rules) => {
          // deno-lint-ignore no-explicit-any
          const run = (globalThis as any).axe.run as (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{ violations: Found[] & { nodes: { target: string[] }[] }[] }>;
          const r = await run(document, {
            resultTypes: ["violations"],
            ...(rules.length > 0 ? { runOnly: { type: "rule", values: rules } } : {}),
          });
          return r.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              // deno-lint-ignore no-explicit-any
              nodes: (v.nodes as any[]).slice(0, 3).map((n) => n.target.join(" ")),
            }));
        }, [...mode.rules]);
        checked++;
        for (const v of found) {
          problems.push(`${mode.name} ${path}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes}`);
        }
      }
      await context.close();
    }
  } finally {
    await session.close();
  }
  assert.equal(checked, MODES.length * paths.length);
  assert.deepEqual(problems, []);
});
