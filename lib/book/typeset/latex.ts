/**
 * LaTeX as printed → statements the LaTeX parser reads. Two steps, both plain string work on the
 * book's own notation (the parsing itself is `@cortex-js/compute-engine`'s, see `parse.ts`):
 *
 * - {@link splitStatements}: a display holds several statements side by side, separated at the
 *   top level by `\qquad` (or `\quad\text{…}`); trailing punctuation is not part of a statement;
 * - {@link normalizeLatex}: spacing (`\,`, `\!`, `\ `), sizing (`\big`, `\left`) and decorations
 *   written without braces (`\bar\alpha_t`) become the forms the parser reads unambiguously.
 *
 * @module
 */

/** One statement of a display, and where it starts in the display's LaTeX. */
export interface Statement {
  /** The statement's LaTeX, trimmed, without trailing punctuation. */
  latex: string;
  /** Index of the statement in its display (0-based). */
  index: number;
}

/**
 * Splits a display at its top-level `\qquad` / `\quad` separators.
 *
 * @param latex a display's LaTeX
 * @returns its statements; pieces that are only text (`\text{i.e.}`) are dropped
 * @example
 * ```ts
 * import { splitStatements } from "./latex.ts";
 * const s = splitStatements("a = 1, \\qquad b = \\frac{1}{2} \\qquad\\text{i.e.}\\qquad c = 2 .");
 * if (s.map((x) => x.latex).join("|") !== "a = 1|b = \\frac{1}{2}|c = 2") throw new Error(JSON.stringify(s));
 * ```
 */
export function splitStatements(latex: string): Statement[] {
  const pieces: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < latex.length; i++) {
    const c = latex[i];
    if (c === "\\") {
      const cmd =
        /^\\(qquad|quad|left(?![a-zA-Z])|right(?![a-zA-Z])|[a-zA-Z]+|[^])/.exec(latex.slice(i))![0];
      if (cmd === "\\left") depth++;
      else if (cmd === "\\right") depth--;
      else if (depth === 0 && (cmd === "\\qquad" || cmd === "\\quad")) {
        pieces.push(latex.slice(start, i));
        start = i + cmd.length;
      }
      i += cmd.length - 1;
      continue;
    }
    if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") depth--;
  }
  pieces.push(latex.slice(start));
  const out: Statement[] = [];
  for (const p of pieces) {
    const t = p.replace(/(\\[ ,;!]|[\s,.;])+$/g, "").replace(/^(\\[ ,;!]|[\s,;])+/, "").trim();
    if (t === "" || /^\\text\{[^}]*\}$/.test(t)) continue;
    out.push({ latex: t, index: out.length });
  }
  return out;
}

const REWRITES: [RegExp, string][] = [
  // an aligned chain is one chain (its closing punctuation dropped as at the end of a display)
  [/\\begin\{aligned\}|(?:[,.;]\s*)?\\end\{aligned\}|\\\\(?![a-zA-Z])|&/g, " "],
  [/\\(bar|tilde|hat)\s*(\\[a-zA-Z]+|[a-zA-Z])/g, "\\$1{$2}"],
  [/\\(?:big|Big|bigg|Bigg)[lrm]?(?![a-zA-Z])/g, ""],
  [/\\left\.|\\right\./g, ""],
  [/\\left(?![a-zA-Z])|\\right(?![a-zA-Z])/g, ""],
  [/\\(?:left|right)(?=\\[lr]?[Vv]ert|\\langle|\\rangle)/g, ""],
  [/\\[,;:!]|\\ |\\quad|\\qquad|~/g, " "],
  [/\\[td]frac/g, "\\frac"],
  [/D_\{\\mathrm\{KL\}\}/g, "\\mathrm{KL}"],
  [/\\Vert\b|\\\|/g, ","],
  [/\\nabla(?![a-zA-Z])/g, "\\operatorname{Grad}"],
  [/\\operatorname\{(\w+)\}/g, "\\mathrm{$1}"],
  [/\\propto/g, "\\operatorname{Propto}"],
];

/**
 * Rewrites spacing, sizing and brace-less decorations so the parser reads the book's notation.
 *
 * @param latex one statement
 * @returns the same statement in the parser's preferred spelling
 * @example
 * ```ts
 * import { normalizeLatex } from "./latex.ts";
 * const n = normalizeLatex("\\tilde\\beta_t \\,\\big( \\bar\\alpha_{t-1} \\big)");
 * if (n.replace(/\s+/g, " ") !== "\\tilde{\\beta}_t ( \\bar{\\alpha}_{t-1} )") throw new Error(n);
 * ```
 */
export function normalizeLatex(latex: string): string {
  let out = latex;
  for (const [re, to] of REWRITES) out = out.replace(re, to);
  return out;
}
