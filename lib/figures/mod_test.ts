import assert from "node:assert/strict";
import { figures } from "./mod.ts";
import { elementsOf } from "./testing.ts";

Deno.test("every exhibit is a <figure> with a caption, alt text on each drawing, no script", () => {
  for (const spec of Object.values(figures)) {
    const e = spec.render();
    assert.equal(e.tagName, "figure", spec.name);
    assert.equal(elementsOf(e, "figcaption").length, 1, spec.name);
    assert.equal(elementsOf(e, "script").length, 0, spec.name);
    const svgs = elementsOf(e, "svg");
    if (spec.kind === "figure") {
      assert.ok(svgs.length > 0, spec.name);
      for (const svg of svgs) {
        assert.equal(svg.properties.role, "img");
        assert.ok(String(svg.properties["aria-label"]).length > 20, spec.name);
      }
    } else assert.equal(elementsOf(e, "table").length, 1, spec.name);
  }
});

Deno.test("chapters 1–5 each have at least two figures and a table in the registry", () => {
  const names = Object.values(figures);
  assert.ok(names.filter((f) => f.kind === "figure").length >= 10);
  assert.ok(names.filter((f) => f.kind === "table").length >= 5);
});
