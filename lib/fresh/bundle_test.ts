import assert from "node:assert/strict";
import { build, displayPath } from "./bundle.ts";

const ROOT = new URL("./testdata/app/", import.meta.url);

Deno.test({
  name: "build: bundles boot, islands and entries; the manifest's files exist",
  async fn() {
    const outDir = await Deno.makeTempDir();
    await Deno.mkdir(`${outDir}/static/_frsh/js/stale`, { recursive: true });
    await Deno.writeTextFile(`${outDir}/static/_frsh/js/stale/old.js`, "old");
    await Deno.writeTextFile(`${outDir}/static/other.txt`, "left alone");
    const manifest = await build({
      root: ROOT,
      outDir,
      entries: { "echo-worker": "workers/echo.ts" },
    });
    const id = manifest.buildId;
    assert.match(id, /^[0-9a-f]{16}$/);
    assert.equal(manifest.boot, `/_frsh/js/${id}/boot.js`);
    assert.deepEqual(manifest.islands, { Counter: `/_frsh/js/${id}/island-Counter.js` });
    assert.deepEqual(manifest.entries, { "echo-worker": `/_frsh/js/${id}/echo-worker.js` });
    for (const url of manifest.files) {
      assert.ok(url.startsWith(`/_frsh/js/${id}/`), url);
      assert.ok((await Deno.stat(`${outDir}/static${url}`)).isFile, url);
    }
    const written = JSON.parse(await Deno.readTextFile(`${outDir}/manifest.json`));
    assert.deepEqual(written, manifest);
    // old builds are removed, other generated files are not
    await assert.rejects(() => Deno.stat(`${outDir}/static/_frsh/js/stale`), Deno.errors.NotFound);
    assert.equal(await Deno.readTextFile(`${outDir}/static/other.txt`), "left alone");
    assert.deepEqual([...Deno.readDirSync(outDir)].map((e) => e.name).sort(), [
      "manifest.json",
      "static",
    ]);

    // Boot and island import one shared chunk: one Preact instance.
    const read = (url: string) => Deno.readTextFile(`${outDir}/static${url}`);
    const boot = await read(manifest.boot);
    const island = await read(manifest.islands.Counter);
    const chunkOf = (js: string) =>
      new Set([...js.matchAll(/from\s*"\.\/(chunk-[\w-]+\.js)"/g)].map((m) => m[1]));
    const shared = [...chunkOf(boot)].filter((c) => chunkOf(island).has(c));
    assert.ok(shared.length > 0, `no shared chunk: ${boot.slice(0, 200)}`);
    assert.ok(island.includes("export{"), "the island module has a default export");
    assert.ok((await read(manifest.entries["echo-worker"])).includes("echo-worker-entry"));
    assert.ok(!boot.includes("\n  "), "minified by default");

    // Same sources, same bytes, same build id.
    const again = await build({
      root: ROOT,
      outDir,
      entries: { "echo-worker": "workers/echo.ts" },
    });
    assert.equal(again.buildId, id);
    await Deno.remove(outDir, { recursive: true });
  },
});

Deno.test("build: entry names that clash or are not file names are refused", async () => {
  const outDir = await Deno.makeTempDir();
  for (const name of ["boot", "island-Counter", "../x", "chunk-1"]) {
    await assert.rejects(
      () => build({ root: ROOT, outDir, entries: { [name]: "workers/echo.ts" } }),
      new RegExp(`Cannot bundle entry .* as its name is taken or not a plain file name`),
    );
  }
  await Deno.remove(outDir, { recursive: true });
});

Deno.test("build: a failing bundle reports deno bundle's output", async () => {
  const outDir = await Deno.makeTempDir();
  await assert.rejects(
    () => build({ root: ROOT, outDir, entries: { missing: "workers/nope.ts" } }),
    /Cannot bundle islands as deno bundle exited with 1:[\s\S]*nope\.ts/,
  );
  assert.deepEqual([...Deno.readDirSync(outDir)], [], "the temp folder is removed");
  await Deno.remove(outDir, { recursive: true });
});

Deno.test("displayPath: relative inside the root, absolute outside", () => {
  assert.equal(displayPath("/r", "/r/_build"), "_build");
  assert.equal(displayPath("/r", "/tmp/b"), "/tmp/b");
});
