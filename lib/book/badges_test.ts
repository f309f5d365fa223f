import assert from "node:assert/strict";
import { addBadges, badgeHtml } from "./badges.ts";
import { verifyEquations } from "./verification.ts";

const html = '<div class="equation" id="eq:a" data-label="eq:a" data-number="1.1">' +
  '<span class="katex-display">x</span> <a href="#eq:a" class="eq-number">(1.1)</a></div>' +
  '<p>See <a href="#eq:a">(1.1)</a>.</p>' +
  '<div class="equation" id="eq:b"><a href="#eq:b" class="eq-number">(1.2)</a></div>';

Deno.test("addBadges: one badge after each equation number, none after references", () => {
  const eqs = ["eq:a", "eq:b"].map((label, i) => ({
    chapter: "01-x",
    chapterNumber: 1,
    label,
    number: `1.${i + 1}`,
    latex: "x",
    file: "chapters/01-x.md",
    line: i + 1,
  }));
  const v = verifyEquations(eqs, [{
    label: "eq:a",
    name: "closed form <vs> MC",
    passed: true,
    maxError: 0.00123,
    tolerance: 0.004,
    toleranceReason: "4 SE",
    seed: 42,
    samples: 2000,
  }], "tests/report/verification.json");
  const out = addBadges(html, v);
  assert.equal(out.match(/<details class="eq-badge/g)?.length, 2);
  assert.match(
    out,
    /\(1\.1\)<\/a><details class="eq-badge eq-badge-verified eq-badge-engine-only" data-status="verified" data-printed="not-evaluated">/,
  );
  assert.match(out, /\(1\.2\)<\/a><details class="eq-badge eq-badge-unchecked"/);
  assert.match(out, /<p>See <a href="#eq:a">\(1\.1\)<\/a>\.<\/p>/);
  assert.match(out, /closed form &lt;vs&gt; MC<\/strong>: max error 0\.0012 ≤ tolerance 0\.0040/);
  assert.match(out, /seed 42, 2000 samples/);
  assert.match(out, /Source: tests\/report\/verification\.json/);
});

Deno.test("badgeHtml: failed and missing verification say so", () => {
  const failed = badgeHtml("eq:a", {
    label: "eq:a",
    status: "failed",
    source: "s",
    checks: [{
      label: "eq:a",
      name: "n",
      passed: false,
      maxError: "Infinity",
      tolerance: 0,
      toleranceReason: "threw: boom",
      seed: 0,
      samples: 0,
    }],
  });
  assert.match(
    failed,
    /eq-badge-failed.*Not verified: 1 of 1 checks failed.*max error Infinity >/,
  );
  const none = badgeHtml("eq:z", undefined);
  assert.match(none, /eq-badge-unchecked.*Not verified: no check ran.*<code>eq:z<\/code>/);
});

Deno.test("badge: the printed-equation line, and a different mark when only the engine was checked", () => {
  const row = {
    label: "eq:a",
    name: "closed form vs $\\bar\\alpha_{t-1}$",
    passed: true,
    maxError: 1e-15,
    tolerance: 1e-12,
    toleranceReason: "round-off",
    seed: 1,
    samples: 3,
  };
  const printed = { ...row, name: "printed LaTeX evaluated", printed: true, samples: 48 };
  const full = badgeHtml("eq:a", {
    label: "eq:a",
    status: "verified",
    source: "t",
    checks: [row, printed],
    printed: { evaluated: true, samples: 48, maxError: 1e-15, tolerance: 1e-12 },
  });
  assert.equal(full.includes(">✓</summary>"), true);
  assert.equal(full.includes("The printed equation was evaluated at 48 points"), true);
  assert.equal(full.includes('class="katex"'), true, "math in a check name renders with KaTeX");
  const engine = badgeHtml("eq:a", {
    label: "eq:a",
    status: "verified",
    source: "t",
    checks: [row],
    printed: { evaluated: false, reason: "a definition" },
  });
  assert.equal(engine.includes(">✓</summary>"), false, "never the same mark");
  assert.equal(engine.includes("eq-badge-engine-only"), true);
  assert.equal(engine.includes("The printed equation was not evaluated: a definition."), true);
});
