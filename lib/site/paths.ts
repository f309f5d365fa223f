/**
 * Where the site's files are: the project root and the build folder. One place, so routes, the build
 * and the tests agree.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The project root (the folder holding deno.json). */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/** The build folder, `_build` unless `BUILD_DIR` says otherwise. */
export function buildDir(): string {
  const fromEnv = Deno.env.get("BUILD_DIR");
  return fromEnv ? (fromEnv.startsWith("/") ? fromEnv : `${ROOT}/${fromEnv}`) : `${ROOT}/_build`;
}
