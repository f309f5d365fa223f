/**
 * `build()`: bundles the client boot module, one entry per island and any extra entries with the
 * built-in `deno bundle` (browser platform, ESM, code splitting so that boot and islands share one
 * Preact), into `<outDir>/static/_frsh/js/<buildId>/`, and writes `<outDir>/manifest.json`. The
 * build id is a short SHA-256 of every output, so the URLs can be cached forever. Bundling happens
 * here, at build time, never per request (Fresh #1062).
 *
 * @module
 */
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { findIslands, resolveIn, rootPath } from "./project.ts";

/** What a build wrote: URLs (from the site root) of everything the server and pages need. */
export interface BuildManifest {
  /** Content hash of all outputs. */
  buildId: string;
  /** URL of the client boot module. */
  boot: string;
  /** Island name -> URL of its module. */
  islands: Record<string, string>;
  /** Extra entry name -> URL. */
  entries: Record<string, string>;
  /** Every URL written under the build folder. */
  files: string[];
}

/** Options of {@linkcode build}. */
export interface BuildOptions {
  /** Project root holding `islands/` (and `deno.json`). */
  root: string | URL;
  /** Output folder, relative to `root` unless absolute; default `_build`. */
  outDir?: string;
  /** Minify (default true). */
  minify?: boolean;
  /** Extra bundle entries (e.g. a Web Worker): name -> file relative to root. */
  entries?: Record<string, string>;
}

/** The URL folder of built scripts; files below it are served as immutable. */
export const JS_URL_PREFIX = "/_frsh/js";
const BOOT_MODULE = new URL("./client/boot.ts", import.meta.url);
const ENTRY_NAME = /^[A-Za-z0-9_][\w-]*$/;

async function filesUnder(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(join(dir, rel))) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...await filesUnder(dir, path));
    else if (e.isFile) out.push(path);
  }
  return out.sort();
}

async function shortHash(dir: string, files: string[]): Promise<string> {
  const parts: Uint8Array[] = [];
  for (const f of files) {
    parts.push(new TextEncoder().encode(`${f}\0`), await Deno.readFile(join(dir, f)));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function configArgs(root: string): Promise<string[]> {
  for (const name of ["deno.json", "deno.jsonc"]) {
    try {
      await Deno.stat(join(root, name));
      return ["--config", join(root, name)];
    } catch { /* not here: deno finds the config from the working folder */ }
  }
  return [];
}

/**
 * Bundles the project's islands, the boot module and `entries`.
 *
 * @param opts Root, output folder, minification, extra entries.
 * @returns The manifest (also written to `<outDir>/manifest.json`).
 * @throws Error when `deno bundle` fails (with its output), or for a bad entry name.
 */
export async function build(opts: BuildOptions): Promise<BuildManifest> {
  const root = rootPath(opts.root);
  const outDir = resolveIn(root, opts.outDir ?? "_build");
  const islands = await findIslands(root);
  const wrappers: Record<string, string> = {
    boot: `import ${JSON.stringify(BOOT_MODULE.href)};\n`,
  };
  for (const { name, file } of islands) {
    wrappers[`island-${name}`] = `export { default } from ${
      JSON.stringify(pathToFileURL(file).href)
    };\n`;
  }
  for (const [name, file] of Object.entries(opts.entries ?? {})) {
    if (!ENTRY_NAME.test(name) || name in wrappers || /^(island|chunk)-/.test(name)) {
      throw new Error(`Cannot bundle entry ${name} as its name is taken or not a plain file name`);
    }
    const url = JSON.stringify(pathToFileURL(resolveIn(root, file)).href);
    wrappers[name] = `export * from ${url};\n`;
  }
  await Deno.mkdir(outDir, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: outDir, prefix: ".bundle-" });
  try {
    const sources = Object.entries(wrappers).map(([name, text]) => [join(tmp, `${name}.ts`), text]);
    for (const [path, text] of sources) await Deno.writeTextFile(path, text);
    const args = ["bundle", "--platform", "browser", "--format", "esm", "--code-splitting"];
    if (opts.minify ?? true) args.push("--minify");
    args.push(...await configArgs(root), "--outdir", join(tmp, "out"), ...sources.map((s) => s[0]));
    const result = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: root,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!result.success) {
      const log = new TextDecoder().decode(result.stderr) + new TextDecoder().decode(result.stdout);
      throw new Error(`Cannot bundle islands as deno bundle exited with ${result.code}:\n${log}`);
    }
    const built = join(tmp, "out");
    const files = await filesUnder(built);
    const buildId = await shortHash(built, files);
    const jsDir = join(outDir, "static", ...JS_URL_PREFIX.split("/").filter(Boolean));
    await Deno.remove(jsDir, { recursive: true }).catch(() => {}); // older builds
    for (const f of files) {
      const target = join(jsDir, buildId, f);
      await Deno.mkdir(dirname(target), { recursive: true });
      await Deno.copyFile(join(built, f), target);
    }
    const url = (f: string) => `${JS_URL_PREFIX}/${buildId}/${f}`;
    const manifest: BuildManifest = {
      buildId,
      boot: url("boot.js"),
      islands: Object.fromEntries(islands.map(({ name }) => [name, url(`island-${name}.js`)])),
      entries: Object.fromEntries(Object.keys(opts.entries ?? {}).map((n) => [n, url(`${n}.js`)])),
      files: files.map(url),
    };
    for (
      const u of [
        manifest.boot,
        ...Object.values(manifest.islands),
        ...Object.values(manifest.entries),
      ]
    ) {
      if (!manifest.files.includes(u)) {
        throw new Error(`Cannot write the manifest as deno bundle did not write ${u}: ${files}`);
      }
    }
    await Deno.writeTextFile(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2));
    return manifest;
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

/** `path` relative to `root` when inside it, for messages. */
export function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel.startsWith("..") || rel === "" ? path : rel;
}
