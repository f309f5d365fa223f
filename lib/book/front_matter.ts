/**
 * remark plugin: validates a chapter's YAML front matter (`title` and `summary` required strings,
 * `question` an optional string, nothing else) and keeps it on `file.data.book.frontMatter`.
 * Problems are `front-matter-schema` errors placed at the offending key.
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { bookData } from "./file_data.ts";

const RULE = "front-matter-schema";
const KEYS = { title: true, summary: true, question: false } as const;
type Key = keyof typeof KEYS;

/**
 * The plugin. Use after remark-frontmatter (`["yaml"]`).
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkFrontmatter from "remark-frontmatter";
 * import { VFile } from "vfile";
 * import { remarkBookFrontMatter } from "./front_matter.ts";
 * const p = unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]).use(remarkBookFrontMatter);
 * const file = new VFile("---\ntitle: T\nsummary: S\ncolour: red\n---\n");
 * await p.run(p.parse(file), file);
 * if (file.data.book?.frontMatter?.title !== "T") throw new Error("title lost");
 * if (file.messages[0]?.line !== 4) throw new Error("unknown key not placed");
 * ```
 */
export function remarkBookFrontMatter() {
  return (tree: Root, file: VFile): void => {
    const node = tree.children[0]?.type === "yaml" ? tree.children[0] : undefined;
    const front: Record<string, string> = {};
    bookData(file).frontMatter = front;
    const startLine = node?.position?.start.line ?? 1;
    const at = (line: number, column: number) => ({ line, column });
    if (node) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(node.value, { lineCounter, uniqueKeys: true });
      // line of a YAML offset in the chapter file: the YAML starts on the line after `---`
      const place = (offset: number) => {
        const p = lineCounter.linePos(offset);
        return at(startLine + p.line, p.col);
      };
      for (const e of doc.errors) {
        file.message(`Cannot read front matter as YAML: ${e.message.split("\n")[0]}`, {
          place: place(e.pos[0]),
          ruleId: RULE,
          source: "book",
        });
      }
      if (doc.errors.length === 0 && doc.contents !== null && !isMap(doc.contents)) {
        file.message("Cannot read front matter as it is not a map of keys to values", {
          place: at(startLine + 1, 1),
          ruleId: RULE,
          source: "book",
        });
      }
      if (isMap(doc.contents)) {
        for (const item of doc.contents.items) {
          const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
          const keyPlace = place(isScalar(item.key) ? item.key.range?.[0] ?? 0 : 0);
          if (!(key in KEYS)) {
            file.message(
              `Unknown front matter key "${key}": allowed keys are ${Object.keys(KEYS).join(", ")}`,
              { place: keyPlace, ruleId: RULE, source: "book" },
            );
            continue;
          }
          const value = isScalar(item.value) ? item.value.value : item.value?.toJSON?.();
          if (typeof value !== "string" || value.trim() === "") {
            file.message(
              `Cannot use front matter key "${key}" as it must be a non-empty string: current ` +
                `value is ${JSON.stringify(value ?? null)}`,
              { place: keyPlace, ruleId: RULE, source: "book" },
            );
            continue;
          }
          front[key as Key] = value.trim();
        }
      }
    }
    for (const [key, required] of Object.entries(KEYS)) {
      if (required && !(key in front) && !reportedKey(file, key)) {
        file.message(`Missing front matter key "${key}" (a non-empty string)`, {
          place: at(startLine, 1),
          ruleId: RULE,
          source: "book",
        });
      }
    }
  };
}

function reportedKey(file: VFile, key: string): boolean {
  return file.messages.some((m) => m.ruleId === RULE && m.reason.includes(`"${key}"`));
}
