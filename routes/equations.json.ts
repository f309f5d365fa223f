import { getBook } from "../lib/site/book.ts";

/** The machine-readable list of every labelled equation: chapter, label, number, LaTeX source. */
export const handler = {
  async GET(): Promise<Response> {
    const { equations } = await getBook();
    return Response.json(equations, { headers: { "cache-control": "no-cache" } });
  },
};
