import { check, runCheck } from "./harness.ts";
import { verifyEquations } from "../lib/book/verification.ts";

Deno.test("runCheck keeps a thrown printed check's mark, so the build says its typeset check failed", async () => {
  const printed = {
    printed: true,
    ...check("eq:a", "printed LaTeX evaluated", () => {
      throw new Error(
        "chapters/01-x.md:3 (eq:a): the printed equation disagrees [typeset-mismatch]",
      );
    }),
  };
  const row = await runCheck(printed);
  if (row.passed || row.printed !== true) throw new Error(JSON.stringify(row));
  const eq = {
    label: "eq:a",
    chapter: "01-x",
    chapterNumber: 1,
    number: "1.1",
    latex: "a",
    file: "chapters/01-x.md",
    line: 3,
  };
  const v = verifyEquations([eq], [row], "test")["eq:a"];
  if (v.status !== "failed" || v.printed?.reason !== "its typeset check failed") {
    throw new Error(JSON.stringify(v.printed));
  }
  const engine = await runCheck(check("eq:a", "two routes", () => {
    throw new Error("boom");
  }));
  if (engine.printed !== undefined) throw new Error("an engine check is not a printed one");
});
