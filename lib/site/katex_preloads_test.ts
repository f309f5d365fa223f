import assert from "node:assert/strict";
import { createRequire } from "node:module";
import {
  KATEX_CLASS_FONTS,
  katexFontPreloads,
  katexFontsUsed,
  openingHtml,
} from "./katex_preloads.ts";

const require = createRequire(import.meta.url);

/**
 * Every rule of KaTeX's stylesheet that sets a font other than KaTeX_Main-Regular, as the
 * classes of each selector's last class compound and the font file they select.
 */
async function stylesheetFonts(): Promise<{ classes: string[]; font: string }[]> {
  const css = await Deno.readTextFile(require.resolve("katex/dist/katex.min.css"));
  const out: { classes: string[]; font: string }[] = [];
  for (const rule of css.replace(/@font-face\{[^}]*\}/g, "").matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const [selectors, body] = [rule[1], rule[2]];
    const family = body.match(/font-family:KaTeX_(\w+)/)?.[1];
    const bold = /font-weight:(700|bold)/.test(body);
    const italic = /font-style:italic/.test(body);
    if (!family && !bold && !italic) continue;
    const variant = bold && italic ? "BoldItalic" : bold ? "Bold" : italic ? "Italic" : "Regular";
    const font = `KaTeX_${family ?? "Main"}-${variant}`;
    if (font === "KaTeX_Main-Regular") continue;
    for (const selector of selectors.split(",")) {
      if (!selector.startsWith(".katex ")) continue;
      const compounds = selector.split(/[\s>]+/).filter((c) => c.includes("."));
      const classes = compounds.at(-1)!.split(".").filter(Boolean);
      if (classes[0] === "katex") continue;
      out.push({ classes, font });
    }
  }
  return out;
}

Deno.test("KATEX_CLASS_FONTS holds exactly the font rules of KaTeX's stylesheet", async () => {
  const key = (e: { classes: readonly string[]; font: string }) =>
    `${[...e.classes].sort().join(".")} -> ${e.font}`;
  const fromCss = new Set((await stylesheetFonts()).map(key));
  assert.ok(fromCss.size > 20, `read ${fromCss.size} rules from katex.min.css`);
  assert.deepEqual(new Set(KATEX_CLASS_FONTS.map(key)), fromCss);
});

Deno.test("katexFontsUsed: each class list is matched whole, and KaTeX_Main-Regular comes first", () => {
  const katex = (inner: string) => `<span class="katex">${inner}</span>`;
  assert.deepEqual(katexFontsUsed(katex('<span class="mord">1</span>')), ["KaTeX_Main-Regular"]);
  // `size1` alone is a sizing class (font size), not the Size1 font: only `delimsizing size1` is
  assert.deepEqual(katexFontsUsed(katex('<span class="sizing reset-size6 size1">x</span>')), [
    "KaTeX_Main-Regular",
  ]);
  assert.deepEqual(
    katexFontsUsed(
      katex('<span class="mop op-symbol large-op">∑</span><span class="mathbb">R</span>'),
    ),
    ["KaTeX_Main-Regular", "KaTeX_AMS-Regular", "KaTeX_Size2-Regular"],
  );
});

Deno.test("openingHtml and katexFontPreloads: the fonts of the first chunks only", () => {
  const chunk = (s: string) => `<div class="chunk">${s}</div>`;
  const part = (...chunks: string[]) => `<section class="part">${chunks.join("")}</section>`;
  const katex = (cls: string) => `<span class="katex"><span class="${cls}">x</span></span>`;
  const html = part(chunk(katex("mord"))) +
    part(chunk(katex("mathcal")), chunk(katex("mathbb")));
  assert.equal(
    openingHtml(html, 2),
    part(chunk(katex("mord"))) + '<section class="part">' + chunk(katex("mathcal")),
  );
  assert.equal(openingHtml(html), part(chunk(katex("mord"))) + '<section class="part">');
  assert.equal(openingHtml(html, 0), `<section class="part">`, "nothing of the first chunk");
  const fonts = katexFontPreloads(html).map((u) => u.match(/KaTeX_[\w-]+/)![0]);
  assert.deepEqual(fonts, ["KaTeX_Main-Regular"], "the first chunk's: the introduction's");
  assert.deepEqual(katexFontPreloads(part(chunk("<p>prose</p>"))), []);
});
