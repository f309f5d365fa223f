import assert from "node:assert/strict";
import { formatElapsed, formatLoss, formatMmd2, isGoodMmd2 } from "./format.ts";

Deno.test("MMD² is written to four decimals, tiny values in scientific notation", () => {
  assert.equal(formatMmd2(0.0012), "0.0012");
  assert.equal(formatMmd2(0.01873), "0.0187");
  assert.equal(formatMmd2(-0.00015), "\u22120.0001"); // the unbiased estimate can be negative
  assert.equal(formatMmd2(0.00002), "2.0e\u22125");
  assert.equal(formatMmd2(0), "0.0000");
  assert.equal(formatMmd2(NaN), "–");
});

Deno.test("good samples are strictly below 2e-3", () => {
  assert.ok(isGoodMmd2(0.00199));
  assert.ok(isGoodMmd2(-1e-4));
  assert.ok(!isGoodMmd2(0.002));
  assert.ok(!isGoodMmd2(NaN));
});

Deno.test("elapsed time and loss", () => {
  assert.equal(formatElapsed(0), "0.0 s");
  assert.equal(formatElapsed(59_949), "59.9 s");
  assert.equal(formatElapsed(60_000), "1:00");
  assert.equal(formatElapsed(3_725_000), "62:05");
  assert.equal(formatLoss(1.23456), "1.23");
  assert.equal(formatLoss(Infinity), "–");
  assert.equal(formatLoss(-0.5), "\u22120.500");
});
