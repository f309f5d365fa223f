/**
 * Typo operators on printed LaTeX, for mutation testing of the book (`deno task mutate`): each
 * operator makes the slips readers report most in diffusion texts, one occurrence at a time.
 *
 * @module
 */

/** One mutant of a display. */
export interface Mutant {
  /** The operator, e.g. "drop \\sqrt". */
  operator: string;
  /** Offset in the LaTeX where it applied. */
  at: number;
  latex: string;
}

/** The operators (name → every mutant it makes of a LaTeX string). */
const OPERATORS: [string, (s: string) => Mutant[]][] = [
  ["drop \\sqrt", (s) => each(s, /\\sqrt(?=\{)/g, () => "")],
  [
    "insert \\sqrt",
    (s) => each(s, /\\bar\\alpha_\{?t(?:-1)?\}?|\\beta_t|\\alpha_t/g, (m) => `\\sqrt{${m}}`),
  ],
  [
    "square <-> no square",
    (s) => [...each(s, /\^2/g, () => ""), ...each(s, /\\beta_t(?!\^)/g, (m) => `${m}^2`)],
  ],
  [
    "alphaBar <-> alpha",
    (s) => [
      ...each(s, /\\bar\\alpha/g, () => "\\alpha"),
      ...each(s, /(?<!\\bar)\\alpha/g, () => "\\bar\\alpha"),
    ],
  ],
  [
    "alpha <-> beta",
    (s) => [
      ...each(s, /(?<!\\bar)\\alpha_/g, () => "\\beta_"),
      ...each(s, /\\beta_/g, () => "\\alpha_"),
    ],
  ],
  [
    "t <-> t-1 in subscripts",
    (s) => [...each(s, /_\{t-1\}/g, () => "_t"), ...each(s, /_t(?![a-zA-Z])/g, () => "_{t-1}")],
  ],
  [
    "+ <-> -",
    (s) => [
      ...each(s, /(?<=[^{(,\s]\s*)\+/g, () => "-"),
      ...each(s, /(?<=[^{(,\s_^]\s*)-(?!1\})/g, () => "+"),
    ],
  ],
  [
    "drop or insert 2, 1/2",
    (s) => [
      ...each(s, /\\t?frac12|\\tfrac\{1\}\{2\}|\\frac\{1\}\{2\}/g, () => ""),
      ...each(s, /(?<![_^{\d])2(?![\d}])/g, () => "1"),
      ...each(s, /\\frac\{/g, (m) => `2${m}`),
    ],
  ],
  ["swap numerator and denominator", (s) => swapFractions(s)],
  ["gamma <-> 1+gamma", (s) => each(s, /\\gamma(?![a-zA-Z])/g, () => "(1+\\gamma)")],
  ["swap the sides of a conditioning bar", (s) => swapConditioning(s)],
];

function each(s: string, re: RegExp, to: (m: string) => string): Mutant[] {
  const out: Mutant[] = [];
  for (const m of s.matchAll(re)) {
    out.push({
      operator: "",
      at: m.index!,
      latex: s.slice(0, m.index) + to(m[0]) + s.slice(m.index! + m[0].length),
    });
  }
  return out;
}

/** The end of the brace group opening at `open` (index of its `}`), or -1. */
function closeBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === "{") depth++;
    else if (s[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function swapFractions(s: string): Mutant[] {
  const out: Mutant[] = [];
  for (const m of s.matchAll(/\\frac\{/g)) {
    const a0 = m.index! + 5, a1 = closeBrace(s, a0);
    if (a1 < 0 || s[a1 + 1] !== "{") continue;
    const b1 = closeBrace(s, a1 + 1);
    if (b1 < 0) continue;
    const num = s.slice(a0 + 1, a1), den = s.slice(a1 + 2, b1);
    out.push({
      operator: "",
      at: m.index!,
      latex: `${s.slice(0, a0)}{${den}}{${num}}${s.slice(b1 + 1)}`,
    });
  }
  return out;
}

function swapConditioning(s: string): Mutant[] {
  const out: Mutant[] = [];
  for (const m of s.matchAll(/\(([^()|]*?) \\mid ([^();]*?)\)/g)) {
    const [whole, a, b] = m;
    if (b.includes(",")) continue; // q(x | y, z): which side would move is ambiguous
    out.push({
      operator: "",
      at: m.index!,
      latex: s.slice(0, m.index) + `(${b} \\mid ${a})` + s.slice(m.index! + whole.length),
    });
  }
  return out;
}

/**
 * Every mutant of a display's LaTeX, one operator at one place each (identical results removed).
 *
 * @param latex the display's LaTeX
 * @returns the mutants, with their operator
 * @example
 * ```ts
 * import { mutants } from "./mutants.ts";
 * const ms = mutants("\\tilde\\beta_t = \\frac{1-\\bar\\alpha_{t-1}}{1-\\bar\\alpha_t}\\beta_t");
 * const ops = new Set(ms.map((m) => m.operator));
 * if (!ops.has("swap numerator and denominator") || !ops.has("t <-> t-1 in subscripts")) {
 *   throw new Error([...ops].join());
 * }
 * ```
 */
export function mutants(latex: string): Mutant[] {
  const seen = new Set([latex]);
  const out: Mutant[] = [];
  for (const [operator, make] of OPERATORS) {
    for (const m of make(latex)) {
      if (seen.has(m.latex)) continue;
      seen.add(m.latex);
      out.push({ ...m, operator });
    }
  }
  return out;
}
