/**
 * remark plugin: exercises and callouts.
 *
 * - `::::exercise` ... `:::solution` ... `:::` ... `::::` becomes
 *   `<section class="exercise" id="exercise-N-k" data-number="N.k"><div class="exercise-body">
 *   <p class="exercise-title"><strong>Exercise N.k</strong></p>...</div><details class="solution">
 *   <summary>Show solution</summary>...</details></section>`; the count goes on
 *   `file.data.book.exerciseCount`.
 * - `:::note` and `:::slip{title="..."}` become `<div class="callout note|slip" role="note">` with a
 *   `<p class="callout-title">`.
 *
 * A solution outside an exercise, or two in one, is a `directive-misuse` error.
 *
 * @module
 */
import type { ContainerDirective } from "mdast-util-directive";
import type { PhrasingContent, Root, RootContent } from "npm:@types/mdast@4.0.4";
import type { VFile } from "vfile";
import type {} from "remark-rehype"; // data.hProperties
import { visit } from "unist-util-visit";
import { bookData, htmlBlock, report } from "./file_data.ts";

const CALLOUT_TITLES: Record<string, string> = { note: "Note", slip: "A slip in the source" };

/**
 * The plugin.
 *
 * @param options the chapter number N in "Exercise N.k"
 * @returns the transformer
 * @example
 * ```ts
 * import { unified } from "unified";
 * import remarkParse from "remark-parse";
 * import remarkDirective from "remark-directive";
 * import remarkRehype from "remark-rehype";
 * import rehypeStringify from "rehype-stringify";
 * import { VFile } from "vfile";
 * import { remarkBlocks } from "./blocks.ts";
 * const p = unified().use(remarkParse).use(remarkDirective)
 *   .use(remarkBlocks, { chapterNumber: 3 }).use(remarkRehype).use(rehypeStringify);
 * const html = String(await p.process(new VFile("::::exercise\nQ\n:::solution\nA\n:::\n::::\n")));
 * if (!html.includes("<strong>Exercise 3.1</strong>") || !html.includes("<summary>Show solution")) {
 *   throw new Error(html);
 * }
 * ```
 */
export function remarkBlocks(options: { chapterNumber: number }) {
  return (tree: Root, file: VFile): void => {
    let exercises = 0;
    visit(tree, "containerDirective", (node, _index, parent) => {
      if (node.name === "exercise") {
        exercises += 1;
        exercise(node, `${options.chapterNumber}.${exercises}`, file);
      } else if (node.name === "solution") {
        const where = parent?.type === "containerDirective" ? `a ${parent.name}` : "the chapter";
        report(
          file,
          `Cannot place a solution in ${where} as a solution must sit directly inside an exercise`,
          node,
          "directive-misuse",
        );
        become(node, "div", { className: ["solution"] }, node.children); // reported once only
      } else if (node.name in CALLOUT_TITLES) {
        callout(node);
      }
    });
    bookData(file).exerciseCount = exercises;
  };
}

/** Splits off the `[label]` paragraph remark-directive puts first. */
function takeLabel(node: ContainerDirective): PhrasingContent[] | undefined {
  const first = node.children[0];
  if (first?.type === "paragraph" && first.data?.directiveLabel) {
    node.children.shift();
    return first.children;
  }
  return undefined;
}

function exercise(node: ContainerDirective, number: string, file: VFile): void {
  const label = takeLabel(node);
  const body: RootContent[] = [];
  const solutions: ContainerDirective[] = [];
  for (const child of node.children) {
    if (child.type === "containerDirective" && child.name === "solution") solutions.push(child);
    else body.push(child);
  }
  for (const extra of solutions.slice(1)) {
    report(file, `Cannot give exercise ${number} a second solution`, extra, "directive-misuse");
  }
  const title: PhrasingContent[] = [{
    type: "strong",
    children: [{ type: "text", value: `Exercise ${number}` }],
  }];
  if (label) title.push({ type: "text", value: ": " }, ...label);
  const children: RootContent[] = [
    htmlBlock("div", { className: ["exercise-body"] }, [
      {
        type: "paragraph",
        data: { hProperties: { className: ["exercise-title"] } },
        children: title,
      },
      ...body,
    ]),
  ];
  if (solutions[0]) {
    const solution = solutions[0];
    takeLabel(solution);
    children.push(htmlBlock("details", { className: ["solution"] }, [
      htmlBlock("summary", {}, [{ type: "text", value: "Show solution" }]),
      ...solution.children,
    ]));
  }
  const id = `exercise-${number.replace(".", "-")}`;
  become(node, "section", { className: ["exercise"], id, dataNumber: number }, children);
}

function callout(node: ContainerDirective): void {
  const label = takeLabel(node);
  const attribute = node.attributes?.title?.trim();
  const title: PhrasingContent[] = label ??
    [{ type: "text", value: attribute || CALLOUT_TITLES[node.name] }];
  // role=note, not <aside>: a complementary landmark may not sit inside <main> (axe)
  become(node, "div", { className: ["callout", node.name], role: "note" }, [
    { type: "paragraph", data: { hProperties: { className: ["callout-title"] } }, children: title },
    ...node.children,
  ]);
}

/** Turns a directive node into an HTML block in place, so `visit` walks its new children. */
function become(
  node: ContainerDirective,
  hName: string,
  hProperties: Record<string, string | string[]>,
  children: RootContent[],
): void {
  const block = htmlBlock(hName, hProperties, children);
  Object.assign(node, { type: block.type, data: block.data, children });
}
