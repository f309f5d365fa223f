/**
 * Where a project's parts are: its root as a path, folders relative to it, and the island files
 * (every module in `islands/`, named after its file).
 *
 * @module
 */
import { basename, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isModuleFile } from "./router.ts";

/**
 * The project root as an absolute path, from a path, a `file:` URL or its text.
 *
 * @example
 * ```ts
 * import { rootPath } from "./project.ts";
 * if (rootPath(new URL("file:///srv/site/")) !== "/srv/site") throw new Error();
 * ```
 */
export function rootPath(root: string | URL): string {
  const path = root instanceof URL || root.startsWith("file:") ? fileURLToPath(root) : root;
  return resolve(path);
}

/** `path` if absolute, else resolved against `root`. */
export function resolveIn(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}

/** An island module: its name (file name without extension) and absolute path. */
export interface IslandFile {
  name: string;
  file: string;
}

const ISLAND_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Lists the islands of a project: every module file under `<root>/islands/` (an absent folder has
 * none), sorted by name.
 *
 * @param root Absolute project root.
 * @returns The islands.
 * @throws Error for a name that is not an identifier, or two files with one name.
 */
export async function findIslands(root: string): Promise<IslandFile[]> {
  const dir = join(root, "islands");
  const found: IslandFile[] = [];
  const walk = async (folder: string) => {
    for await (const e of Deno.readDir(folder)) {
      const path = join(folder, e.name);
      if (e.isDirectory && !e.name.startsWith(".")) await walk(path);
      else if (e.isFile && isModuleFile(e.name)) {
        found.push({ name: basename(e.name).replace(/\.(tsx|jsx|ts|js)$/, ""), file: path });
      }
    }
  };
  try {
    await walk(dir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  found.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (let i = 0; i < found.length; i++) {
    const { name, file } = found[i];
    if (!ISLAND_NAME.test(name)) {
      throw new Error(`Cannot register island ${file} as its name must be an identifier: ${name}`);
    }
    if (found[i + 1]?.name === name) {
      throw new Error(`Cannot register island ${name} twice: ${file} and ${found[i + 1].file}`);
    }
  }
  return found;
}
