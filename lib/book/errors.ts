/**
 * Build errors: every plugin reports problems as vfile messages with a place and a rule id; the
 * build collects those that are errors and throws one {@link BookBuildError} listing them all.
 *
 * @module
 */
import { relative } from "node:path";
import type { VFile } from "vfile";
import type { BookMessage } from "./types.ts";

/** `chapters/01-x.md:12:3: Reference to missing equation label eq:foo [eq-ref-missing]`. */
export function formatMessage(m: BookMessage): string {
  return `${m.file}:${m.line}:${m.column}: ${m.reason} [${m.ruleId}]`;
}

/**
 * Thrown by `loadBook` when any chapter has an error. `.messages` holds them all; `.message` lists
 * them, one per line, sorted by file and line.
 *
 * @example
 * ```ts
 * import { BookBuildError } from "./errors.ts";
 * const e = new BookBuildError([
 *   { file: "chapters/01-x.md", line: 12, column: 3, ruleId: "eq-ref-missing",
 *     reason: "Reference to missing equation label eq:foo" },
 * ]);
 * if (!e.message.includes("chapters/01-x.md:12:3: Reference to missing equation label eq:foo [eq-ref-missing]")) {
 *   throw new Error(e.message);
 * }
 * ```
 */
export class BookBuildError extends Error {
  /** Every problem found. */
  messages: BookMessage[];

  /** @param messages the problems, in any order */
  constructor(messages: BookMessage[]) {
    const sorted = [...messages].sort((a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column
    );
    const n = sorted.length;
    super(
      `Cannot build the book as ${n} problem${n === 1 ? "" : "s"} ${n === 1 ? "was" : "were"} ` +
        `found:\n${sorted.map(formatMessage).join("\n")}`,
    );
    this.name = "BookBuildError";
    this.messages = sorted;
  }
}

/** A file name as reported: relative to `root` when inside it, with forward slashes. */
export function displayPath(path: string, root: string): string {
  const rel = relative(root, path).replaceAll("\\", "/");
  return rel.startsWith("..") ? path : rel;
}

/**
 * The errors among a vfile's messages, as {@link BookMessage}s. A message is an error unless it
 * was made with `file.info` (`fatal` undefined); rehype-katex's warnings count as errors.
 *
 * @param file the processed file
 * @param root project root, for relative file names
 * @returns the errors, in the order they were reported
 * @example
 * ```ts
 * import { VFile } from "vfile";
 * import { errorsOf } from "./errors.ts";
 * const file = new VFile({ path: "/r/chapters/01-x.md" });
 * file.message("Bad", { place: { line: 2, column: 5 }, ruleId: "r", source: "book" });
 * file.info("Just so you know");
 * const [m] = errorsOf(file, "/r");
 * if (m.file !== "chapters/01-x.md" || m.line !== 2 || errorsOf(file, "/r").length !== 1) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function errorsOf(file: VFile, root: string): BookMessage[] {
  return file.messages.filter((m) => m.fatal !== undefined && m.fatal !== null).map((m) => ({
    file: displayPath(file.path, root),
    line: m.line ?? 1,
    column: m.column ?? 1,
    ruleId: m.ruleId ?? m.source ?? "unknown",
    reason: m.reason,
  }));
}
