/**
 * The static export under a base path: build the site with `BASE_PATH=/course/diffusion/` into a
 * temporary folder, serve `static-site/` with a plain static server under that path, and crawl it:
 * every page, island module, chunk, worker bundle, stylesheet, font and tfjs WASM file must resolve,
 * and nothing may point outside the base path. The crawler itself is shown to catch a broken link.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../lib/site/paths.ts";
import { crawl, serveFolder, TFJS_WASM_FILES } from "./crawl.ts";

const BASE = "/course/diffusion";

Deno.test("the crawler reports a missing asset, a URL without the base path and a bad CSS url()", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      join(dir, "index.html"),
      `<link rel="stylesheet" href="${BASE}/a.css"><a href="/elsewhere">x</a>` +
        `<a href="${BASE}/page">ok</a><script type="module" src="${BASE}/m.js"></script>`,
    );
    await Deno.mkdir(join(dir, "page"));
    await Deno.writeTextFile(join(dir, "page", "index.html"), "<p>fine</p>");
    await Deno.writeTextFile(join(dir, "a.css"), "b{background:url(img/missing.png)}");
    await Deno.writeTextFile(join(dir, "m.js"), 'import"./chunk-gone.js";');
    const server = serveFolder(dir, BASE);
    try {
      const { broken, visited } = await crawl(server.root, [server.root]);
      const bad = broken.map((b) => b.url.replace(server.origin, "")).sort();
      assert.deepEqual(bad, [
        "/course/diffusion/chunk-gone.js",
        "/course/diffusion/img/missing.png",
        "/elsewhere",
      ]);
      assert.ok(visited.includes(`${server.root}page`), "a folder page is reached");
    } finally {
      await server.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "the static export under /course/diffusion/ resolves every internal link and asset",
  sanitizeResources: false,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "export-test-" });
    try {
      const built = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/build.ts"],
        cwd: ROOT,
        env: {
          BUILD_DIR: out,
          BASE_PATH: `${BASE}/`,
          SITE_URL: "https://course.example.edu",
          VERIFY_EQUATIONS: "off",
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = new TextDecoder().decode(built.stdout) + new TextDecoder().decode(built.stderr);
      assert.ok(built.success, `the build failed:\n${log}`);
      const site = join(out, "static-site");
      const book = JSON.parse(await Deno.readTextFile(join(out, "book.json")));
      const slugs: string[] = book.chapters.map((c: { slug: string }) => c.slug);

      const server = serveFolder(site, BASE);
      try {
        const r = server.root;
        const start = [r, `${r}404.html`, `${r}robots.txt`, `${r}sitemap.xml`];
        const { visited, broken } = await crawl(r, start);
        assert.deepEqual(broken, [], JSON.stringify(broken, null, 1));
        for (const slug of slugs) {
          assert.ok(visited.includes(`${r}chapters/${slug}`), `chapter ${slug} not reached`);
        }
        const reached = (re: RegExp) => visited.some((u) => re.test(u));
        assert.ok(reached(/\/_frsh\/js\/[0-9a-f]+\/boot\.js$/), "the boot module");
        assert.ok(reached(/\/island-TrainAndSample\.js$/), "an island module");
        assert.ok(reached(/\/chunk-[^/]+\.js$/), "a shared chunk");
        assert.ok(reached(/\/train-worker\.js$/), "the training worker");
        for (const f of TFJS_WASM_FILES) assert.ok(reached(new RegExp(`/vendor/tfjs/${f}$`)), f);
        assert.ok(reached(/\/vendor\/katex\/fonts\/KaTeX_Main-Regular\.woff2$/), "KaTeX fonts");
        assert.ok(reached(/\/embed\/[a-z-]+\/1$/), "an embed page");

        // Canonical links, Open Graph and the sitemap use the configured public URL.
        const chapter = await (await fetch(`${r}chapters/${slugs[1]}`)).text();
        const canonical = `https://course.example.edu${BASE}/chapters/${slugs[1]}`;
        assert.ok(chapter.includes(`<link rel="canonical" href="${canonical}"`), "canonical");
        assert.ok(chapter.includes(`<meta property="og:url" content="${canonical}"`), "og:url");
        assert.match(chapter, /<meta property="og:description" content="[^"]+"/);
        const sitemap = await (await fetch(`${r}sitemap.xml`)).text();
        for (const slug of slugs) {
          assert.ok(
            sitemap.includes(`<loc>https://course.example.edu${BASE}/chapters/${slug}</loc>`),
            slug,
          );
        }
        const robots = await (await fetch(`${r}robots.txt`)).text();
        assert.match(
          robots,
          /Sitemap: https:\/\/course\.example\.edu\/course\/diffusion\/sitemap\.xml/,
        );
        const notFound = await (await fetch(`${r}404.html`)).text();
        assert.ok(notFound.includes("Page not found") && notFound.includes(`href="${BASE}/"`));
      } finally {
        await server.close();
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
