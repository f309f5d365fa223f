import type { Context } from "../lib/fresh/mod.ts";
import { absoluteUrl, sitePath } from "../lib/site/config.ts";

/**
 * `robots.txt`: everything may be crawled except the embed pages (they repeat a chapter's demo),
 * and where the sitemap is when the site's URL is known. Crawlers read it only at a host's root.
 */
export const handler = {
  GET(ctx: Context): Response {
    const sitemap = absoluteUrl("/sitemap.xml", ctx.url);
    const body = `User-agent: *\nDisallow: ${sitePath("/embed/")}\n` +
      (sitemap ? `\nSitemap: ${sitemap}\n` : "");
    return new Response(body, {
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache" },
    });
  },
};
