/**
 * remark plugin: `::island{name="ForwardChain" dataset="swissroll"}`, a leaf directive on its own
 * line at the top level of a chapter. The name must be in the registry (`island-unknown`), the
 * attributes must fit its spec (`island-props`), and the directive must not sit inside another
 * block (`island-placement`). A valid island becomes an `islandSlot` node that the pipeline turns
 * into a split point between HTML parts; its typed props are on `file.data.book.islands`.
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import type {} from "remark-directive"; // the directive nodes
import { SKIP, visit } from "unist-util-visit";
import { bookData, report } from "./file_data.ts";
import { coerceIslandProps } from "./island_props.ts";
import type { IslandSpec } from "./types.ts";

/** The mdast node left where an island goes; `index` counts islands in the chapter. */
export interface IslandSlot {
  type: "islandSlot";
  index: number;
}

/**
 * The plugin.
 *
 * @param options the islands registry
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkDirective from "remark-directive";
 * import { VFile } from "vfile";
 * import { remarkIslands } from "./islands.ts";
 * const islands = { Demo: { name: "Demo", status: "ready" as const,
 *   props: { n: { type: "number" as const, default: 3 } } } };
 * const p = unified().use(remarkParse).use(remarkDirective).use(remarkIslands, { islands });
 * const file = new VFile('Text\n\n::island{name="Demo" n="5"}\n\n::island{name="Nope"}\n');
 * await p.run(p.parse(file), file);
 * if (file.data.book?.islands?.[0].props.n !== 5) throw new Error("props");
 * if (file.messages[0]?.ruleId !== "island-unknown" || file.messages[0].line !== 5) throw new Error("unknown");
 * ```
 */
export function remarkIslands(options: { islands: Record<string, IslandSpec> }) {
  return (tree: Root, file: VFile): void => {
    const islands = bookData(file).islands = [] as NonNullable<
      ReturnType<typeof bookData>["islands"]
    >;
    visit(tree, (node, index, parent) => {
      if (node.type !== "leafDirective" || node.name !== "island") return;
      if (!parent || index === undefined) return;
      const remove = (): [typeof SKIP, number] => {
        parent.children.splice(index, 1);
        return [SKIP, index];
      };
      const name = node.attributes?.name ?? "";
      const known = Object.keys(options.islands).sort();
      const spec = Object.hasOwn(options.islands, name) ? options.islands[name] : undefined;
      if (!spec) {
        report(
          file,
          `Unknown island ${JSON.stringify(name)}: known islands are ${known.join(", ") || "none"}`,
          node,
          "island-unknown",
        );
        return remove();
      }
      if (parent.type !== "root") {
        report(
          file,
          `Cannot place island ${name} inside a ${parent.type} as islands are top-level blocks`,
          node,
          "island-placement",
        );
        return remove();
      }
      const { props, problems } = coerceIslandProps(spec, node.attributes ?? {});
      for (const problem of problems) report(file, problem, node, "island-props");
      if (problems.length > 0) return remove();
      const slot: IslandSlot = { type: "islandSlot", index: islands.length };
      islands.push({ kind: "island", name, props, status: spec.status });
      parent.children[index] = slot as never;
      return SKIP;
    });
  };
}
