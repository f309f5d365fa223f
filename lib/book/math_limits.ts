/**
 * remark plugin: bounds on every formula before KaTeX sees it, so that no chapter can keep the
 * build busy for minutes or crash it. A formula over a limit is a build error at its place
 * (rule ids `math-size`, `math-depth`, `math-html-size`, `math-time`) and is emptied, so the rest
 * of the pipeline does no work on it. Without these, a 2 MB equation kept `deno task build` busy for
 * over ten minutes and a 550-deep `\underbrace` nest overflowed the stack in the tree walkers.
 *
 * The size of the rendered HTML and the time are measured by rendering the formula once with the
 * book's own KaTeX options ({@linkcode katexOptions}); that costs about 1.5 ms a formula. KaTeX's
 * own errors are left to `katex.ts`.
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import type {} from "remark-math"; // the math nodes
import type {} from "remark-rehype"; // data.hChildren
import katex from "katex";
import { visit } from "unist-util-visit";
import { report } from "./file_data.ts";
import { katexOptions } from "./katex.ts";

/** The limits; the book's largest formula is far inside each (550 characters, depth 3, 43 kB). */
export interface MathLimits {
  /** Most characters of LaTeX in one formula. */
  maxSource: number;
  /** Most nested groups (`{`, `\left`, `\begin`) in one formula. */
  maxDepth: number;
  /** Most characters of rendered HTML (and MathML) for one formula. */
  maxHtml: number;
  /** Most milliseconds KaTeX may take for one formula. */
  maxMs: number;
}

/** The limits the book builds with. */
export const MATH_LIMITS: Readonly<MathLimits> = Object.freeze({
  maxSource: 4_000,
  maxDepth: 24,
  maxHtml: 200_000,
  maxMs: 2_000,
});

/**
 * How deeply groups nest in a formula: `{...}` (not `\{`), `\left...\right` and
 * `\begin...\end`, counted without recursion.
 *
 * @param latex The formula.
 * @returns The greatest depth reached.
 *
 * @example
 * ```ts
 * import { mathDepth } from "./math_limits.ts";
 * if (mathDepth("a^{b_{c}} + \\{x\\}") !== 2) throw new Error();
 * if (mathDepth("\\left( \\frac{a}{b} \\right)") !== 2) throw new Error();
 * ```
 */
export function mathDepth(latex: string): number {
  let depth = 0;
  let max = 0;
  const token = /\\(left|right|begin|end)\b|\\.|[{}]/gs;
  for (const [t, command] of latex.matchAll(token)) {
    if (t === "{" || command === "left" || command === "begin") max = Math.max(max, ++depth);
    else if (t === "}" || command === "right" || command === "end") depth--;
  }
  return max;
}

/** What is wrong with one formula, or undefined. */
export function mathProblem(
  latex: string,
  displayMode: boolean,
  limits: MathLimits = MATH_LIMITS,
): { ruleId: string; reason: string } | undefined {
  if (latex.length > limits.maxSource) {
    return {
      ruleId: "math-size",
      reason: `Cannot render this formula as its LaTeX is over ${limits.maxSource} characters: ` +
        `current value is ${latex.length}`,
    };
  }
  const depth = mathDepth(latex);
  if (depth > limits.maxDepth) {
    return {
      ruleId: "math-depth",
      reason: `Cannot render this formula as its groups nest over ${limits.maxDepth} deep: ` +
        `current value is ${depth}`,
    };
  }
  const start = performance.now();
  let html = "";
  try {
    html = katex.renderToString(latex, { ...katexOptions, displayMode, throwOnError: true });
  } catch {
    return undefined; // KaTeX's own error: katex.ts reports it with its place
  }
  const ms = performance.now() - start;
  if (ms > limits.maxMs) {
    return {
      ruleId: "math-time",
      reason: `Cannot render this formula as KaTeX took over ${limits.maxMs} ms for it: ` +
        `current value is ${Math.round(ms)} ms`,
    };
  }
  if (html.length > limits.maxHtml) {
    return {
      ruleId: "math-html-size",
      reason: `Cannot render this formula as its HTML is over ${limits.maxHtml} characters: ` +
        `current value is ${html.length}`,
    };
  }
  return undefined;
}

/**
 * The plugin.
 *
 * @param limits The limits (default {@linkcode MATH_LIMITS}).
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkMath from "remark-math";
 * import { VFile } from "vfile";
 * import { remarkMathLimits } from "./math_limits.ts";
 * const p = unified().use(remarkParse).use(remarkMath).use(remarkMathLimits);
 * const file = new VFile("Fine $x$.\n\n$$\n" + "x+".repeat(3000) + "1\n$$\n");
 * await p.run(p.parse(file), file);
 * if (file.messages[0]?.ruleId !== "math-size" || file.messages[0]?.line !== 3) {
 *   throw new Error(String(file.messages[0]));
 * }
 * ```
 */
export function remarkMathLimits(limits: Partial<MathLimits> = {}) {
  const all = { ...MATH_LIMITS, ...limits };
  return (tree: Root, file: VFile): void => {
    visit(tree, (node) => {
      if (node.type !== "math" && node.type !== "inlineMath") return;
      const problem = mathProblem(node.value, node.type === "math", all);
      if (!problem) return;
      report(file, problem.reason, node, problem.ruleId);
      // The build fails; spare the rest of the pipeline the work (remark-rehype reads hChildren).
      node.value = "";
      if (node.data?.hChildren) node.data.hChildren = [{ type: "text", value: "" }];
    });
  };
}
