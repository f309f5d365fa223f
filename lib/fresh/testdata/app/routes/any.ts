import type { Context } from "../../../mod.ts";

/** One function for every method. */
export const handler = (ctx: Context): Response => new Response(`method ${ctx.req.method}`);
