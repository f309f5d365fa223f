/**
 * The Fresh layer's `basePath`: the app answers only under the prefix, matches routes and static
 * files after it, and puts it in front of the island and boot URLs it writes.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { createApp } from "../../lib/fresh/mod.ts";

const ROOT = fileURLToPath(new URL("../../lib/fresh/testdata/app/", import.meta.url));

async function fakeBuild(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/static/_frsh/js/t1`, { recursive: true });
  await Deno.writeTextFile(`${dir}/static/_frsh/js/t1/boot.js`, "// boot");
  await Deno.writeTextFile(`${dir}/static/_frsh/js/t1/island-Counter.js`, "// counter");
  const manifest = {
    buildId: "t1",
    boot: "/_frsh/js/t1/boot.js",
    islands: { Counter: "/_frsh/js/t1/island-Counter.js" },
    entries: {},
    files: ["/_frsh/js/t1/boot.js", "/_frsh/js/t1/island-Counter.js"],
  };
  await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(manifest));
  return dir;
}

Deno.test("basePath: routes, static files and island URLs live under the prefix", async () => {
  const buildDir = await fakeBuild();
  try {
    const app = await createApp({ root: ROOT, buildDir, basePath: "/course/diffusion/" });
    const get = (path: string) => app.handler()(new Request(`http://localhost${path}`));

    const island = await get("/course/diffusion/island");
    const html = await island.text();
    assert.equal(island.status, 200);
    assert.ok(html.includes('src="/course/diffusion/_frsh/js/t1/boot.js"'), html);
    assert.ok(html.includes('"/course/diffusion/_frsh/js/t1/island-Counter.js"'), html);
    assert.ok(!/["=]\/_frsh\//.test(html), `an island URL without the base path: ${html}`);

    const boot = await get("/course/diffusion/_frsh/js/t1/boot.js");
    assert.equal(await boot.text(), "// boot");
    assert.match(boot.headers.get("cache-control") ?? "", /immutable/);
    assert.equal(await (await get("/course/diffusion/hello.txt")).status, 200);

    for (
      const outside of ["/island", "/hello.txt", "/_frsh/js/t1/boot.js", "/course/diffusionx/"]
    ) {
      const res = await get(outside);
      await res.body?.cancel();
      assert.equal(res.status, 404, `${outside} answered outside the base path`);
    }
    const bare = await get("/course/diffusion?x=1");
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.get("location"), "/course/diffusion/?x=1");
  } finally {
    await Deno.remove(buildDir, { recursive: true });
  }
});

Deno.test("basePath: a base path without a leading slash is refused", async () => {
  await assert.rejects(
    () => createApp({ root: ROOT, buildDir: "_none", basePath: "course" }),
    /Cannot serve under basePath as it must start with "\/": current value is course/,
  );
});
