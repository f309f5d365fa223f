/**
 * Syntax highlighting with shiki, on the server. One highlighter is created per process, with the
 * JavaScript regex engine (no WASM), and the github-light / github-dark themes emitted as CSS
 * variables (`defaultColor: false`), so light and dark mode switch with CSS alone. Languages load
 * on first use; a language shiki does not know is a `code-lang` error.
 *
 * @module
 */
import type { Element, ElementContent, Root } from "npm:@types/hast@3.0.5";
import type { VFile } from "vfile";
import {
  bundledLanguages,
  createHighlighter,
  createJavaScriptRegexEngine,
  type HighlighterGeneric,
} from "shiki";
import { visit } from "unist-util-visit";
import { withContrast } from "./contrast.ts";

/** The two themes; CSS picks one with `var(--shiki-light)` or `var(--shiki-dark)`. */
export const THEMES = { light: "github-light", dark: "github-dark" } as const;
/**
 * Options for every highlight. shiki stops tokenizing a line after `tokenizeTimeLimit` ms (500 by
 * default) and colours the rest as one token; the first tokenization compiles the grammar's regexes,
 * so on a busy machine the same chapter could come out coloured differently from run to run. The
 * build is not interactive: no limit, so the output depends on the code alone.
 */
export const HIGHLIGHT_OPTIONS = { defaultColor: false, tokenizeTimeLimit: 0 } as const;
/**
 * The code background in each theme: `--panel` in static/styles.css (a test compares them). Code
 * colours are darkened (light) or lightened (dark) where needed to read at 4.5:1 on it.
 */
export const CODE_BACKGROUNDS = { light: "#f3f1ec", dark: "#1f2228" } as const;
/** The contrast aimed at: 4.5:1 with a margin, as a background may be a shade off the panel. */
const READABLE = 4.7;
const PLAIN = new Set(["", "text", "txt", "plain", "plaintext"]);

// deno-lint-ignore no-explicit-any
type Highlighter = HighlighterGeneric<any, any>;
let highlighter: Promise<Highlighter> | undefined;

/**
 * The process-wide highlighter (created on the first call).
 *
 * @returns the highlighter, with `ts` loaded
 * @example
 * ```ts
 * import { getHighlighter } from "./highlight.ts";
 * const h = await getHighlighter();
 * if (h !== await getHighlighter()) throw new Error("created twice");
 * ```
 */
export function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({
    themes: [THEMES.light, THEMES.dark],
    langs: ["ts"],
    engine: createJavaScriptRegexEngine(),
  });
  return highlighter;
}

let replacements: Promise<Record<string, Record<string, string>>> | undefined;

/**
 * For each theme, its token colours that read below 4.7:1 on {@link CODE_BACKGROUNDS}, mapped to
 * the nearest colour that reaches it (shiki's per-theme `colorReplacements`).
 *
 * @returns replacements by theme name, colours in lower case
 * @example
 * ```ts
 * import { CODE_BACKGROUNDS, readableColours } from "./highlight.ts";
 * import { contrastRatio } from "./contrast.ts";
 * const r = await readableColours();
 * const light = r["github-light"];
 * if (!light["#6a737d"] || contrastRatio(light["#6a737d"], CODE_BACKGROUNDS.light) < 4.5) {
 *   throw new Error(JSON.stringify(r));
 * }
 * ```
 */
export function readableColours(): Promise<Record<string, Record<string, string>>> {
  replacements ??= getHighlighter().then((h) => {
    const out: Record<string, Record<string, string>> = {};
    for (const mode of ["light", "dark"] as const) {
      const theme = h.getTheme(THEMES[mode]);
      // text colours only: a token with its own background (invalid markers) keeps its pair
      const text = theme.settings.filter((s) => !s.settings?.background);
      const colours = new Set([theme.fg, ...text.map((s) => s.settings?.foreground)]);
      const map: Record<string, string> = {};
      for (const c of colours) {
        if (!c || !/^#[0-9a-f]{3,8}$/i.test(c) || c === theme.bg) continue;
        const readable = withContrast(c, CODE_BACKGROUNDS[mode], READABLE);
        if (readable !== c) map[c.toLowerCase()] = readable;
      }
      out[THEMES[mode]] = map;
    }
    return out;
  });
  return replacements;
}

/**
 * Highlights code to a hast `<pre class="shiki ...">`, loading the language if needed.
 *
 * @param code the source
 * @param lang a shiki language name or alias; "" or "text" for plain text
 * @returns the `<pre>` element, or undefined when shiki does not know the language
 * @example
 * ```ts
 * import { highlight } from "./highlight.ts";
 * const pre = await highlight("const x = 1;", "ts");
 * const html = JSON.stringify(pre);
 * if (!html.includes("--shiki-dark") || pre?.tagName !== "pre") throw new Error(html);
 * if (await highlight("x", "no-such-lang") !== undefined) throw new Error("accepted");
 * ```
 */
export async function highlight(code: string, lang: string): Promise<Element | undefined> {
  const h = await getHighlighter();
  const name = PLAIN.has(lang) ? "text" : lang;
  if (name !== "text" && !h.getLoadedLanguages().includes(name)) {
    if (!Object.hasOwn(bundledLanguages, name)) return undefined;
    await h.loadLanguage(name as keyof typeof bundledLanguages);
  }
  const root = h.codeToHast(code, {
    lang: name,
    themes: THEMES,
    colorReplacements: await readableColours(),
    ...HIGHLIGHT_OPTIONS,
  });
  const pre = root.children[0] as Element;
  pre.properties = { ...pre.properties, dataLang: name };
  return pre;
}

/**
 * rehype plugin: highlights every `<pre><code class="language-X">` (fenced code blocks and code
 * excerpts). Math blocks are left to KaTeX.
 *
 * @returns the (async) transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkRehype from "remark-rehype";
 * import rehypeStringify from "rehype-stringify";
 * import { VFile } from "vfile";
 * import { rehypeShiki } from "./highlight.ts";
 * const p = unified().use(remarkParse).use(remarkRehype).use(rehypeShiki).use(rehypeStringify);
 * const file = new VFile("~~~cobol-ish\nx\n~~~\n\n~~~ts\nlet a = 1;\n~~~\n");
 * const html = String(await p.process(file));
 * if (!html.includes('class="shiki') || file.messages[0]?.ruleId !== "code-lang") throw new Error(html);
 * ```
 */
export function rehypeShiki() {
  return async (tree: Root, file: VFile): Promise<void> => {
    const blocks: { pre: Element; lang: string; code: string }[] = [];
    visit(tree, "element", (node) => {
      if (node.tagName !== "pre") return;
      const code = node.children.find((c): c is Element => c.type === "element");
      if (code?.tagName !== "code") return;
      const classes = (code.properties.className ?? []) as string[];
      const lang = classes.find((c) => c.startsWith("language-"))?.slice(9) ?? "";
      if (lang === "math") return;
      blocks.push({ pre: node, lang, code: textOf(code).replace(/\n$/, "") });
    });
    for (const block of blocks) {
      const pre = await highlight(block.code, block.lang);
      if (!pre) {
        file.message(
          `Cannot highlight code as shiki does not know language "${block.lang}"`,
          { place: block.pre.position, ruleId: "code-lang", source: "book" },
        );
        continue;
      }
      Object.assign(block.pre, { properties: pre.properties, children: pre.children });
    }
  };
}

function textOf(node: ElementContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join("");
  return "";
}
