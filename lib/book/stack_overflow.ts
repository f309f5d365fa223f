/**
 * A stack overflow anywhere in the chapter pipeline (a tree walker recursing into a structure
 * nested thousands deep) becomes a build error with a place, rule id `stack-overflow`, instead of
 * a crash with no file: the place is the most deeply nested node of the chapter, where a formula's
 * depth counts its LaTeX groups ({@linkcode mathDepth}). Nothing here recurses.
 *
 * @module
 */
import type { Nodes } from "npm:@types/mdast@4.0.4";
import type {} from "remark-math"; // the math nodes
import type { BookMessage } from "./types.ts";
import { mathDepth } from "./math_limits.ts";

/**
 * Is `error` JavaScript's "Maximum call stack size exceeded"?
 *
 * @example
 * ```ts
 * import { isStackOverflow } from "./stack_overflow.ts";
 * const deep = (n: number): number => n + deep(n + 1);
 * let caught: unknown;
 * try { deep(0); } catch (e) { caught = e; }
 * if (!isStackOverflow(caught) || isStackOverflow(new RangeError("x"))) throw new Error();
 * ```
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** The node nested deepest (tree depth plus, for math, its LaTeX depth), found without recursion. */
export function deepestNode(root: Nodes): { node: Nodes; depth: number } {
  let best = { node: root, depth: 0 };
  const stack: { node: Nodes; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const own = node.type === "math" || node.type === "inlineMath"
      ? depth + mathDepth(node.value)
      : depth;
    if (own > best.depth && node.position) best = { node, depth: own };
    if ("children" in node) {
      for (const child of node.children) stack.push({ node: child as Nodes, depth: depth + 1 });
    }
  }
  return best;
}

/**
 * The build error for a stack overflow while rendering a chapter.
 *
 * @param fileName The chapter, as reported (`chapters/NN-slug.md`).
 * @param parse Parses the chapter again (it may itself overflow: then the place is line 1).
 * @returns The message.
 *
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import { stackOverflowMessage } from "./stack_overflow.ts";
 * const source = "Text\n\n" + "> ".repeat(30) + "deep\n";
 * const m = stackOverflowMessage("chapters/01-a.md", () => unified().use(remarkParse).parse(source));
 * if (m.ruleId !== "stack-overflow" || m.line !== 3) throw new Error(JSON.stringify(m));
 * ```
 */
export function stackOverflowMessage(fileName: string, parse: () => Nodes): BookMessage {
  let place = { line: 1, column: 1 };
  let depth = 0;
  try {
    const deepest = deepestNode(parse());
    place = deepest.node.position?.start ?? place;
    depth = deepest.depth;
  } catch { /* the parser overflowed too */ }
  return {
    file: fileName,
    line: place.line,
    column: place.column,
    ruleId: "stack-overflow",
    reason: "Cannot render this chapter as the pipeline ran out of stack (Maximum call stack " +
      `size exceeded) on the most deeply nested part, here: current nesting is ${depth}`,
  };
}
