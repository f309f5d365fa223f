/**
 * Chapter file names: `NN-slug.md`, NN the two-digit chapter number (`00` allowed), the slug
 * lower-case words joined by dashes.
 *
 * @module
 */

const CHAPTER_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

/**
 * Reads the chapter number and slug from a file's base name.
 *
 * @param name the base name, e.g. `01-reverse-step.md`
 * @returns `{ number, slug }`, or undefined when the name is not a chapter name
 * @example
 * ```ts
 * import { parseChapterFileName } from "./file_name.ts";
 * const c = parseChapterFileName("01-reverse-step.md");
 * if (c?.number !== 1 || c.slug !== "reverse-step") throw new Error("parsed wrong");
 * if (parseChapterFileName("1-Intro.md") !== undefined) throw new Error("accepted a bad name");
 * ```
 */
export function parseChapterFileName(name: string): { number: number; slug: string } | undefined {
  const m = CHAPTER_FILE.exec(name);
  return m ? { number: Number(m[1]), slug: m[2] } : undefined;
}
