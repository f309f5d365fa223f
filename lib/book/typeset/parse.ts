/**
 * Parses one statement of printed LaTeX to MathJSON with `@cortex-js/compute-engine` (the parser
 * is the library's; `latex.ts` only respells the book's notation first). A statement the parser
 * cannot read is an error that quotes the part it could not read — never a silent pass.
 *
 * @module
 */
import { ComputeEngine } from "@cortex-js/compute-engine";
import { normalizeLatex } from "./latex.ts";

/** A MathJSON expression as the parser returns it (non-canonical: the printed structure). */
export type MathJson = number | string | { num: string } | { str: string } | MathJson[];

let engine: ComputeEngine | undefined;

/** Why a statement could not be read or evaluated. */
export class TypesetError extends Error {
  constructor(message: string, readonly rule: string) {
    super(message);
    this.name = "TypesetError";
  }
}

/**
 * Parses a statement, keeping the printed structure (no simplification, no canonical form).
 *
 * @param latex the statement's LaTeX as printed
 * @returns its MathJSON
 * @example
 * ```ts
 * import { parseStatement } from "./parse.ts";
 * const j = parseStatement("\\tilde\\beta_t = \\frac{1}{2}\\beta_t");
 * if (!Array.isArray(j) || j[0] !== "Equal") throw new Error(JSON.stringify(j));
 * ```
 */
export function parseStatement(latex: string): MathJson {
  engine ??= new ComputeEngine();
  const json = engine.parse(normalizeLatex(latex), { form: "raw" }).json as MathJson;
  const bad = findError(json);
  if (bad !== undefined) {
    throw new TypesetError(
      `Cannot parse the printed LaTeX as the parser stopped at ${bad}: current value is ` +
        JSON.stringify(latex.length > 160 ? latex.slice(0, 160) + "…" : latex),
      "typeset-parse",
    );
  }
  return json;
}

function findError(j: MathJson): string | undefined {
  if (!Array.isArray(j)) return undefined;
  if (j[0] === "Error") return JSON.stringify(j.slice(1)).replace(/["']/g, "");
  for (const c of j.slice(1)) {
    const e = findError(c);
    if (e !== undefined) return e;
  }
  return undefined;
}
