/**
 * Math with KaTeX, on the server, through rehype-katex. The options are safe for untrusted input:
 * every command that needs `trust` (`\href`, `\url`, `\htmlData`, `\includegraphics`, ...) is
 * refused with an error, macro expansion is capped (`maxExpand`), sizes are capped (`maxSize`).
 * rehype-katex's messages are re-labelled as `katex-error` errors that quote the LaTeX and point
 * at the line of the offending token.
 *
 * @module
 */
import type { Element, ElementContent, Root } from "npm:@types/hast@3.0.5";
import type { VFile } from "vfile";
import type { KatexOptions, TrustContext } from "katex";
import rehypeKatex from "rehype-katex";

/** Raised inside KaTeX when a formula uses a command that needs `trust`. */
export class UntrustedCommandError extends Error {
  /** @param command the command, e.g. `\href` */
  constructor(command: string) {
    super(`${command} is not allowed (KaTeX runs with trust: false)`);
    this.name = "UntrustedCommandError";
  }
}

/**
 * The KaTeX options the book renders with (rehype-katex adds `displayMode` and `throwOnError`).
 *
 * @example
 * ```ts
 * import katex from "katex";
 * import { katexOptions } from "./katex.ts";
 * let refused = false;
 * try {
 *   katex.renderToString("\\href{javascript:alert(1)}{x}", { ...katexOptions, throwOnError: false });
 * } catch { refused = true; }
 * if (!refused || katexOptions.maxExpand !== 1000) throw new Error("trusted");
 * ```
 */
export const katexOptions: KatexOptions = {
  trust: (context: TrustContext): boolean => {
    throw new UntrustedCommandError(context.command);
  },
  strict: "ignore",
  maxSize: 20,
  maxExpand: 1000,
  output: "htmlAndMathml",
};

/**
 * rehype plugin: rehype-katex with {@link katexOptions}, its messages turned into `katex-error`.
 *
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkMath from "remark-math";
 * import remarkRehype from "remark-rehype";
 * import rehypeStringify from "rehype-stringify";
 * import { VFile } from "vfile";
 * import { rehypeMath } from "./katex.ts";
 * const p = unified().use(remarkParse).use(remarkMath).use(remarkRehype).use(rehypeMath)
 *   .use(rehypeStringify);
 * const file = new VFile("Fine $x^2$.\n\nBroken $\\frac{1}{$ here.\n");
 * const html = String(await p.process(file));
 * const m = file.messages[0];
 * if (!html.includes('class="katex"') || m?.ruleId !== "katex-error" || m.line !== 3) {
 *   throw new Error(String(m));
 * }
 * const shown = String(await p.process("$$\nx^2\n$$\n"));
 * if (!shown.includes('tabindex="0" role="group" aria-label="Equation"')) {
 *   throw new Error(String(m));
 * }
 * ```
 */
export function rehypeMath() {
  const transform = rehypeKatex(katexOptions);
  return (tree: Root, file: VFile): void => {
    const before = file.messages.length;
    transform(tree, file);
    nameDisplays(tree, undefined);
    for (const message of file.messages.slice(before)) {
      if (message.source !== "rehype-katex") continue;
      const element = message.ancestors?.at(-1) as Element | undefined;
      const latex = element ? textOf(element) : "";
      const cause = message.cause as
        | (Error & { rawMessage?: string; position?: number })
        | undefined;
      const why = (cause?.rawMessage ?? cause?.message ?? "of an unknown error").split("\n")[0];
      const reason = `Cannot render math with KaTeX as ${why}: ${JSON.stringify(latex)}`;
      // the innermost ancestor with a position: display math's <code> may have none of its own
      const start = message.ancestors?.findLast((n) => n.position)?.position?.start;
      const place = tokenPlace(start, element, latex, cause?.position) ?? start;
      Object.assign(message, {
        reason,
        message: reason,
        ruleId: "katex-error",
        source: "book",
        ...(place ? { line: place.line, column: place.column } : {}),
      });
    }
  };
}

/**
 * Every display formula becomes a focusable, named group: one wider than the screen scrolls, and
 * keyboard readers must be able to reach and scroll it (axe `scrollable-region-focusable`).
 */
function nameDisplays(node: Root | Element, number: string | undefined): void {
  for (const child of node.children) {
    if (child.type !== "element") continue;
    const classes = child.properties.className;
    if (Array.isArray(classes) && classes.includes("katex-display")) {
      Object.assign(child.properties, {
        tabIndex: 0,
        role: "group",
        ariaLabel: number ? `Equation (${number})` : "Equation",
      });
      continue;
    }
    const n = child.properties.dataNumber;
    nameDisplays(child, typeof n === "string" ? n : number);
  }
}

/** Line and column of character `offset` of the formula, when KaTeX said where it failed. */
function tokenPlace(
  start: { line: number; column: number } | undefined,
  element: Element | undefined,
  latex: string,
  offset: number | undefined,
) {
  if (!start || offset === undefined || offset < 0 || offset > latex.length) return undefined;
  const display = (element?.properties.className as string[] | undefined)?.includes(
    "math-display",
  );
  const before = latex.slice(0, offset).split("\n");
  if (display) { // the formula starts on the line after `$$`
    return { line: start.line + before.length, column: before.at(-1)!.length + 1 };
  }
  const line = start.line + before.length - 1;
  const column = before.length === 1 ? start.column + 1 + offset : before.at(-1)!.length + 1;
  return { line, column };
}

function textOf(node: ElementContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join("");
  return "";
}
