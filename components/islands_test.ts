import assert from "node:assert/strict";
import { islandComponents } from "./islands.ts";
import { demos } from "../lib/site/demos.ts";

const islandFiles = [...Deno.readDirSync(new URL("../islands/", import.meta.url))]
  .filter((e) => e.isFile && /\.(tsx|jsx|ts|js)$/.test(e.name) && !/[_.]test\./.test(e.name))
  .map((e) => e.name.replace(/\.[jt]sx?$/, ""))
  .sort();

Deno.test("every file in islands/ is in the island map, and nothing else is", () => {
  assert.deepEqual(Object.keys(islandComponents).sort(), islandFiles);
});

Deno.test("a demo is 'ready' exactly when its island exists", () => {
  const ready = Object.values(demos).filter((d) => d.status === "ready").map((d) => d.name).sort();
  assert.deepEqual(ready, islandFiles);
  for (const [key, spec] of Object.entries(demos)) assert.equal(spec.name, key);
});
