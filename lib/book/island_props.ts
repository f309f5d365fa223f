/**
 * Coerces an island directive's attributes (all strings) to typed props by the island's spec:
 * numbers, booleans and enums, with defaults, required props, ranges and unknown names checked.
 *
 * @module
 */
import type { IslandSpec, PropSpec } from "./types.ts";

/** The props, and a sentence for each problem (empty when the directive is valid). */
export interface CoercedProps {
  props: Record<string, unknown>;
  problems: string[];
}

/**
 * Coerces directive attributes by an island spec. `name` (the island's name) is not a prop.
 *
 * @param spec the island's spec
 * @param attributes the directive's attributes, as remark-directive gives them
 * @returns the typed props (defaults filled in) and the problems found
 * @example
 * ```ts
 * import { coerceIslandProps } from "./island_props.ts";
 * const spec = { name: "Demo", status: "ready" as const, props: {
 *   steps: { type: "number" as const, integer: true, min: 1, default: 10 },
 *   dataset: { type: "string" as const, enum: ["moons", "ring"], required: true },
 *   paused: { type: "boolean" as const } } };
 * const ok = coerceIslandProps(spec, { name: "Demo", dataset: "ring", paused: "" });
 * if (ok.props.steps !== 10 || ok.props.paused !== true || ok.problems.length) throw new Error("ok");
 * const bad = coerceIslandProps(spec, { steps: "2.5", colour: "red" });
 * if (bad.problems.length !== 3) throw new Error(bad.problems.join("; "));
 * ```
 */
export function coerceIslandProps(
  spec: IslandSpec,
  attributes: Record<string, string | null | undefined>,
): CoercedProps {
  const props: Record<string, unknown> = {};
  const problems: string[] = [];
  const known = Object.keys(spec.props);
  for (const [key, raw] of Object.entries(attributes)) {
    if (key === "name") continue;
    const propSpec = Object.hasOwn(spec.props, key) ? spec.props[key] : undefined;
    if (!propSpec) {
      problems.push(
        `Island ${spec.name} has no prop "${key}": known props are ${known.join(", ") || "none"}`,
      );
      continue;
    }
    const value = coerce(propSpec, raw ?? "");
    if (value instanceof Error) {
      problems.push(`Cannot set ${spec.name} prop "${key}" as ${value.message}`);
    } else props[key] = value;
  }
  for (const [key, propSpec] of Object.entries(spec.props)) {
    if (key in props || problems.some((p) => p.includes(`prop "${key}"`))) continue;
    if (propSpec.default !== undefined) props[key] = propSpec.default;
    else if (propSpec.required) {
      problems.push(`Island ${spec.name} needs prop "${key}" (${describe(propSpec)})`);
    }
  }
  return { props, problems };
}

function coerce(spec: PropSpec, raw: string): unknown {
  const current = `current value is ${JSON.stringify(raw)}`;
  if (spec.type === "boolean") {
    if (raw === "" || raw === "true") return true;
    if (raw === "false") return false;
    return new Error(`it must be true or false: ${current}`);
  }
  if (spec.type === "number") {
    const n = raw.trim() === "" ? NaN : Number(raw);
    if (!Number.isFinite(n)) return new Error(`it must be a number: ${current}`);
    if (spec.integer && !Number.isInteger(n)) {
      return new Error(`it must be an integer: ${current}`);
    }
    if (spec.min !== undefined && n < spec.min) {
      return new Error(`it must be at least ${spec.min}: ${current}`);
    }
    if (spec.max !== undefined && n > spec.max) {
      return new Error(`it must be at most ${spec.max}: ${current}`);
    }
    return n;
  }
  if (spec.enum && !spec.enum.includes(raw)) {
    return new Error(`it must be one of ${spec.enum.join(", ")}: ${current}`);
  }
  return raw;
}

function describe(spec: PropSpec): string {
  if (spec.type === "string" && spec.enum) return `one of ${spec.enum.join(", ")}`;
  return `a ${spec.type}`;
}
