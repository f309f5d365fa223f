/**
 * remark plugin: `::figure{name="schedule-curves"}` and `::table{name="schedule-numbers"}`, leaf
 * directives that place a figure or a table computed at build time. The name must be in the
 * registry (`figure-unknown`), the directive must match its kind (`figure-kind`: a table is placed
 * with `::table`), and a renderer that throws is reported, not crashed on (`figure-render`). A
 * valid directive becomes the registry's `<figure>` element, inline: no script, no request.
 *
 * @module
 */
import type { Root } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import type {} from "remark-directive"; // the directive nodes
import { SKIP, visit } from "unist-util-visit";
import { report } from "./file_data.ts";
import type { FigureSpec } from "./types.ts";

/**
 * The plugin.
 *
 * @param options the figures registry
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkDirective from "remark-directive";
 * import remarkRehype from "remark-rehype";
 * import rehypeStringify from "rehype-stringify";
 * import { VFile } from "vfile";
 * import { remarkFigures } from "./figures.ts";
 * const figures = { dot: { name: "dot", kind: "figure" as const, render: () => ({
 *   type: "element" as const, tagName: "figure", properties: {}, children: [] }) } };
 * const p = unified().use(remarkParse).use(remarkDirective).use(remarkFigures, { figures })
 *   .use(remarkRehype).use(rehypeStringify);
 * const file = new VFile('::figure{name="dot"}\n\n::figure{name="nope"}\n');
 * if (String(await p.process(file)) !== "<figure></figure>") throw new Error("not placed");
 * if (file.messages[0]?.ruleId !== "figure-unknown" || file.messages[0].line !== 3) throw new Error("unknown");
 * ```
 */
export function remarkFigures(options: { figures: Record<string, FigureSpec> }) {
  return (tree: Root, file: VFile): void => {
    visit(tree, "leafDirective", (node, index, parent) => {
      if ((node.name !== "figure" && node.name !== "table") || !parent || index === undefined) {
        return;
      }
      const remove = (reason: string, ruleId: string): [typeof SKIP, number] => {
        report(file, reason, node, ruleId);
        parent.children.splice(index, 1);
        return [SKIP, index];
      };
      const name = node.attributes?.name ?? "";
      const spec = Object.hasOwn(options.figures, name) ? options.figures[name] : undefined;
      if (!spec) {
        const known = Object.values(options.figures).filter((f) => f.kind === node.name)
          .map((f) => f.name).sort();
        return remove(
          `Unknown ${node.name} ${JSON.stringify(name)}: known ${node.name}s are ${
            known.join(", ") || "none"
          }`,
          "figure-unknown",
        );
      }
      if (spec.kind !== node.name) {
        return remove(
          `Cannot place ${name} with ::${node.name} as it is a ${spec.kind}: write ::${spec.kind}`,
          "figure-kind",
        );
      }
      let element;
      try {
        element = spec.render();
      } catch (e) {
        return remove(
          `Cannot draw ${spec.kind} ${name} as its renderer failed: ${(e as Error).message}`,
          "figure-render",
        );
      }
      // remark-rehype turns an unknown node with hName/hProperties/hChildren into that element
      parent.children[index] = {
        type: "figureBlock",
        children: [],
        data: {
          hName: element.tagName,
          hProperties: element.properties,
          hChildren: element.children,
        },
        position: node.position,
      } as never;
      return SKIP;
    });
  };
}
