/**
 * What Deno Deploy runs: deno.json's `deploy` block builds with `deno task build` and runs
 * `main.ts`; `main.ts` serves the build with no permission to write files or run programs (so it
 * cannot bundle or render at run time), fails at start-up with a clear message when the build is
 * missing, and uses only `Deno.*` APIs that Deno 2.5 has. Needs a build (`BUILD_DIR` or `_build`).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { buildDir, ROOT } from "../../lib/site/paths.ts";

/** `Deno.*` names that Deno 2.5 has (all are older than 2.0). Add one only after checking. */
const DENO_2_5_APIS = new Set([
  "args",
  "build",
  "Command",
  "Conn",
  "connect",
  "copyFile",
  "cwd",
  "env",
  "errors",
  "execPath",
  "exit",
  "listen",
  "makeTempDir",
  "mkdir",
  "NetAddr",
  "readDir",
  "readFile",
  "readTextFile",
  "readTextFileSync",
  "realPath",
  "remove",
  "serve",
  "stat",
  "writeTextFile",
]);

Deno.test("deno.json's deploy block builds with the build task and runs main.ts", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  assert.equal(config.deploy?.build, "deno task build");
  assert.equal(config.deploy?.runtime?.mode, "dynamic");
  assert.equal(config.deploy?.runtime?.entrypoint, "main.ts");
  assert.ok(config.tasks.build, "no build task");
});

Deno.test("the server's modules use only Deno APIs that Deno 2.5 has", async () => {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(info.success, new TextDecoder().decode(info.stderr));
  const graph = JSON.parse(new TextDecoder().decode(info.stdout));
  const files: string[] = graph.modules
    .map((m: { specifier: string }) => m.specifier)
    .filter((s: string) => s.startsWith("file://"))
    .map((s: string) => fileURLToPath(s));
  // Route and island modules are imported by the app at start-up, not by main.ts statically.
  for (const dir of ["routes", "islands"]) {
    for await (const f of walk(`${ROOT}/${dir}`)) files.push(f);
  }
  assert.ok(files.some((f) => f.endsWith("/lib/fresh/app.ts")), "the graph misses the app");
  const unknown: string[] = [];
  for (const file of new Set(files)) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/\bDeno\.([A-Za-z]+)/g)) {
      if (!DENO_2_5_APIS.has(m[1])) unknown.push(`${file.slice(ROOT.length + 1)}: Deno.${m[1]}`);
    }
  }
  assert.deepEqual(unknown, [], "APIs not on the Deno 2.5 list (check and add them, or avoid)");
});

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(path);
    else if (/\.(ts|tsx)$/.test(e.name) && !/_test\.tsx?$/.test(e.name)) yield path;
  }
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = l.addr as Deno.NetAddr;
  l.close();
  return port;
}

/** Starts main.ts with read, net and env permissions only. */
function startMain(env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", "main.ts"],
    cwd: ROOT,
    env: { ...env, HOST: "127.0.0.1", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test({
  name: "main.ts serves the build without write or run permission",
  sanitizeResources: false,
  async fn() {
    const port = freePort();
    const child = startMain({ PORT: String(port), BUILD_DIR: buildDir() });
    try {
      const base = `http://127.0.0.1:${port}`;
      let home: Response | undefined;
      for (let i = 0; i < 1800 && !home; i++) { // start-up imports every route: allow 3 minutes
        home = await fetch(base).catch(() => undefined);
        if (!home) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(home, "main.ts did not start");
      const html = await home.text();
      assert.equal(home.status, 200);
      const chapter = /href="(\/chapters\/[a-z0-9-]+)"/.exec(html)?.[1];
      assert.ok(chapter, html);
      for (const path of [chapter, "/robots.txt", "/sitemap.xml", "/equations.json"]) {
        const res = await fetch(base + path);
        await res.body?.cancel();
        assert.equal(res.status, 200, path);
      }
    } finally {
      child.kill();
      await child.output();
    }
  },
});

Deno.test("main.ts without a build stops at start-up and says to run deno task build", async () => {
  const empty = await Deno.makeTempDir();
  try {
    const child = startMain({ PORT: String(freePort()), BUILD_DIR: empty });
    const out = await child.output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.success, false);
    assert.match(stderr, /run `deno task build`/);
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});
