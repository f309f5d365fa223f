import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { findIslands, resolveIn, rootPath } from "./project.ts";

const APP = new URL("./testdata/app/", import.meta.url);

Deno.test("rootPath: URL, file: text and paths all give an absolute path without a slash", () => {
  const expected = fileURLToPath(APP).replace(/\/$/, "");
  assert.equal(rootPath(APP), expected);
  assert.equal(rootPath(APP.href), expected);
  assert.equal(rootPath(expected + "/"), expected);
  assert.equal(resolveIn("/r", "_build"), "/r/_build");
  assert.equal(resolveIn("/r", "/tmp/b"), "/tmp/b");
});

Deno.test("findIslands: the fixture has Counter; no islands folder means none", async () => {
  const root = rootPath(APP);
  assert.deepEqual(await findIslands(root), [
    { name: "Counter", file: `${root}/islands/Counter.tsx` },
  ]);
  assert.deepEqual(await findIslands(rootPath(new URL("./testdata/plain/", import.meta.url))), []);
});

Deno.test("findIslands: nested files count, tests do not, duplicates and bad names throw", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/islands/sub`, { recursive: true });
  await Deno.writeTextFile(`${dir}/islands/A.tsx`, "");
  await Deno.writeTextFile(`${dir}/islands/A_test.tsx`, "");
  await Deno.writeTextFile(`${dir}/islands/sub/B.tsx`, "");
  assert.deepEqual((await findIslands(dir)).map((i) => i.name), ["A", "B"]);
  await Deno.writeTextFile(`${dir}/islands/sub/A.ts`, "");
  await assert.rejects(() => findIslands(dir), /Cannot register island A twice/);
  await Deno.remove(`${dir}/islands/sub/A.ts`);
  await Deno.writeTextFile(`${dir}/islands/my island.tsx`, "");
  await assert.rejects(() => findIslands(dir), /name must be an identifier: my island/);
  await Deno.remove(dir, { recursive: true });
});
