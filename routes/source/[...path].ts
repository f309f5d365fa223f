import type { Context } from "../../lib/fresh/mod.ts";
import { ROOT } from "../../lib/site/paths.ts";

/** Files the chapters may quote and link to (`::code{src=...}` captions): the engine's sources. */
export const SOURCE_FILE = /^engine\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\.ts$/;

/**
 * `/source/engine/<file>.ts`: the engine's source as plain text, so a code excerpt's caption links
 * to the whole file. Reads the file as deployed (nothing is written); anything else is a 404.
 */
export const handler = {
  async GET(ctx: Context): Promise<Response> {
    const path = ctx.params.path;
    const notFound = () =>
      new Response("Not Found", {
        status: 404,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    if (!SOURCE_FILE.test(path) || path.endsWith("_test.ts")) return notFound();
    try {
      const text = await Deno.readTextFile(`${ROOT}/${path}`);
      return new Response(text, {
        headers: {
          "content-type": "text/plain; charset=utf-8",
          "x-content-type-options": "nosniff",
          "cache-control": "no-cache",
        },
      });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return notFound();
      throw e;
    }
  },
};
