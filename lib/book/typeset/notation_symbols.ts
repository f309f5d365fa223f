/**
 * The symbols the notation chapter lists: the first cell of each table row holds one or more
 * `$…$` math spans; each span's head symbol is read with the same parser and naming as the
 * typeset evaluation (`\bar\alpha_t = …` → `alphaBar`, `\epsilon_\theta(x_t, t)` →
 * `epsilon_theta`, `\mathcal{N}(x; \mu, \Sigma)` → `calN`).
 *
 * @module
 */
import { headSymbol } from "./evaluate.ts";
import { normalizeLatex } from "./latex.ts";
import { parseStatement } from "./parse.ts";

function headOf(latex: string): string | undefined {
  try {
    return headSymbol(parseStatement(normalizeLatex(latex)));
  } catch (e) {
    if (/^\\[a-zA-Z]+$/.test(latex.trim())) return latex.trim().slice(1);
    throw e;
  }
}

/** One symbol of the notation chapter and where it is listed. */
export interface NotationSymbol {
  /** The binding name, e.g. `alphaBar`. */
  name: string;
  /** The LaTeX of its span. */
  latex: string;
  /** Line in the notation chapter. */
  line: number;
}

/**
 * Reads the symbols of the notation chapter's tables.
 *
 * @param markdown the notation chapter
 * @returns every symbol, in order
 * @example
 * ```ts
 * import { notationSymbols } from "./notation_symbols.ts";
 * const s = notationSymbols("| symbol | m |\n|---|---|\n| $\\bar\\alpha_t = 1$, $\\epsilon_\\theta(x_t, t)$ | x |\n");
 * if (s.map((x) => x.name).join() !== "alphaBar,epsilon_theta") throw new Error(JSON.stringify(s));
 * ```
 */
export function notationSymbols(markdown: string): NotationSymbol[] {
  const out: NotationSymbol[] = [];
  markdown.split("\n").forEach((row, i) => {
    const cell = /^\|([^|]*(?:\\\|[^|]*)*)\|/.exec(row)?.[1];
    if (!cell) return;
    for (const [, latex] of cell.matchAll(/\$([^$]+)\$/g)) {
      // a lone operator (`\odot`) is its own name; anything else must parse
      const lone = /^\\([a-zA-Z]+)$/.exec(latex.trim());
      const name = lone && !/^[a-z]+$/i.test(String(headOf(latex))) ? lone[1] : headOf(latex);
      if (name) out.push({ name, latex, line: i + 1 });
    }
  });
  return out;
}
