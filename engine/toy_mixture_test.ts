import assert from "node:assert/strict";
import { mixtureLogPdf, mixtureSample } from "./mixture.ts";
import { bookMixture2D, DRAWN_STD, mixtureDataset, mixtureFromPoints } from "./toy_mixture.ts";
import { createRng } from "./rng.ts";

Deno.test("the book's mixture is about standardised and its samples have the exact density's mean log", () => {
  const m = bookMixture2D();
  const x = mixtureDataset(m)(20_000, createRng(3));
  let sx = 0, sy = 0, s2 = 0;
  for (let i = 0; i < x.length; i += 2) {
    sx += x[i];
    sy += x[i + 1];
  }
  const n = x.length / 2;
  for (let i = 0; i < x.length; i += 2) s2 += (x[i] - sx / n) ** 2 + (x[i + 1] - sy / n) ** 2;
  const std = Math.sqrt(s2 / (2 * n));
  assert.ok(Math.abs(sx / n) < 0.2 && Math.abs(sy / n) < 0.2, `mean ${sx / n}, ${sy / n}`);
  assert.ok(std > 0.7 && std < 1.3, `std ${std}`);
  // log q at a component centre is above log q far away
  assert.ok(mixtureLogPdf(m, [-1.1, -0.7]) > mixtureLogPdf(m, [3, 3]) + 10);
});

Deno.test("drawn points become equal-weight Gaussians of DRAWN_STD around each point", () => {
  const m = mixtureFromPoints([1, 2, -1, 0]);
  assert.equal(m.variances[0], DRAWN_STD ** 2);
  const s = mixtureSample(m, 4000, createRng(2)).x;
  let near = 0;
  for (let i = 0; i < s.length; i += 2) {
    if (Math.hypot(s[i] - 1, s[i + 1] - 2) < 4 * DRAWN_STD) near++;
  }
  assert.ok(Math.abs(near / 2000 - 1) < 0.1, `share near (1, 2): ${near / 4000}`);
  assert.throws(() => mixtureFromPoints([1, 2, 3]), /current value is length 3/);
  assert.throws(
    () => mixtureDataset({ ...m, dim: 1 }),
    /dimension must be 2/,
  );
});
