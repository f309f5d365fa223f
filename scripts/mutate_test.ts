import assert from "node:assert/strict";
import { judge, spread } from "./mutate.ts";
import { displayEquations } from "../lib/book/typeset/displays.ts";
import { mutants } from "../lib/book/typeset/mutants.ts";
import { spec } from "../checks/01-reverse-step.typeset.ts";

// A fixed small sample of `deno task mutate`: the slips the issue names, planted in two printed
// equations of chapter 1, must each be killed; the full sweep is the task.
const md = await Deno.readTextFile(new URL("../chapters/01-reverse-step.md", import.meta.url));
const displays = displayEquations(md, "chapters/01-reverse-step.md");
const byLabel = (label: string) => displays.find((d) => d.label === label)!;

Deno.test("mutants: the slips of the issue in eq:posterior-variance and eq:ddim-step are killed", () => {
  for (const label of ["eq:posterior-variance", "eq:ddim-step"]) {
    const d = byLabel(label);
    const sample = spread(mutants(d.latex), 11); // one per operator that applies
    assert.ok(sample.length >= 5, `${label}: ${sample.length} mutants`);
    for (const m of sample) {
      assert.equal(judge(d, m, spec), "killed", `${label}, ${m.operator}: ${m.latex}`);
    }
  }
});

Deno.test("mutants: a typo that does not change the value is equivalent, not survived", () => {
  const d = byLabel("eq:posterior-variance");
  const same = {
    operator: "reorder",
    at: 0,
    latex: d.latex.replace("\\,\\beta_t", "\\,\\beta_t \\cdot 1"),
  };
  assert.notEqual(same.latex, d.latex);
  assert.equal(judge(d, same, spec), "equivalent");
});

Deno.test("mutants: typos in the ∝ part of chapter 1's Bayes display are killed (the ratio is compared)", () => {
  const d = displays.find((x) => !x.label && x.latex.includes("\\propto"))!;
  const at = d.latex.indexOf("\\propto");
  // mutants inside the exponent, after the ∝: one per operator that applies there
  const sample = spread(mutants(d.latex).filter((m) => m.at > at), 6);
  assert.ok(sample.length >= 4, `${sample.length} mutants`);
  for (const m of sample) assert.equal(judge(d, m, spec), "killed", `${m.operator}: ${m.latex}`);
});
