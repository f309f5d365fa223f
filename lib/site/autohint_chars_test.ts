import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { GREEK_RANGES, GREEK_REFERENCE, withAutohintReferences } from "./autohint_chars.ts";
import { fontCodePoints } from "./katex_subset.ts";

const inRanges = (c: number, ranges: readonly (readonly [number, number])[]) =>
  ranges.some(([a, b]) => c >= a && c <= b);

Deno.test("Greek's reference characters are 30 distinct Greek letters, none a Latin look-alike", () => {
  const cps = [...GREEK_REFERENCE].map((c) => c.codePointAt(0)!);
  assert.equal(new Set(cps).size, 30);
  assert.deepEqual(cps.filter((c) => !inRanges(c, GREEK_RANGES)), []);
  assert.ok(GREEK_REFERENCE.includes("\u03bf") && GREEK_REFERENCE.includes("\u039f"), "ο and Ο");
});

Deno.test("the references come with any Greek character, Greek Extended included, and only then", () => {
  const cps = (s: string) => new Set([...s].map((c) => c.codePointAt(0)!));
  assert.deepEqual(withAutohintReferences(cps("∑x≤")), cps("∑x≤"));
  for (const greek of ["Σ", "ϵ", "ἀ"]) {
    const got = withAutohintReferences(cps(`x${greek}`));
    assert.equal(got.size, 2 + 30 - (GREEK_REFERENCE.includes(greek) ? 1 : 0), greek);
  }
});

Deno.test("KaTeX's fonts hold no script FreeType hints by other references (Cyrillic, sub/superscripts)", async () => {
  const others: [number, number][] = [
    [0x0400, 0x052f], // Cyrillic, Cyrillic Supplement
    [0x1c80, 0x1c8f],
    [0x2de0, 0x2dff],
    [0xa640, 0xa69f],
    [0x1d62, 0x1d6a], // Latin subscript fallback
    [0x2080, 0x209c],
    [0x00aa, 0x00aa], // Latin superscript fallback
    [0x00b2, 0x00b3],
    [0x00b9, 0x00ba],
    [0x02b0, 0x02b8],
    [0x1d2c, 0x1d61],
    [0x2070, 0x207f],
  ];
  const dir = dirname(
    createRequire(import.meta.url).resolve("katex/dist/fonts/KaTeX_Main-Regular.woff2"),
  );
  for (const e of Deno.readDirSync(dir)) {
    if (!e.name.endsWith(".woff2")) continue;
    const cps = await fontCodePoints(await Deno.readFile(join(dir, e.name)));
    assert.deepEqual([...cps].filter((c) => inRanges(c, others)), [], e.name);
  }
});
