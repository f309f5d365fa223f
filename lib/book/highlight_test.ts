import assert from "node:assert/strict";
import { CODE_BACKGROUNDS } from "./highlight.ts";

Deno.test("CODE_BACKGROUNDS are the stylesheet's --panel in light and dark", async () => {
  const css = await Deno.readTextFile(new URL("../../static/styles.css", import.meta.url));
  const panels = [...css.matchAll(/--panel:\s*(#[0-9a-f]+);/gi)].map((m) => m[1].toLowerCase());
  // the first two: :root (light) and the prefers-color-scheme: dark block; print comes after
  assert.deepEqual(panels.slice(0, 2), [CODE_BACKGROUNDS.light, CODE_BACKGROUNDS.dark]);
});
