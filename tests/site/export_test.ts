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
      // A class set-up: three chapters listed, a fixed seed, the site's public URL in the file
      // and the base path from the environment (which overrides the file's).
      const shown = ["how-to-read", "trajectories", "notation"];
      await Deno.writeTextFile(
        join(out, "class.config.json"),
        JSON.stringify({
          title: "Diffusion for CS 4xx",
          basePath: "/ignored/",
          siteUrl: "https://course.example.edu",
          chapters: shown,
          seeds: { TrainAndSample: 7 },
        }),
      );
      const built = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/build.ts"],
        cwd: ROOT,
        env: {
          BUILD_DIR: out,
          BASE_PATH: `${BASE}/`,
          SITE_CONFIG: join(out, "class.config.json"),
          VERIFY_EQUATIONS: "off",
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = new TextDecoder().decode(built.stdout) + new TextDecoder().decode(built.stderr);
      assert.ok(built.success, `the build failed:\n${log}`);
      const site = join(out, "static-site");

      const server = serveFolder(site, BASE);
      try {
        const r = server.root;
        const start = [r, `${r}404.html`, `${r}robots.txt`, `${r}sitemap.xml`];
        const { visited, broken } = await crawl(r, start);
        assert.deepEqual(broken, [], JSON.stringify(broken, null, 1));
        for (const slug of shown) {
          assert.ok(visited.includes(`${r}chapters/${slug}`), `chapter ${slug} not reached`);
        }
        // reverse-step is not listed, but the shown trajectories chapter cites its equations.
        assert.ok(visited.includes(`${r}chapters/reverse-step`), "an unlisted chapter was dropped");
        const home = await (await fetch(r)).text();
        const list = home.slice(home.indexOf('<ol class="chapter-list">'));
        const listed = [...list.matchAll(/<a href="\/course\/diffusion\/chapters\/([a-z-]+)"/g)]
          .map((m) => m[1]);
        assert.deepEqual(listed, shown, "the home page lists the config's chapters");
        assert.match(home, /<title>[^<]*Diffusion for CS 4xx<\/title>/);
        const embed = visited.find((u) => u.includes("/embed/trajectories/"));
        const trainEmbed = await (await fetch(`${r}embed/trajectories/2/`)).text();
        assert.ok(embed && trainEmbed.includes('"seed":7'), "the config's seed reaches the demo");
        const reached = (re: RegExp) => visited.some((u) => re.test(u));
        assert.ok(reached(/\/_frsh\/js\/[0-9a-f]+\/boot\.js$/), "the boot module");
        assert.ok(reached(/\/island-TrainAndSample\.js$/), "an island module");
        assert.ok(reached(/\/chunk-[^/]+\.js$/), "a shared chunk");
        assert.ok(reached(/\/train-worker\.js$/), "the training worker");
        for (const f of TFJS_WASM_FILES) assert.ok(reached(new RegExp(`/vendor/tfjs/${f}$`)), f);
        assert.ok(reached(/\/vendor\/katex\/fonts\/KaTeX_Main-Regular\.woff2$/), "KaTeX fonts");
        // Only woff2 fonts ship (lib/site/katex_fonts.ts): none other is in the folder or named.
        const fonts = [...Deno.readDirSync(join(site, "vendor", "katex", "fonts"))].map((e) =>
          e.name
        );
        assert.equal(fonts.length, 20, fonts.join(" "));
        assert.deepEqual(fonts.filter((f) => !f.endsWith(".woff2")), []);
        assert.ok(!visited.some((u) => /\.(woff|ttf)$/.test(u)), "a woff or ttf is still named");
        assert.ok(reached(/\/embed\/[a-z-]+\/1$/), "an embed page");

        // Canonical links, Open Graph and the sitemap use the configured public URL.
        const chapter = await (await fetch(`${r}chapters/trajectories`)).text();
        const canonical = `https://course.example.edu${BASE}/chapters/trajectories`;
        assert.ok(chapter.includes(`<link rel="canonical" href="${canonical}"`), "canonical");
        assert.ok(chapter.includes(`<meta property="og:url" content="${canonical}"`), "og:url");
        assert.match(chapter, /<meta property="og:description" content="[^"]+"/);
        const sitemap = await (await fetch(`${r}sitemap.xml`)).text();
        const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
        assert.deepEqual(locs, [
          `https://course.example.edu${BASE}/`,
          ...shown.map((slug) => `https://course.example.edu${BASE}/chapters/${slug}`),
        ]);
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
