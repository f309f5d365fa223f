import assert from "node:assert/strict";
import type { Element, Root } from "npm:@types/hast@3.0.5";
import { toHtml } from "hast-util-to-html";
import { CHUNK_BLOCKS, rehypeSections } from "./sections.ts";

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
    '<section class="part"><div class="chunk"><p>intro</p></div></section>' +
      '<section class="part"><div class="chunk"><h2>One</h2><p>a</p></div></section>' +
      '<!--island:0-->\n<section class="part"><div class="chunk"><p>b</p></div></section>' +
      '<section class="part"><div class="chunk"><h2>Two</h2></div>' +
      '<div class="chunk"><h3>Two.one</h3></div></section>',
  );
});

Deno.test("rehypeSections: chunks start at each h3, and after CHUNK_BLOCKS blocks only between two paragraphs", () => {
  const blocks = (n: number, tagName = "p") =>
    Array.from({ length: n }, (_, i) => el(tagName, `${tagName}${i}`));
  const tree: Root = {
    type: "root",
    children: [
      el("h2", "H"),
      ...blocks(CHUNK_BLOCKS - 1),
      el("ul", "list"), // the chunk is full, but a list is no place to cut: margins differ
      el("p", "after list"), // nor before the paragraph after it
      { type: "text", value: "\n" },
      el("p", "cut here"),
      el("h3", "Sub"),
      el("p", "s"),
    ],
  };
  rehypeSections()(tree);
  const section = tree.children[0] as Element;
  const chunks = section.children.map((c) => toHtml(c as Element));
  assert.equal(chunks.length, 3);
  assert.ok(chunks[0].startsWith('<div class="chunk"><h2>H</h2><p>p0</p>'), chunks[0]);
  assert.ok(chunks[0].endsWith("<ul>list</ul><p>after list</p>\n</div>"), chunks[0]);
  assert.equal(chunks[1], '<div class="chunk"><p>cut here</p></div>');
  assert.equal(chunks[2], '<div class="chunk"><h3>Sub</h3><p>s</p></div>');
});
