import { sitePath } from "../lib/site/config.ts";

/** `/notation` is a short name for the notation chapter. */
export const handler = {
  GET(): Response {
    return new Response(null, {
      status: 301,
      headers: { location: sitePath("/chapters/notation") },
    });
  },
};
