/**
 * `deno task test [filter...]`: the whole verification in one command. (Not named `test.ts`:
 * deno test would take that name for a test file and run the whole suite inside itself.)
 *
 * 1. builds the site (the browser tests serve the build, and a bad chapter fails here first);
 * 2. runs the unit, equation and doc tests (`deno test --doc`);
 * 3. runs the browser tests: all of them in headless Chromium, and the per-engine suite
 *    (tests/browser/engines_test.ts) in Firefox ESR and WebKitGTK, each engine when it is
 *    installed. A missing engine is skipped with a loud notice naming it, and under `CI=true` it
 *    is a failure;
 * 4. writes the equation verification report `tests/report/verification.json`;
 * 5. ends with one plain line: `N passed, N failed`.
 *
 * Filters: `deno task test chapters/01` runs chapter 1's equation checks (and the coverage test);
 * any other argument is passed to `deno test` as a path.
 *
 * @module
 */
import { planEngines, skippedBanner } from "../tests/browser/engines.ts";

const root = new URL("../", import.meta.url);
const reportDir = new URL("tests/report/", root);

function expandFilters(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    const m = /^chapters\/(\d\d)/.exec(a);
    if (!m) {
      out.push(a);
      continue;
    }
    const matches = [...Deno.readDirSync(new URL("tests/equations/", root))]
      .map((e) => e.name).filter((n) => n.startsWith(`${m[1]}-`) && n.endsWith("_test.ts"));
    if (matches.length === 0) {
      console.error(`No equation checks for ${a}: expected tests/equations/${m[1]}-<slug>_test.ts`);
      Deno.exit(1);
    }
    out.push(...matches.map((n) => `tests/equations/${n}`), "tests/equations/coverage_test.ts");
  }
  return out;
}

interface Counts {
  passed: number;
  failed: number;
  ignored: number;
}

async function denoTest(args: string[], env: Record<string, string> = {}): Promise<Counts> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["test", "--allow-all", ...args],
    cwd: root,
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1", ...env },
  });
  const child = cmd.spawn();
  let tail = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4000);
  }
  const status = await child.status;
  // deno test ends with e.g. "ok | 120 passed (4 steps) | 0 failed | 2 ignored (3s)".
  const clean = tail; // NO_COLOR is set for the child, so the summary has no colour codes
  const m = /(?:ok|FAILED) \| (\d+) passed[^|]*\| (\d+) failed(?:[^|]*\| (\d+) ignored)?/.exec(
    clean,
  );
  if (!m) return { passed: 0, failed: status.success ? 0 : 1, ignored: 0 };
  const counts = { passed: +m[1], failed: +m[2], ignored: +(m[3] ?? 0) };
  if (!status.success && counts.failed === 0) counts.failed = 1; // e.g. a type error
  return counts;
}

async function writeReport(): Promise<number> {
  let text = "";
  try {
    text = await Deno.readTextFile(new URL("verification.jsonl", reportDir));
  } catch {
    return 0;
  }
  const rows = text.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  rows.sort((a, b) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name));
  const report = { generated: new Date().toISOString(), deno: Deno.version.deno, rows };
  await Deno.writeTextFile(
    new URL("verification.json", reportDir),
    JSON.stringify(report, null, 1) + "\n",
  );
  return rows.length;
}

const args = expandFilters(Deno.args);
const filtered = Deno.args.length > 0;
await Deno.remove(reportDir, { recursive: true }).catch(() => {});
await Deno.mkdir(reportDir, { recursive: true });

const build = await new Deno.Command(Deno.execPath(), {
  args: ["task", "build"],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!build.success) {
  console.error("The build failed (see above), so the tests were not run.");
  console.log("0 passed, 1 failed");
  Deno.exit(1);
}

const total: Counts = { passed: 0, failed: 0, ignored: 0 };
const add = (c: Counts) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.ignored += c.ignored;
};

add(
  await denoTest(
    filtered ? args : ["--doc", "--parallel", "--ignore=tests/browser/,_build/", "."],
  ),
);

const runBrowser = !filtered || args.some((a) => a.startsWith("tests/browser"));
if (runBrowser) {
  // Chromium runs every browser test; Firefox and WebKit run tests/browser/engines_test.ts.
  const plan = planEngines();
  const others = plan.found.filter((e) => e.name !== "chromium").map((e) => e.name).join(",");
  const chromium = plan.found.find((e) => e.name === "chromium");
  const browserArgs = filtered ? args : ["tests/browser/"];
  if (chromium) {
    add(await denoTest(browserArgs, { CHROMIUM_PATH: chromium.paths.browser, ENGINES: others }));
  } else if (others && (!filtered || args.some((a) => a.includes("engines_test")))) {
    add(await denoTest(["tests/browser/engines_test.ts"], { ENGINES: others }));
  }
  if (plan.missing.length > 0) {
    console.log(skippedBanner(plan.missing));
    if (Deno.env.get("CI") === "true") {
      console.error("Under CI=true a missing browser engine is a failure, not a skip.");
      total.failed += plan.missing.length;
    }
  }
}

const checks = await writeReport();
if (checks > 0) console.log(`Equation report: ${checks} checks -> tests/report/verification.json`);
console.log(
  `${total.passed} passed, ${total.failed} failed` +
    (total.ignored ? `, ${total.ignored} skipped` : ""),
);
Deno.exit(total.failed > 0 ? 1 : 0);
