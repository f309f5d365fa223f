import assert from "node:assert/strict";
import {
  formatElapsed,
  formatExponential,
  formatLoss,
  formatMmd2,
  formatPrecision,
  formatShort,
  formatSigned,
  isGoodMmd2,
} from "./format.ts";

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

Deno.test("every form writes a true minus sign, in the sign and in the exponent", () => {
  assert.equal(formatSigned(-0.25, 2), "\u22120.25");
  assert.equal(formatPrecision(-1.234e-7, 3), "\u22121.23e\u22127");
  assert.equal(formatPrecision(0.000123, 2), "0.00012");
  assert.equal(formatExponential(-0.00303, 2), "\u22123.03e\u22123");
  assert.equal(formatExponential(12345, 1), "1.2e+4");
  assert.equal(formatShort(-4), "\u22124");
  assert.equal(formatShort(-1.23456), "\u22121.235");
  assert.equal(formatShort(-1e-14), "0");
  for (const f of [formatPrecision, formatExponential]) assert.equal(f(undefined, 2), "–");
  assert.equal(formatShort(NaN), "–");
});
