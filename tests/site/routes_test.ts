/**
 * The site's own routes, answered by the app from the build (`BUILD_DIR` or `_build`, served at
 * the root): robots.txt, sitemap.xml, canonical and Open Graph tags, embed pages and their framing
 * header, `?embed=1`, and `/source/` (engine files only).
 */
import assert from "node:assert/strict";
import { createSite } from "../../main.ts";
import { getBook } from "../../lib/site/book.ts";
import { katexFontsUsed, openingHtml } from "../../lib/site/katex_preloads.ts";

const app = await createSite();
const get = (path: string) => app.handler()(new Request(`http://site.test${path}`));

Deno.test("robots.txt and sitemap.xml use the request's origin when siteUrl is empty", async () => {
  const robots = await (await get("/robots.txt")).text();
  assert.match(robots, /^User-agent: \*\nDisallow: \/embed\/\n/);
  assert.match(robots, /Sitemap: http:\/\/site\.test\/sitemap\.xml/);
  const sitemap = await get("/sitemap.xml");
  assert.match(sitemap.headers.get("content-type") ?? "", /^application\/xml/);
  const locs = [...(await sitemap.text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  const { chapters } = await getBook();
  assert.deepEqual(locs, [
    "http://site.test/",
    ...chapters.map((c) => `http://site.test/chapters/${c.slug}`),
  ]);
});

Deno.test("a chapter has its canonical URL and its own Open Graph title and description", async () => {
  const { chapters } = await getBook();
  const c = chapters[1];
  const html = await (await get(`/chapters/${c.slug}`)).text();
  // No siteUrl configured: a root-relative canonical, never the request's Host (issue 21).
  assert.ok(html.includes(`<link rel="canonical" href="/chapters/${c.slug}"/>`));
  assert.ok(html.includes(`<meta property="og:url" content="/chapters/${c.slug}"/>`));
  assert.ok(!html.includes("site.test"), "the request's Host is not in the page");
  assert.ok(html.includes(`<meta property="og:type" content="article"/>`));
  const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  assert.ok(html.includes(`<meta property="og:title" content="${attr(c.title)}"/>`), c.title);
  assert.ok(html.includes(`<meta property="og:description" content="${attr(c.summary)}"/>`));
  assert.match(html, /<html lang="en" data-base-path(="")?>/);
});

Deno.test("embed pages: only real demos, framing allowed, kept out of search engines", async () => {
  const { chapters } = await getBook();
  const c = chapters.find((c) => c.parts.some((p) => p.kind === "island"))!;
  const ok = await get(`/embed/${c.slug}/1`);
  const html = await ok.text();
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get("content-security-policy") ?? "", /frame-ancestors 'self' https:/);
  assert.ok(html.includes('<meta name="robots" content="noindex"/>'));
  assert.ok(!html.includes("site-header"));
  for (
    const bad of [`/embed/${c.slug}/0`, `/embed/${c.slug}/99`, "/embed/nope/1", "/embed/x/1e3"]
  ) {
    const res = await get(bad);
    await res.body?.cancel();
    assert.equal(res.status, 404, bad);
  }
  const redirect = await get(`/chapters/${c.slug}?embed=1`);
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.get("location"), `/embed/${c.slug}/1`);
  const chapter = await get(`/chapters/${c.slug}`);
  await chapter.body?.cancel();
  assert.match(chapter.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
});

Deno.test("/source/ serves engine sources as text and nothing else", async () => {
  const res = await get("/source/engine/posterior.ts");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.match(await res.text(), /export function posteriorMean/);
  for (
    const bad of [
      "/source/deno.json",
      "/source/engine/posterior_test.ts",
      "/source/engine/..%2fdeno.json",
      "/source/engine/missing.ts",
      "/source/lib/site/config.ts",
    ]
  ) {
    const r = await get(bad);
    await r.body?.cancel();
    assert.equal(r.status, 404, bad);
  }
});

Deno.test("a chapter preloads the KaTeX fonts of its opening, each one a font the server has", async () => {
  const { chapters } = await getBook();
  const preloads = async (path: string) => {
    const html = await (await get(path)).text();
    return [...html.matchAll(/<link rel="preload" as="font"[^>]*>/g)].map((m) => m[0]);
  };
  const chapter = chapters[1];
  const links = await preloads(`/chapters/${chapter.slug}`);
  const html = chapter.parts.map((p) => p.kind === "html" ? p.html : "").join("");
  assert.deepEqual(
    links.map((l) => l.match(/KaTeX_[\w-]+/)![0]),
    katexFontsUsed(openingHtml(html)),
  );
  assert.ok(
    links.length > 2,
    "the first chapter's opening sets more than plain and italic letters",
  );
  for (const link of links) {
    assert.match(link, /type="font\/woff2"/);
    assert.match(
      link,
      /crossorigin="anonymous"/,
      "fonts are fetched in CORS mode, so is the preload",
    );
    const href = link.match(/href="([^"]+)"/)![1];
    const font = await get(href);
    await font.body?.cancel();
    assert.equal(font.status, 200, href);
  }
  // how-to-read's few symbols are far below its opening: a preload would go unused
  assert.deepEqual(await preloads("/chapters/how-to-read"), []);
  assert.deepEqual(await preloads("/"), [], "a page without math preloads no font");
});
