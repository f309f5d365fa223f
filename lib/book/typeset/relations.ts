/**
 * The relations a statement states: every `=` of a chain, `\le`/`\ge` bounds, `\approx`, `\propto`.
 *
 * @module
 */
import type { MathJson } from "./parse.ts";

/** A relation between consecutive sides. */
export type RelationOp = "=" | "<=" | ">=" | "<" | ">" | "~=" | "propto";

/** A chain `s0 op0 s1 op1 s2 …`. */
export interface Chain {
  sides: MathJson[];
  ops: RelationOp[];
}

const OPS: Record<string, RelationOp> = {
  Equal: "=",
  LessEqual: "<=",
  GreaterEqual: ">=",
  Less: "<",
  Greater: ">",
  Approx: "~=",
};

/**
 * Flattens a parsed statement into its chain of relations, or undefined when it states none (a
 * sampling statement such as `z \sim \mathcal{N}(0, I)`, or a bare expression).
 *
 * @param j a statement's MathJSON
 * @returns the chain
 * @example
 * ```ts
 * import { relationChain } from "./relations.ts";
 * const c = relationChain(["Equal", "a", ["LessEqual", "b", "c"]]);
 * if (c?.ops.join() !== "=,<=" || c.sides.length !== 3) throw new Error(JSON.stringify(c));
 * ```
 */
export function relationChain(j: MathJson): Chain | undefined {
  if (!Array.isArray(j)) return undefined;
  const op = typeof j[0] === "string" ? OPS[j[0]] : undefined;
  if (op && j.length === 3) {
    const rest = relationChain(j[2]);
    const left = relationChain(j[1]);
    const sidesLeft = left ? left.sides : [j[1]];
    const opsLeft = left ? left.ops : [];
    if (rest) return { sides: [...sidesLeft, ...rest.sides], ops: [...opsLeft, op, ...rest.ops] };
    return { sides: [...sidesLeft, j[2]], ops: [...opsLeft, op] };
  }
  if (j[0] === "InvisibleOperator") {
    const at = j.findIndex((x) => x === "Propto");
    if (at > 0) {
      const lhs = j.slice(1, at), rhs = j.slice(at + 1);
      const wrap = (xs: MathJson[]): MathJson =>
        xs.length === 1 ? xs[0] : ["InvisibleOperator", ...xs];
      const left = relationChain(wrap(lhs));
      const sides = left ? left.sides : [wrap(lhs)];
      return { sides: [...sides, wrap(rhs)], ops: [...(left?.ops ?? []), "propto"] };
    }
  }
  return undefined;
}
