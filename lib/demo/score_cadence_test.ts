import assert from "node:assert/strict";
import { SCORE_CADENCE, type ScoreCadenceState, scoreDue } from "./score_cadence.ts";

const base: ScoreCadenceState = {
  now: 10_000,
  lastPreviewAt: 9_950,
  lastFullAt: 9_000,
  previewCostMs: 100,
  fullCostMs: 400,
  estimate: NaN,
  fullMmd2: 6e-3,
  threshold: 2e-3,
};

Deno.test("the steady clock: a full score every fullEveryMs, slower when it is costly", () => {
  assert.equal(scoreDue({ ...base, lastFullAt: 6_000 }, SCORE_CADENCE), "full");
  assert.equal(scoreDue({ ...base, lastFullAt: 6_001 }, SCORE_CADENCE), "none");
  // A 1.5 s score under a 15% share waits 10 s, not 4.
  const costly = { ...base, fullCostMs: 1500 };
  assert.equal(scoreDue({ ...costly, lastFullAt: 4_000 }, SCORE_CADENCE), "none");
  assert.equal(scoreDue({ ...costly, lastFullAt: 0 }, SCORE_CADENCE), "full");
});

Deno.test("a preview estimate near the threshold asks for a full score, within confirmShare", () => {
  const close = { ...base, estimate: 2.3e-3 }; // below 1.2 x 2e-3
  assert.equal(scoreDue(close, SCORE_CADENCE), "full");
  assert.equal(scoreDue({ ...close, estimate: 2.5e-3 }, SCORE_CADENCE), "none");
  // 400 ms a score under a 50% share: not within 800 ms of the last one.
  assert.equal(scoreDue({ ...close, lastFullAt: 9_300 }, SCORE_CADENCE), "none");
  assert.equal(scoreDue({ ...close, lastFullAt: 9_200 }, SCORE_CADENCE), "full");
  // Once the readout is below the threshold, estimates no longer ask.
  assert.equal(scoreDue({ ...close, fullMmd2: 1.9e-3 }, SCORE_CADENCE), "none");
  // No estimate (NaN) never asks.
  assert.equal(scoreDue({ ...close, estimate: NaN }, SCORE_CADENCE), "none");
});

Deno.test("previews: every previewEveryMs, slower when they cost more than maxShare", () => {
  assert.equal(scoreDue({ ...base, lastPreviewAt: 9_000 }, SCORE_CADENCE), "preview");
  assert.equal(scoreDue({ ...base, lastPreviewAt: 9_001 }, SCORE_CADENCE), "none");
  const slow = { ...base, previewCostMs: 300, lastPreviewAt: 8_000 }; // 300 / 0.15 = 2 s apart
  assert.equal(scoreDue(slow, SCORE_CADENCE), "preview");
  assert.equal(scoreDue({ ...slow, lastPreviewAt: 8_001 }, SCORE_CADENCE), "none");
  // Nothing drawn yet: a preview at once.
  const fresh = { ...base, lastPreviewAt: -Infinity, lastFullAt: 9_999, fullCostMs: 0 };
  assert.equal(scoreDue(fresh, SCORE_CADENCE), "preview");
});

Deno.test("near the threshold previews come nearSpeedup times as often, within confirmShare", () => {
  // The last full score 5e-3 < 3 x 2e-3: previews every 1000 / 4 = 250 ms.
  const near = { ...base, fullMmd2: 5e-3, lastPreviewAt: 9_750 };
  assert.equal(scoreDue(near, SCORE_CADENCE), "preview");
  assert.equal(scoreDue({ ...near, lastPreviewAt: 9_751 }, SCORE_CADENCE), "none");
  // A 200 ms preview under a 50% share: 400 ms apart.
  assert.equal(
    scoreDue({ ...near, previewCostMs: 200, lastPreviewAt: 9_700 }, SCORE_CADENCE),
    "none",
  );
  assert.equal(
    scoreDue({ ...near, previewCostMs: 200, lastPreviewAt: 9_600 }, SCORE_CADENCE),
    "preview",
  );
  // Far from it (7e-3) or already below it: the usual second.
  assert.equal(scoreDue({ ...near, fullMmd2: 7e-3 }, SCORE_CADENCE), "none");
  assert.equal(scoreDue({ ...near, fullMmd2: 1e-3 }, SCORE_CADENCE), "none");
  // A close estimate counts as near too.
  assert.equal(scoreDue({ ...near, fullMmd2: 9e-3, estimate: 4e-3 }, SCORE_CADENCE), "preview");
});

Deno.test("a confirmation that missed by little asks again sooner, never sooner than missFloor", () => {
  // 400 ms a score under a 50% share: 800 ms after a far miss (6e-3) ...
  const close = { ...base, estimate: 2.3e-3, lastFullAt: 9_300 }; // 700 ms ago
  assert.equal(scoreDue(close, SCORE_CADENCE), "none");
  // ... 800 ms x (2.4e-3 / 2e-3 - 1) / (1.25 - 1) = 640 ms after a miss by 20% ...
  assert.equal(scoreDue({ ...close, fullMmd2: 2.4e-3 }, SCORE_CADENCE), "full");
  assert.equal(scoreDue({ ...close, fullMmd2: 2.4e-3, lastFullAt: 9_361 }, SCORE_CADENCE), "none");
  // ... and never within 800 ms x missFloor (0.5) = 400 ms, however close the miss.
  assert.equal(scoreDue({ ...close, fullMmd2: 2.01e-3, lastFullAt: 9_600 }, SCORE_CADENCE), "full");
  assert.equal(scoreDue({ ...close, fullMmd2: 2.01e-3, lastFullAt: 9_601 }, SCORE_CADENCE), "none");
  // missFloor 1 turns the rule off.
  const off = { ...SCORE_CADENCE, missFloor: 1 };
  assert.equal(scoreDue({ ...close, fullMmd2: 2.01e-3, lastFullAt: 9_600 }, off), "none");
});
