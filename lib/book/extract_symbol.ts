/**
 * Finds the declaration of an exported symbol in TypeScript source: from `export function NAME`
 * (or `const`, `let`, `interface`, `type`, `class`, `enum`) through its end, the brace that closes
 * it or the `;` that ends it, without the JSDoc above it. Strings, template literals, comments and
 * regular expressions are skipped when matching brackets.
 *
 * @module
 */

/** The declaration's text and its 1-based first and last lines. */
export interface Excerpt {
  code: string;
  startLine: number;
  endLine: number;
}

// after one of these a `/` starts a regular expression, not a division
const REGEX_BEFORE = new Set([..."(,=:[!&|?{};+-*%<>~^", ""]);
// a `}` at depth 0 followed by one of these does not end the declaration (`): {..} {`, `| {..}`)
const CONTINUES = new Set([..."|&.?:=,{[(<>"]);

/**
 * Extracts an exported symbol's declaration.
 *
 * @param source the file's text
 * @param name the symbol
 * @returns the excerpt, or undefined when no `export` declaration of that name exists
 * @example
 * ```ts
 * import { extractSymbol } from "./extract_symbol.ts";
 * const src = [
 *   "/** Doc. *\/",
 *   "export function f(x: { a: number }): { b: string } {",
 *   '  const s = "}"; // }',
 *   "  return { b: `${x.a}}` };",
 *   "}",
 *   "export const g = 1;",
 * ].join("\n");
 * const e = extractSymbol(src, "f");
 * if (e?.startLine !== 2 || e.endLine !== 5 || !e.code.endsWith("}")) throw new Error(JSON.stringify(e));
 * if (extractSymbol(src, "g")?.code !== "export const g = 1;") throw new Error("const");
 * ```
 */
export function extractSymbol(source: string, name: string): Excerpt | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const declaration = new RegExp(
    `^export\\s+(?:default\\s+)?(?:declare\\s+)?(?:async\\s+)?` +
      `(?:function\\s*\\*?|const|let|var|interface|type|abstract\\s+class|class|enum)\\s+` +
      `${escaped}(?![\\w$])`,
    "m",
  );
  const match = declaration.exec(source);
  if (!match) return undefined;
  const start = match.index;
  const end = declarationEnd(source, start);
  const code = source.slice(start, end).trimEnd();
  const startLine = source.slice(0, start).split("\n").length;
  return { code, startLine, endLine: startLine + code.split("\n").length - 1 };
}

/** Index just past the end of the declaration starting at `start`. */
function declarationEnd(s: string, start: number): number {
  const stack: string[] = []; // open brackets and template-literal `${`
  let last = ""; // last significant character, to tell a regex from a division
  let i = start;
  while (i < s.length) {
    const c = s[i];
    const next = s[i + 1];
    if (c === "/" && next === "/") {
      i = lineEnd(s, i);
      continue;
    }
    if (c === "/" && next === "*") {
      const close = s.indexOf("*/", i + 2);
      i = close === -1 ? s.length : close + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      i = quoteEnd(s, i, c);
      last = c;
      continue;
    }
    if (c === "`") {
      i = templateEnd(s, i + 1, stack);
      last = c;
      continue;
    }
    if (c === "/" && REGEX_BEFORE.has(last)) {
      i = regexEnd(s, i);
      last = "/";
      continue;
    }
    if (c === "(" || c === "[" || c === "{") stack.push(c);
    else if (c === ")" || c === "]" || c === "}") {
      const open = stack.pop();
      if (open === "${") { // back inside a template literal
        i = templateEnd(s, i + 1, stack);
        last = "`";
        continue;
      }
      if (c === "}" && stack.length === 0) {
        let j = i + 1;
        while (j < s.length && /\s/.test(s[j])) j++;
        if (s[j] === ";") return j + 1;
        if (!CONTINUES.has(s[j]) && !/^(as|satisfies|extends|implements)\b/.test(s.slice(j))) {
          return i + 1;
        }
      }
    } else if (c === ";" && stack.length === 0) return i + 1;
    if (!/\s/.test(c)) last = c;
    i++;
  }
  return s.length;
}

function lineEnd(s: string, i: number): number {
  const nl = s.indexOf("\n", i);
  return nl === -1 ? s.length : nl;
}

function quoteEnd(s: string, i: number, q: string): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === "\\") j++;
    else if (s[j] === q || s[j] === "\n") return j + 1;
  }
  return s.length;
}

/** From inside a template literal, the index after its closing backtick or after a `${`. */
function templateEnd(s: string, i: number, stack: string[]): number {
  for (let j = i; j < s.length; j++) {
    if (s[j] === "\\") j++;
    else if (s[j] === "`") return j + 1;
    else if (s[j] === "$" && s[j + 1] === "{") {
      stack.push("${");
      return j + 2;
    }
  }
  return s.length;
}

function regexEnd(s: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === "\\") j++;
    else if (s[j] === "\n") return j;
    else if (inClass) inClass = s[j] !== "]";
    else if (s[j] === "[") inClass = true;
    else if (s[j] === "/") return j + 1;
  }
  return s.length;
}
