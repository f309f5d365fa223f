/**
 * Build errors: every plugin reports problems as vfile messages with a place and a rule id; the
 * build collects those that are errors and throws one {@link BookBuildError} listing them all.
 *
 * @module
 */
import { relative } from "node:path";
import type { VFile } from "vfile";
import type { BookMessage } from "./types.ts";

/**
 * How to fix each problem a contributor can cause, by rule id. {@link formatMessage} prints it on
 * the line under the problem; `errors_test.ts` builds a broken chapter for every rule and checks the
 * message names file:line, the rule and this fix; CONTRIBUTING.md lists them.
 */
export const FIX_HINTS: Readonly<Record<string, string>> = Object.freeze({
  "chapter-file-name":
    "name the file chapters/NN-slug.md (two digits, a hyphen, lower-case words joined by hyphens); " +
    '`deno task new-chapter "Title"` makes one',
  "chapter-number-unique":
    "give each chapter its own NN by renaming one file; references use labels, so nothing else changes",
  "chapter-slug-unique": "change the words after NN- in one of the two file names",
  "front-matter-schema":
    "start the file with a YAML block: ---, then title: and summary: (non-empty strings) and " +
    "optionally question:, then ---; no other keys",
  "eq-label-syntax":
    "write the label right after the opening $$ as {#eq:lower-case-words}, e.g. $$ {#eq:posterior-mean}",
  "eq-label-unique":
    "labels are unique across the book: rename one, with its references [](#eq:...) and its check " +
    "in checks/",
  "eq-ref-missing":
    "correct the label in [](#eq:...), or label the equation it means with $$ {#eq:...}; " +
    "_build/equations.json lists every label",
  "directive-unknown":
    "use one of the directives listed (::island, ::code, ::::exercise with :::solution, :::note, " +
    ":::slip); to write a literal colon-word, put it in `code`",
  "directive-misuse":
    "put :::solution directly inside a ::::exercise (four colons outside, three inside), one per exercise",
  "code-excerpt":
    'point src at a file in the project (e.g. src="engine/posterior.ts") and symbol at a name it ' +
    "declares at top level",
  "code-lang":
    "use a language shiki knows (ts, tsx, js, json, sh, python, md, ...) after the opening ```, or none",
  "island-unknown":
    "use a name from lib/site/demos.ts, or add the island: islands/Name.tsx, components/islands.ts " +
    'and lib/site/demos.ts (CONTRIBUTING.md, "Adding an island")',
  "island-placement":
    "put ::island{...} on its own line at the top level of the chapter, not inside a list, quote, " +
    "callout or exercise",
  "island-props":
    "use only the props lib/site/demos.ts lists for this island, with values of their type, " +
    "range or list",
  "katex-error":
    "fix the LaTeX at this place (KaTeX's supported functions: https://katex.org/docs/supported); " +
    "macros that define macros and HTML-producing commands are not allowed",
  "no-raw-html":
    "write Markdown instead: a demo is ::island{...}, an aside is :::note, emphasis is *...*",
  "unsafe-url": "link with https:, http:, mailto:, a relative path or a #fragment",
  "offsite-resource":
    "put the image in static/ (or a figure the build makes) and point at it with a path such as " +
    "/figures/x.svg; the site's CSP loads images from the site only",
  "math-size": "split the formula into several (an aligned block, or prose between them); " +
    "lib/book/math_limits.ts has the limit",
  "math-depth": "nest fewer groups: name a part with a macro-free symbol and define it in prose",
  "math-unclosed":
    "close each $…$ in the paragraph it opens in; when a line inside it would start " +
    'with "- " or "+ ", end the line before with the sign instead; write a dollar sign as \\$',
  "math-html-size":
    "split the formula: its rendered HTML is too large for a page (lib/book/math_limits.ts)",
  "math-time": "simplify or split the formula: KaTeX took too long for it",
  "stack-overflow":
    "flatten the most deeply nested part at this place (nested quotes, lists or math groups)",
  "eq-verified": "write or fix the equation's check in checks/NN-slug.checks.ts and run " +
    "`deno task test chapters/NN`",
});

/**
 * One problem as the build prints it: `file:line:col: reason [rule]`, and under it how to fix it.
 *
 * @param m the problem
 * @returns the text, one or two lines
 * @example
 * ```ts
 * import { formatMessage } from "./errors.ts";
 * const text = formatMessage({ file: "chapters/01-x.md", line: 12, column: 3,
 *   ruleId: "eq-ref-missing", reason: "Reference to missing equation label eq:foo" });
 * if (!text.startsWith("chapters/01-x.md:12:3: Reference to missing equation label eq:foo [eq-ref-missing]\n  fix: ")) {
 *   throw new Error(text);
 * }
 * ```
 */
export function formatMessage(m: BookMessage): string {
  const hint = FIX_HINTS[m.ruleId];
  const fix = hint && !m.reason.includes("Fix:") ? `\n  fix: ${hint}` : "";
  return `${m.file}:${m.line}:${m.column}: ${m.reason} [${m.ruleId}]${fix}`;
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
