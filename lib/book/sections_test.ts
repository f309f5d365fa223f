import assert from "node:assert/strict";
import type { Root } from "npm:@types/hast@3.0.5";
import { toHtml } from "hast-util-to-html";
import { rehypeSections } from "./sections.ts";

const el = (tagName: string, text: string) => ({
  type: "element" as const,
  tagName,
  properties: {},
  children: [{ type: "text" as const, value: text }],
});

Deno.test("rehypeSections: sections start at h2 and never span an island marker", () => {
  const tree: Root = {
    type: "root",
    children: [
      el("p", "intro"),
      { type: "text", value: "\n" },
      el("h2", "One"),
      el("p", "a"),
      { type: "comment", value: "island:0" },
      { type: "text", value: "\n" },
      el("p", "b"),
      el("h2", "Two"),
      el("h3", "Two.one"),
    ],
  };
  rehypeSections()(tree);
  assert.equal(
    toHtml(tree),
    '<section class="part"><p>intro</p></section>' +
      '<section class="part"><h2>One</h2><p>a</p></section><!--island:0-->' +
      '\n<section class="part"><p>b</p></section>' +
      '<section class="part"><h2>Two</h2><h3>Two.one</h3></section>',
  );
});
