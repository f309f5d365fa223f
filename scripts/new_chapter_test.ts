/**
 * Runs `deno task new-chapter` in a temporary copy of the project and shows that the new chapter
 * builds (with its numbered example equation and island) and that its equation check fails until
 * it is written.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { addToChapterChecks, nextChapterNumber, scaffoldFiles, slugify } from "./new_chapter.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const COPY = [
  "chapters",
  "engine",
  "lib",
  "components",
  "islands",
  "tests/equations",
  "checks",
  "scripts",
];

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyTree(join(from, e.name), join(to, e.name));
    else if (e.isFile) await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

async function run(cwd: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { success: out.success, text };
}

Deno.test("new-chapter in a temp copy: the chapter builds and its check fails until written", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "new_chapter_" });
  try {
    for (const dir of COPY) await copyTree(join(ROOT, dir), join(tmp, dir));
    for (const f of ["deno.json", "deno.lock"]) await Deno.copyFile(join(ROOT, f), join(tmp, f));
    const before = [...Deno.readDirSync(join(tmp, "chapters"))].map((e) => e.name);
    const nn = nextChapterNumber(before);

    const made = await run(tmp, ["task", "new-chapter", "Score matching"]);
    assert.ok(made.success, made.text);
    const name = `${nn}-score-matching`;
    assert.match(made.text, new RegExp(`chapters/${name}\\.md`));
    assert.match(made.text, new RegExp(`deno task test chapters/${nn}`));

    // The book (every chapter, the new one included) builds, with the equation numbered.
    const probe = `
      import { loadBook } from "./lib/book/mod.ts";
      import { bookOptions } from "./lib/site/book.ts";
      const root = Deno.cwd();
      const book = await loadBook({ ...(await bookOptions()), chaptersDir: root + "/chapters", root });
      const c = book.chapters.find((c) => c.file === "chapters/${name}.md");
      console.log(JSON.stringify({ title: c.title, eqs: c.equations.map((e) => e.label + "=" + e.number),
        islands: c.parts.filter((p) => p.kind === "island").map((p) => p.name) }));`;
    await Deno.writeTextFile(join(tmp, "probe.ts"), probe);
    const built = await run(tmp, ["run", "-A", "probe.ts"]);
    assert.ok(built.success, built.text);
    const info = JSON.parse(built.text.trim().split("\n").at(-1)!);
    assert.equal(info.title, "Score matching");
    assert.deepEqual(info.eqs, [`eq:score-matching-example=${Number(nn)}.1`]);
    assert.deepEqual(info.islands, ["ForwardChain"]);

    // Its check fails, with a message that says which file to edit.
    const tested = await run(tmp, ["test", "-A", `tests/equations/${name}_test.ts`]);
    assert.equal(tested.success, false, tested.text);
    assert.match(tested.text, /0 passed \| 1 failed/);
    assert.match(
      tested.text,
      new RegExp(
        `Equation check eq:score-matching-example .*threw: Cannot verify eq:score-matching-example as its check is not written yet: edit checks/${name}\\.checks\\.ts`,
      ),
    );

    // The device-check list has it, and a second run refuses to overwrite anything.
    const list = await Deno.readTextFile(join(tmp, "checks/chapter_checks.ts"));
    assert.ok(list.includes(`"${name}": () => import("./${name}.checks.ts"),`));
    const again = await run(tmp, ["run", "-A", "scripts/new_chapter.ts", "Score matching"]);
    // the second run numbers it one higher, so it writes a new chapter rather than overwrite
    assert.ok(again.success, again.text);
    assert.match(
      again.text,
      new RegExp(`${String(Number(nn) + 1).padStart(2, "0")}-score-matching`),
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("scaffold pieces: slug, number, files and list line", () => {
  assert.equal(slugify("  Élan: the ELBO, 4 ways! "), "elan-the-elbo-4-ways");
  assert.throws(() => slugify("???"), /Cannot make a chapter slug as the title has no letters/);
  assert.equal(nextChapterNumber([]), "01");
  assert.equal(nextChapterNumber(["03-x.md", "10-y.md"]), "11");
  assert.throws(() => nextChapterNumber(["99-z.md"]), /NN must be 01\.\.99: current value is 100/);
  const files = scaffoldFiles("A B", "07");
  assert.deepEqual(Object.keys(files), [
    "chapters/07-a-b.md",
    "checks/07-a-b.checks.ts",
    "tests/equations/07-a-b_test.ts",
  ]);
  assert.match(files["chapters/07-a-b.md"], /^---\ntitle: "A B"\nsummary: .*\nquestion: .*\n---\n/);
  assert.match(files["chapters/07-a-b.md"], /\$\$ \{#eq:a-b-example\}/);
  assert.match(files["chapters/07-a-b.md"], /::island\{name="ForwardChain"/);
  assert.throws(() => addToChapterChecks("no end", "x"), /has no closing/);
});
