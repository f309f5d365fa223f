/**
 * `deno task new-chapter "Title"`: scaffolds a chapter and its equation checks.
 *
 * - `chapters/NN-slug.md`: front matter (title, summary, question), one labelled example equation
 *   with a reference to it, and an island directive;
 * - `checks/NN-slug.checks.ts`: a check skeleton for that label that FAILS until written
 *   (it throws, so it can never pass empty);
 * - `tests/equations/NN-slug_test.ts`: the two lines that register the checks;
 * - a line in `checks/chapter_checks.ts`, so "Check on this device" can run them.
 *
 * NN is one more than the highest chapter number in `chapters/`. Nothing is overwritten.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A URL-safe slug: lower-case ASCII words joined by hyphens.
 *
 * @param title the chapter title
 * @returns the slug
 * @example
 * ```ts
 * import { slugify } from "./new_chapter.ts";
 * if (slugify("Score matching & Tweedie's formula") !== "score-matching-tweedie-s-formula") {
 *   throw new Error(slugify("Score matching & Tweedie's formula"));
 * }
 * ```
 */
export function slugify(title: string): string {
  const slug = title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (slug === "") {
    throw new Error(
      `Cannot make a chapter slug as the title has no letters or digits: current value is ${
        JSON.stringify(title)
      }`,
    );
  }
  return slug;
}

/**
 * The next chapter number: one more than the highest `NN-` prefix.
 *
 * @param names file names in `chapters/`
 * @returns the number, as two digits
 * @example
 * ```ts
 * import { nextChapterNumber } from "./new_chapter.ts";
 * if (nextChapterNumber(["00-a.md", "05-b.md", "notes.txt"]) !== "06") throw new Error("next");
 * ```
 */
export function nextChapterNumber(names: string[]): string {
  const numbers = names.map((n) => /^(\d\d)-.*\.md$/.exec(n)?.[1]).filter((n) => n !== undefined)
    .map(Number);
  const next = numbers.length === 0 ? 1 : Math.max(...numbers) + 1;
  if (next > 99) {
    throw new RangeError(
      `Cannot number a new chapter as NN must be 01..99: current value is ${next}`,
    );
  }
  return String(next).padStart(2, "0");
}

/** The files of a new chapter, by path relative to the project root. */
export function scaffoldFiles(title: string, nn: string): Record<string, string> {
  const slug = slugify(title);
  const name = `${nn}-${slug}`;
  const label = `eq:${slug}-example`;
  const chapter = `---
title: ${JSON.stringify(title)}
summary: "TODO: one sentence that says what this chapter shows."
question: "TODO: the question this chapter answers?"
---

TODO: the opening paragraph. Label every display equation you will refer to, and refer to it with
an empty link; the build numbers it.

$$ {#${label}}
\\bar\\alpha_t = \\prod_{s=1}^{t} (1 - \\beta_s)
$$

As [](#${label}) shows, the signal left at step $t$ is a product of the per-step keep rates.
Its check lives in \`checks/${name}.checks.ts\` and fails until you write it.

::island{name="ForwardChain" dataset="swissroll"}
`;
  const checks = `/**
 * Numeric checks for every labelled equation of chapter ${Number(nn)}, "${title}". Each check
 * computes its equation along two independent routes through \`engine/\` and returns the largest
 * disagreement with the tolerance it allows and why (see CONTRIBUTING.md, "Choosing a tolerance").
 *
 * @module
 */
import { check, type EquationCheck } from "./harness.ts";

export const checks: EquationCheck[] = [
  check("${label}", "TODO: say what the two routes are", () => {
    // Write this check: compute both sides of ${label} along two routes through engine/ (e.g. a
    // closed form against a product, a quadrature or Monte Carlo) and return
    // { maxError, tolerance, toleranceReason, samples, seed }. Until then it fails:
    throw new Error(
      "Cannot verify ${label} as its check is not written yet: edit checks/${name}.checks.ts",
    );
  }),
];
`;
  const test = `import { registerChecks } from "./run_checks.ts";
import { checks } from "../../checks/${name}.checks.ts";
registerChecks("${name}", checks);
`;
  return {
    [`chapters/${name}.md`]: chapter,
    [`checks/${name}.checks.ts`]: checks,
    [`tests/equations/${name}_test.ts`]: test,
  };
}

/**
 * Adds a chapter to `checks/chapter_checks.ts`'s list (before its closing `};`).
 *
 * @param source the file's text
 * @param name `NN-slug`
 * @returns the new text
 * @example
 * ```ts
 * import { addToChapterChecks } from "./new_chapter.ts";
 * const out = addToChapterChecks('const x = {\n  "01-a": () => import("./01-a.checks.ts"),\n};\n', "02-b");
 * if (!out.includes('  "02-b": () => import("./02-b.checks.ts"),\n};')) throw new Error(out);
 * ```
 */
export function addToChapterChecks(source: string, name: string): string {
  const end = source.lastIndexOf("\n};");
  if (end < 0) {
    throw new Error(
      "Cannot add the chapter to checks/chapter_checks.ts as it has no closing `};`: " +
        `current value is ${JSON.stringify(source.slice(-80))}`,
    );
  }
  const line = `\n  "${name}": () => import("./${name}.checks.ts"),`;
  return source.slice(0, end) + line + source.slice(end);
}

/**
 * Writes a new chapter's files under `root`.
 *
 * @param root project root
 * @param title the chapter title
 * @returns the paths written, relative to root
 */
export async function newChapter(root: string, title: string): Promise<string[]> {
  const names = [...Deno.readDirSync(join(root, "chapters"))].map((e) => e.name);
  const nn = nextChapterNumber(names);
  const files = scaffoldFiles(title, nn);
  for (const path of Object.keys(files)) {
    try {
      await Deno.lstat(join(root, path));
      throw new Error(`Cannot scaffold ${path} as it exists already: current value is ${path}`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  for (const [path, text] of Object.entries(files)) {
    await Deno.writeTextFile(join(root, path), text, { createNew: true });
  }
  const listPath = join(root, "checks/chapter_checks.ts");
  const name = `${nn}-${slugify(title)}`;
  await Deno.writeTextFile(listPath, addToChapterChecks(await Deno.readTextFile(listPath), name));
  return [...Object.keys(files), "checks/chapter_checks.ts"];
}

if (import.meta.main) {
  const title = Deno.args.join(" ").trim();
  if (title === "") {
    console.error('Usage: deno task new-chapter "Chapter title"');
    Deno.exit(2);
  }
  const root = fileURLToPath(new URL("../", import.meta.url));
  const written = await newChapter(root, title);
  const name = written[0].replace(/^chapters\/|\.md$/g, "");
  console.log(`Wrote:\n${written.map((p) => `  ${p}`).join("\n")}`);
  console.log(
    `Next: write the check in checks/${name}.checks.ts (it fails until you do), then run\n` +
      `  deno task test chapters/${name.slice(0, 2)}`,
  );
}
