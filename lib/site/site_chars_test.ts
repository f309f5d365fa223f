import assert from "node:assert/strict";
import { join } from "node:path";
import type { Book } from "../book/mod.ts";
import { siteCodePoints } from "./site_chars.ts";

const has = (set: Set<number>, s: string) => [...s].every((c) => set.has(c.codePointAt(0)!));

Deno.test("the badges' math, set by KaTeX only when a page is served, is counted", async () => {
  const html = '<div class="equation"><a href="#eq:a" class="eq-number">(1.1)</a></div>';
  const book = {
    equations: [],
    chapters: [{
      parts: [{ kind: "html", html }],
      verification: {
        "eq:a": {
          label: "eq:a",
          status: "verified",
          source: "report",
          checks: [{
            label: "eq:a",
            name: "$\\Sigma_\\theta$ against quadrature",
            passed: true,
            maxError: 1e-14,
            tolerance: 1e-12,
            toleranceReason: "round-off",
            seed: 1,
            samples: 4,
          }],
        },
      },
    }],
  } as unknown as Book;
  const got = await siteCodePoints({ book, cssFiles: [] });
  assert.ok(has(got, "Σθ✓≤"), "KaTeX's Σ and θ, the badge's ✓ and ≤");
  assert.ok(!has(got, "α"));
});

Deno.test("every page of the export is read, escapes decoded; other files are not", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "chapters", "x"), { recursive: true });
    await Deno.writeTextFile(join(dir, "index.html"), "<p>&#x2207; &hellip;</p>");
    await Deno.writeTextFile(
      join(dir, "chapters", "x", "index.html"),
      '<script type="application/json">{"label":"\\u2211 \\ud835\\udc31"}</script>',
    );
    await Deno.writeTextFile(join(dir, "app.js"), "const label = 'ℵ';");
    await Deno.writeTextFile(join(dir, "a.css"), '.katex::after{content:"\\2016"}');
    const book = { equations: [], chapters: [] } as unknown as Book;
    const got = await siteCodePoints({ book, pagesDir: dir, cssFiles: [join(dir, "a.css")] });
    assert.ok(has(got, "∇…∑\u{1d431}‖"), [...got].map((c) => String.fromCodePoint(c)).join(""));
    assert.ok(!has(got, "ℵ"), "a script is not a page");
    assert.equal(got.size, 95 + 5, "printable ASCII and the five characters above");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
