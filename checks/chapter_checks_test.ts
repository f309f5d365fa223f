import assert from "node:assert/strict";
import { chapterChecks } from "./chapter_checks.ts";

Deno.test("chapter_checks.ts lists every NN-slug.checks.ts file, and only those", async () => {
  const files = [...Deno.readDirSync(new URL("./", import.meta.url))]
    .map((e) => e.name).filter((n) => n.endsWith(".checks.ts"))
    .map((n) => n.replace(/\.checks\.ts$/, "")).sort();
  assert.deepEqual(
    Object.keys(chapterChecks).sort(),
    files,
    "checks/chapter_checks.ts must list each chapter's checks: add " +
      '`"NN-slug": () => import("./NN-slug.checks.ts"),` (deno task new-chapter does it)',
  );
  const mod = await chapterChecks["01-reverse-step"]();
  assert.ok(mod.checks.length > 0);
});
