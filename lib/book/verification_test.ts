import assert from "node:assert/strict";
import { BookBuildError } from "./errors.ts";
import type { EquationEntry } from "./types.ts";
import { unverifiedMessages, type VerificationRow, verifyEquations } from "./verification.ts";

const eq = (label: string, line: number): EquationEntry => ({
  chapter: "trajectories",
  chapterNumber: 2,
  label,
  number: `2.${line}`,
  latex: "x",
  file: "chapters/02-trajectories.md",
  line,
});
const row = (label: string, name: string, passed: boolean): VerificationRow => ({
  label,
  name,
  passed,
  maxError: passed ? 1e-14 : 0.5,
  tolerance: 1e-12,
  toleranceReason: "float64 round-off",
  seed: 3,
  samples: 10,
});

Deno.test("verifyEquations: verified only when every check of the label passed", () => {
  const v = verifyEquations(
    [eq("eq:a", 1), eq("eq:b", 2), eq("eq:c", 3)],
    [
      row("eq:a", "one", true),
      row("eq:a", "two", true),
      row("eq:b", "one", true),
      row(
        "eq:b",
        "two",
        false,
      ),
    ],
    "test report",
  );
  assert.equal(v["eq:a"].status, "verified");
  assert.equal(v["eq:a"].checks.length, 2);
  assert.equal(v["eq:b"].status, "failed");
  assert.equal(v["eq:c"].status, "unchecked");
  assert.equal(v["eq:c"].source, "test report");
});

Deno.test("unverifiedMessages: file:line, the rule and a fix for missing and failing checks", () => {
  const equations = [eq("eq:a", 10), eq("eq:b", 20), eq("eq:c", 30)];
  const v = verifyEquations(equations, [row("eq:a", "ok", true), row("eq:b", "bad", false)], "t");
  const messages = unverifiedMessages(equations, v);
  assert.deepEqual(messages.map((m) => [m.line, m.ruleId]), [[20, "eq-verified"], [
    30,
    "eq-verified",
  ]]);
  const text = new BookBuildError(messages).message;
  assert.match(
    text,
    /chapters\/02-trajectories\.md:20:1: Equation eq:b \(2\.20\) has a failing check: "bad" max error 0\.5 > tolerance 1e-12\. Fix: run `deno task test chapters\/02` .* \[eq-verified\]/,
  );
  assert.match(
    text,
    /chapters\/02-trajectories\.md:30:1: Equation eq:c \(2\.30\) has no check that ran\. Fix: add check\("eq:c", .*checks\/02-trajectories\.checks\.ts/,
  );
});
