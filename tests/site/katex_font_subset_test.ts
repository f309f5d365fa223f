/**
 * The KaTeX fonts the build ships are subsets (scripts/build.ts `subsetVendorFonts`), and no
 * formula loses a glyph to them: every character inside a `.katex` element of every page of the
 * static export, and every `content:` string of a `.katex` CSS rule, is in each shipped font that
 * KaTeX's original font has it in. The Deno server and the static export serve the same files.
 * Needs a build (`BUILD_DIR` or `_build`).
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseHTML } from "linkedom";
import { createSite } from "../../main.ts";
import { buildDir, ROOT } from "../../lib/site/paths.ts";
import { fontCodePoints } from "../../lib/site/katex_subset.ts";

const originals = dirname(
  createRequire(import.meta.url).resolve("katex/dist/fonts/KaTeX_Main-Regular.woff2"),
);
const served = join(buildDir(), "static", "vendor", "katex", "fonts");
const exported = join(buildDir(), "static-site", "vendor", "katex", "fonts");
const names = [...Deno.readDirSync(served)].map((e) => e.name).sort();

async function pages(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) out.push(...await pages(join(dir, e.name)));
    else if (e.name.endsWith(".html")) out.push(join(dir, e.name));
  }
  return out;
}

/** Each character drawn inside `.katex`, with the first page (or stylesheet) it is drawn on. */
async function katexCharacters(): Promise<Map<number, string>> {
  const where = new Map<number, string>();
  const add = (text: string, from: string) => {
    for (const c of text) if (!where.has(c.codePointAt(0)!)) where.set(c.codePointAt(0)!, from);
  };
  for (const file of await pages(join(buildDir(), "static-site"))) {
    const html = await Deno.readTextFile(file);
    if (!html.includes('class="katex')) continue;
    const { document } = parseHTML(html);
    for (const el of document.querySelectorAll(".katex")) add(el.textContent ?? "", file);
  }
  const css = [join(served, "..", "katex.min.css"), join(ROOT, "static", "styles.css")];
  for (const file of css) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/\.katex[^{}]*\{[^}]*content:\s*"([^"]*)"/g)) {
      add(
        m[1].replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_, h) => String.fromCodePoint(parseInt(h, 16))),
        file,
      );
    }
  }
  return where;
}

Deno.test("every character set in KaTeX on every page is in the shipped font that had it", async () => {
  const drawn = await katexCharacters();
  assert.ok(drawn.size > 100 && drawn.has(0x3b8) && drawn.has(0x2211), `${drawn.size} characters`);
  assert.equal(names.length, 20, names.join(" "));
  const missing: string[] = [];
  let before = 0, after = 0;
  for (const name of names) {
    const original = await Deno.readFile(join(originals, name));
    const shipped = await Deno.readFile(join(served, name));
    assert.deepEqual(await Deno.readFile(join(exported, name)), shipped, `${name}: export differs`);
    before += original.length;
    after += shipped.length;
    const had = await fontCodePoints(original);
    const has = await fontCodePoints(shipped);
    assert.deepEqual([...has].filter((c) => !had.has(c)), [], `${name} maps a new character`);
    for (const [c, file] of drawn) {
      if (had.has(c) && !has.has(c)) {
        missing.push(
          `${name} lacks U+${c.toString(16).toUpperCase()} (${String.fromCodePoint(c)}, ${file})`,
        );
      }
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(after < 0.9 * before, `the fonts were not subset: ${after} of ${before} bytes`);
});

Deno.test("the Deno server serves the subset fonts, the same bytes as the static export", async () => {
  const handler = (await createSite()).handler();
  for (const name of ["KaTeX_Main-Regular.woff2", "KaTeX_AMS-Regular.woff2"]) {
    const res = await handler(new Request(`http://site.test/vendor/katex/fonts/${name}`));
    assert.equal(res.status, 200, name);
    // the subsets change with the text under the same names: revalidated, never immutable
    assert.equal(res.headers.get("cache-control"), "no-cache", name);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual(bytes, await Deno.readFile(join(exported, name)), name);
    assert.ok(bytes.length < (await Deno.stat(join(originals, name))).size, `${name} is whole`);
  }
});
