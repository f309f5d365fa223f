/**
 * URLs of built assets that pages hand to islands (e.g. the training worker's module), read once
 * from the build's manifest.
 *
 * @module
 */
import { buildDir } from "./paths.ts";

/** Bundles built besides the islands (name -> source file); tfjs lives only in the worker. */
export const BUNDLE_ENTRIES: Readonly<Record<string, string>> = Object.freeze({
  "train-worker": "lib/demo/worker.ts",
});

let entries: Promise<Record<string, string>> | undefined;

/** The build's extra bundle entries (name -> URL); empty when there is no build. */
export function buildEntries(): Promise<Record<string, string>> {
  entries ??= Deno.readTextFile(`${buildDir()}/manifest.json`)
    .then((text) => (JSON.parse(text).entries ?? {}) as Record<string, string>)
    .catch((e) => {
      if (e instanceof Deno.errors.NotFound) return {};
      throw e;
    });
  return entries;
}
