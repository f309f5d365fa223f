/**
 * URLs of built assets that pages hand to islands (e.g. the training worker's module), read once
 * from the build's manifest.
 *
 * @module
 */
import { sitePath } from "./config.ts";
import { buildDir } from "./paths.ts";

/** Bundles built besides the islands (name -> source file); tfjs lives only in the worker. */
export const BUNDLE_ENTRIES: Readonly<Record<string, string>> = Object.freeze({
  "train-worker": "lib/demo/worker.ts",
  "equation-checks-worker": "checks/device_worker.ts",
});

let entries: Promise<Record<string, string>> | undefined;

/** The build's extra bundle entries (name -> URL, base path in front); empty without a build. */
export function buildEntries(): Promise<Record<string, string>> {
  entries ??= Deno.readTextFile(`${buildDir()}/manifest.json`)
    .then((text) => (JSON.parse(text).entries ?? {}) as Record<string, string>)
    .then((urls) =>
      Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, sitePath(url)]))
    )
    .catch((e) => {
      if (e instanceof Deno.errors.NotFound) return {};
      throw e;
    });
  return entries;
}
