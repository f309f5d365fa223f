import assert from "node:assert/strict";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkMath from "remark-math";
import remarkRehype from "remark-rehype";
import rehypeStringify from "rehype-stringify";
import type { Root } from "npm:@types/hast@3.0.5";
import { rehypeMath } from "./katex.ts";
import { MARGIN_RIGHT_EMS, marginClassName, rehypeKatexSlim } from "./katex_slim.ts";

const render = async (markdown: string) =>
  String(
    await unified().use(remarkParse).use(remarkMath).use(remarkRehype).use(rehypeMath)
      .use(rehypeKatexSlim).use(rehypeStringify).process(markdown),
  );

Deno.test("every margin class has its rule in static/styles.css, with the same margin", async () => {
  const css = await Deno.readTextFile(new URL("../../static/styles.css", import.meta.url));
  for (const em of MARGIN_RIGHT_EMS) {
    const rule = `.katex .${marginClassName(em)} {\n  margin-right: ${em}em;\n}`;
    assert.ok(css.includes(rule), `static/styles.css lacks ${rule}`);
  }
});

Deno.test("KaTeX's spaces lose their inline style for a class; other margins stay inline", async () => {
  const out = await render("$a \\; b \\, c \\quad d \\hspace{0.3em} e$");
  for (const cls of ["mr2778", "mr1667", "mr10000"]) assert.ok(out.includes(cls), `${cls}: ${out}`);
  assert.ok(!out.includes('style="margin-right:0.2778em;"'), out);
  assert.ok(out.includes('style="margin-right:0.3em;"'), `an unlisted margin stays inline: ${out}`);
  // a KaTeX class whose own rule sets a right margin keeps its inline style
  const root: Root = {
    type: "root",
    children: [{
      type: "element",
      tagName: "span",
      properties: { className: ["root"], style: "margin-right:0.1667em;" },
      children: [],
    }],
  };
  rehypeKatexSlim()(root);
  const own = root.children[0];
  assert.ok(own.type === "element" && own.properties.style === "margin-right:0.1667em;");
});
