/**
 * `deno task build`: bundles the islands (code-split, minified, hashed), pre-renders every chapter
 * into `_build/book.json` (so the server needs neither KaTeX nor shiki at run time), writes the
 * equation index, and copies the vendored assets (KaTeX's CSS and fonts, tfjs's WASM binaries) into
 * `_build/static/vendor/`. A chapter that fails to render fails the build, with file:line and rule.
 * Then it writes the static export (every page as a file, under the site config's base path) into
 * `_build/static-site/`; a broken internal link fails the build there. Last, with every page
 * rendered, it cuts KaTeX's fonts in both folders to the characters the site can draw.
 *
 * @module
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { build } from "../lib/fresh/mod.ts";
import { BookBuildError } from "../lib/book/mod.ts";
import { renderBook, resetBookCache, shownChapters } from "../lib/site/book.ts";
import { buildDir, ROOT } from "../lib/site/paths.ts";
import { BUNDLE_ENTRIES } from "../lib/site/assets.ts";
import { siteConfig, SiteConfigError } from "../lib/site/config.ts";
import { exportStaticSite } from "../lib/site/export.ts";
import { buildSearchIndex } from "../lib/book/search_index.ts";
import { applyVerification, verifyMode } from "./verify_equations.ts";
import { SHIPPED_FONT, woff2OnlyCss } from "../lib/site/katex_fonts.ts";
import { subsetKatexFonts } from "../lib/site/katex_subset.ts";
import { siteCodePoints } from "../lib/site/site_chars.ts";
import type { Book } from "../lib/book/mod.ts";

const require = createRequire(import.meta.url);

/** Runs the whole build into `outDir` and returns what it wrote. */
export async function buildSite(outDir = buildDir()): Promise<{ ms: number; chapters: number }> {
  const start = performance.now();
  const book = await renderBook(); // first: a bad chapter fails before anything is written
  shownChapters(book); // and a site config naming an unknown chapter
  const verified = await applyVerification(book, {
    root: ROOT,
    mode: verifyMode(Deno.env.get("VERIFY_EQUATIONS")),
    requireVerified: Deno.args.includes("--require-verified") ||
      Deno.env.get("REQUIRE_VERIFIED") === "1",
  });
  console.log(
    `Equations: ${verified.verified} verified, ${verified.failed} failed, ` +
      `${verified.unchecked} unchecked (${verified.source})`,
  );
  await Deno.remove(outDir, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  await Deno.mkdir(`${outDir}/static`, { recursive: true });
  await build({
    root: ROOT,
    outDir,
    minify: true,
    entries: { ...BUNDLE_ENTRIES },
  });
  await Deno.writeTextFile(`${outDir}/book.json`, JSON.stringify(book));
  await Deno.writeTextFile(
    `${outDir}/site.json`,
    JSON.stringify({ basePath: siteConfig().basePath }),
  );
  await Deno.writeTextFile(`${outDir}/equations.json`, JSON.stringify(book.equations, null, 1));
  await Deno.writeTextFile(
    `${outDir}/static/search-index.json`,
    buildSearchIndex(book),
  );
  await copyVendor(outDir);
  let pagesDir: string | undefined;
  if (outDir === buildDir()) { // the export renders through the app, which reads buildDir()
    resetBookCache();
    pagesDir = `${outDir}/static-site`;
    const { pages } = await exportStaticSite({ buildDir: outDir, outDir: pagesDir });
    console.log(
      `Static site: ${pages.length} pages in ${pagesDir} (base path "${
        siteConfig().basePath || "/"
      }")`,
    );
  }
  await subsetVendorFonts(outDir, book, pagesDir); // last: it reads every page the export wrote
  return { ms: performance.now() - start, chapters: book.chapters.length };
}

const katexDist = () => dirname(require.resolve("katex/dist/katex.min.css"));

/**
 * Replaces the KaTeX fonts that {@link copyVendor} copied, in the build and in the static export
 * (`pagesDir`), by subsets holding every character the site can draw (lib/site/site_chars.ts,
 * lib/site/katex_subset.ts). `deno task dev` renders pages on demand, so it keeps the whole fonts.
 */
export async function subsetVendorFonts(
  outDir: string,
  book: Book,
  pagesDir: string | undefined,
): Promise<void> {
  const start = performance.now();
  const codePoints = await siteCodePoints({
    book,
    pagesDir,
    cssFiles: [`${outDir}/static/vendor/katex/katex.min.css`, `${ROOT}/static/styles.css`],
  });
  const toDirs = [`${outDir}/static/vendor/katex/fonts`];
  if (pagesDir !== undefined) toDirs.push(`${pagesDir}/vendor/katex/fonts`);
  const fonts = await subsetKatexFonts({ fromDir: `${katexDist()}/fonts`, toDirs, codePoints });
  const kB = (n: number) => (n / 1000).toFixed(0);
  const sum = (k: "before" | "after") => fonts.reduce((s, f) => s + f[k], 0);
  console.log(
    `KaTeX fonts: ${fonts.length} cut to the site's ${codePoints.size} characters, ` +
      `${kB(sum("before"))} kB -> ${kB(sum("after"))} kB, in ${
        ((performance.now() - start) / 1000).toFixed(1)
      } s`,
  );
}

export async function copyVendor(outDir: string): Promise<void> {
  const dist = katexDist();
  const katexOut = `${outDir}/static/vendor/katex`;
  await Deno.remove(`${katexOut}/fonts`, { recursive: true }).catch(() => {}); // no stale woff/ttf
  await Deno.mkdir(`${katexOut}/fonts`, { recursive: true });
  const css = await Deno.readTextFile(`${dist}/katex.min.css`);
  await Deno.writeTextFile(`${katexOut}/katex.min.css`, woff2OnlyCss(css)); // lib/site/katex_fonts.ts
  for await (const f of Deno.readDir(`${dist}/fonts`)) {
    if (SHIPPED_FONT.test(f.name)) {
      await Deno.copyFile(`${dist}/fonts/${f.name}`, `${katexOut}/fonts/${f.name}`);
    }
  }
  const wasmDist = dirname(
    require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm"),
  );
  const tfOut = `${outDir}/static/vendor/tfjs`;
  await Deno.mkdir(tfOut, { recursive: true });
  for (const name of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"]) {
    await Deno.copyFile(`${wasmDist}/${name}`, `${tfOut}/${name}`);
  }
  // uPlot's stylesheet (the training demos' charts load it from here; lib/demo/charts.ts).
  const uplotCss = require.resolve("uplot/dist/uPlot.min.css");
  await Deno.mkdir(`${outDir}/static/vendor/uplot`, { recursive: true });
  await Deno.copyFile(uplotCss, `${outDir}/static/vendor/uplot/uPlot.min.css`);
}

if (import.meta.main) {
  try {
    const { ms, chapters } = await buildSite();
    console.log(`Built ${chapters} chapters into ${buildDir()} in ${(ms / 1000).toFixed(1)} s`);
  } catch (e) {
    if (e instanceof BookBuildError || e instanceof SiteConfigError) {
      console.error(e.message);
      Deno.exit(1);
    }
    throw e;
  }
}
