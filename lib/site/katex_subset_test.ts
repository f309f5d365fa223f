import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Blob, Face, Font } from "harfbuzzjs";
import wawoff2 from "wawoff2";
import { fontCodePoints, subsetKatexFonts, subsetWoff2 } from "./katex_subset.ts";
import { GREEK_REFERENCE } from "./autohint_chars.ts";

const fontsDir = dirname(
  createRequire(import.meta.url).resolve("katex/dist/fonts/KaTeX_Main-Regular.woff2"),
);
const codePoints = (s: string) => new Set([...s].map((c) => c.codePointAt(0)!));

/** Each character's outline and advance, and the font's line metrics: what a browser draws. */
async function drawing(woff2: Uint8Array, chars: Iterable<number>) {
  const font = new Font(new Face(new Blob(await wawoff2.decompress(woff2)), 0));
  const glyphs = [...chars].map((c) => {
    const g = font.glyph(c);
    return g === undefined ? null : [c, font.glyphToPath(g), font.glyphHAdvance(g)];
  });
  return { extents: font.hExtents(), glyphs };
}

Deno.test("a subset maps the asked characters its font has and their mirrors, each drawn as before", async () => {
  // printable ASCII, letters and symbols the book uses, one no KaTeX font has, a lone surrogate
  const asked = codePoints(" !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~αβεθσΣ∑∫√⟨⟩ℝ∇−→≤⊤😀");
  asked.add(0xd800);
  let names = 0;
  for (const e of Deno.readDirSync(fontsDir)) {
    if (!e.name.endsWith(".woff2")) continue;
    names++;
    const font = await Deno.readFile(join(fontsDir, e.name));
    const had = await fontCodePoints(font);
    const cut = await subsetWoff2(font, asked);
    const has = await fontCodePoints(cut);
    // HarfBuzz keeps a character's mirror image for right-to-left text: ≥ comes with ≤.
    // (every other mirrored pair in `asked` is asked whole)
    const expected = [...had].filter((c) => asked.has(c) || (c === 0x2265 && had.has(0x2264)));
    assert.deepEqual([...has].sort(), expected.sort(), e.name);
    assert.ok(has.size > 0 && cut.length < font.length, `${e.name}: ${cut.length} bytes`);
    assert.deepEqual(await drawing(cut, has), await drawing(font, has), e.name);
  }
  assert.equal(names, 20);
});

Deno.test("a subset keeps a character's mirror image and nothing else", async () => {
  const font = await Deno.readFile(join(fontsDir, "KaTeX_Main-Regular.woff2"));
  const kept = async (s: string) =>
    [...await fontCodePoints(await subsetWoff2(font, codePoints(s)))].sort().map((c) =>
      String.fromCodePoint(c)
    ).join("");
  assert.deepEqual([await kept("≤"), await kept("<"), await kept("=")], ["≤≥", "<>", "="]);
});

Deno.test("subsetKatexFonts writes each subset into every folder and reports its sizes", async () => {
  const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
  try {
    const fonts = await subsetKatexFonts({
      fromDir: fontsDir,
      toDirs: [a, join(b, "fonts")],
      codePoints: codePoints("x+∑"),
    });
    const size1 = fonts.find((f) => f.name === "KaTeX_Size1-Regular.woff2")!;
    assert.deepEqual([size1.kept, size1.available], [1, 45]); // the big ∑ only
    for (const f of fonts) {
      const inA = await Deno.readFile(join(a, f.name));
      assert.deepEqual(inA, await Deno.readFile(join(b, "fonts", f.name)));
      assert.equal(inA.length, f.after);
      assert.equal((await Deno.stat(join(fontsDir, f.name))).size, f.before);
    }
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});

Deno.test("a font that keeps a Greek letter keeps the Greek letters FreeType hints it by", async () => {
  const to = await Deno.makeTempDir();
  try {
    const fonts = await subsetKatexFonts({
      fromDir: fontsDir,
      toDirs: [to],
      codePoints: codePoints("θ"),
    });
    const kept = async (name: string) => await fontCodePoints(await Deno.readFile(join(to, name)));
    const mathItalic = await kept("KaTeX_Math-Italic.woff2");
    assert.ok(mathItalic.has(0x3b8) && mathItalic.has(0x3bf) && mathItalic.has(0x393), "θ, ο, Γ");
    const whole = await fontCodePoints(
      await Deno.readFile(join(fontsDir, "KaTeX_Math-Italic.woff2")),
    );
    const references = [...GREEK_REFERENCE].filter((c) => whole.has(c.codePointAt(0)!)); // θ too
    assert.equal(mathItalic.size, references.length);
    assert.equal(fonts.find((f) => f.name === "KaTeX_Math-Italic.woff2")!.kept, references.length);
    // Main-Regular has no θ, so it keeps no Greek at all
    assert.equal((await kept("KaTeX_Main-Regular.woff2")).size, 0);
  } finally {
    await Deno.remove(to, { recursive: true });
  }
});

Deno.test("subsetKatexFonts says so when its source folder holds no woff2", async () => {
  const empty = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(empty, "KaTeX_Main-Regular.ttf"), "");
    await assert.rejects(
      () => subsetKatexFonts({ fromDir: empty, toDirs: [], codePoints: new Set([0x78]) }),
      /Cannot subset KaTeX's fonts as .* holds no woff2 font: current value is \["KaTeX_Main-Regular\.ttf"\]/,
    );
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});
