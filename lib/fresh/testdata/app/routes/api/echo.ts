import type { Context } from "../../../../mod.ts";

/** GET and POST only: other methods get 405. */
export const handler = {
  GET(ctx: Context): Response {
    return Response.json({ q: ctx.url.searchParams.get("q") });
  },
  async POST(ctx: Context): Promise<Response> {
    return new Response(`posted ${await ctx.req.text()}`);
  },
};
