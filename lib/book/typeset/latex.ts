/**
 * LaTeX as printed → statements the LaTeX parser reads. Two steps, both plain string work on the
 * book's own notation (the parsing itself is `@cortex-js/compute-engine`'s, see `parse.ts`):
 *
 * - {@link splitStatements}: a display holds several statements side by side, separated at the
 *   top level by `\qquad` (or `\quad\text{…}`); trailing punctuation is not part of a statement;
 * - {@link normalizeLatex}: spacing (`\,`, `\!`, `\ `), sizing (`\big`, `\left`) and decorations
 *   written without braces (`\bar\alpha_t`) become the forms the parser reads unambiguously, and an
 *   evaluation bar `f(x)\big|_{x = a}` becomes `\operatorname{EvaluatedAt}(f(x); x = a)`
 *   ({@link respellEvaluationBar}).
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
  let out = respellEvaluationBar(latex);
  for (const [re, to] of REWRITES) out = out.replace(re, to);
  return out;
}

/** A sized bar with a subscript, `\big|_{…}`, `\Bigr|_{…}`, `\right|_{…}`: an evaluation bar. */
const BAR = /\\(?:big|Big|bigg|Bigg)r?\||\\right\|/g;

/**
 * Respells an evaluation bar, `BODY\big|_{x = a}` (BODY read at x = a), as
 * `\operatorname{EvaluatedAt}(BODY; x = a)`, which the parser reads as one application. BODY is
 * what the bar closes: the product to its left, back to the nearest top-level `+`, `-`, `,`, `;`,
 * relation, or unmatched opening bracket (a bare `|` is not read: it may close an absolute value).
 *
 * @param latex one statement
 * @returns the statement with every evaluation bar respelled
 * @example
 * ```ts
 * import { respellEvaluationBar } from "./latex.ts";
 * const r = respellEvaluationBar("m + s\\, g(x)\\big|_{x = m}, v");
 * if (r !== "m + \\operatorname{EvaluatedAt}(s\\, g(x); x = m), v") throw new Error(r);
 * ```
 */
export function respellEvaluationBar(latex: string): string {
  let out = latex;
  for (let m = BAR.exec(out); m; m = BAR.exec(out)) {
    const sub = /^\s*_\{([^{}]*)\}/.exec(out.slice(m.index + m[0].length));
    if (!sub) {
      BAR.lastIndex = m.index + m[0].length;
      continue;
    }
    let depth = 0, start = m.index;
    for (let i = m.index - 1; i >= 0; i--) {
      const c = out[i];
      if (c === ")" || c === "}" || c === "]") depth++;
      else if (c === "(" || c === "{" || c === "[") {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && /[+\-,;=]/.test(c) && out[i - 1] !== "\\") break;
      else if (depth === 0 && /\\(approx|mid|le|ge|leq|geq)\s*$/.test(out.slice(0, i + 1))) {
        break;
      }
      start = i;
    }
    const body = out.slice(start, m.index).trim();
    const at = `\\operatorname{EvaluatedAt}(${body}; ${sub[1].trim()})`;
    const lead = out.slice(0, start);
    const gap = /[^\s(\[{]$/.test(lead) ? " " : "";
    out = lead + gap + at + out.slice(m.index + m[0].length + sub[0].length);
    BAR.lastIndex = 0;
  }
  return out;
}
