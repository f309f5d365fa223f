/**
 * Test helper: writes chapters into a fresh temporary project and builds them, returning the
 * build's errors (or the book).
 *
 * @module
 */
import { dirname } from "node:path";
import { loadBook } from "../load_book.ts";
import { BookBuildError } from "../errors.ts";
import type { Book, BookMessage, IslandSpec } from "../types.ts";
import { islands as testIslands } from "./islands.ts";

/** A chapter's text with valid front matter (override or extend it with `front`). */
export function chapter(body: string, front = "title: T\nsummary: S\n"): string {
  return `---\n${front}---\n\n${body}`;
}

/**
 * Builds `files` (paths relative to a temporary root, e.g. `chapters/01-a.md`).
 *
 * @returns the book, or the errors of the BookBuildError it threw
 */
export async function buildTemp(
  files: Record<string, string>,
  islands: Record<string, IslandSpec> = testIslands,
): Promise<{ book?: Book; errors: BookMessage[]; message: string; root: string }> {
  const root = await Deno.makeTempDir({ prefix: "book_test_" });
  await Deno.mkdir(`${root}/chapters`);
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(dirname(`${root}/${path}`), { recursive: true });
    await Deno.writeTextFile(`${root}/${path}`, text);
  }
  try {
    const book = await loadBook({ chaptersDir: `${root}/chapters`, root, islands });
    return { book, errors: [], message: "", root };
  } catch (e) {
    if (!(e instanceof BookBuildError)) throw e;
    return { errors: e.messages, message: e.message, root };
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** The errors of building `files`; throws when the build succeeded. */
export async function buildErrors(
  files: Record<string, string>,
  islands?: Record<string, IslandSpec>,
): Promise<BookMessage[]> {
  const { errors } = await buildTemp(files, islands);
  if (errors.length === 0) throw new Error("Expected the build to fail, but it succeeded");
  return errors;
}
