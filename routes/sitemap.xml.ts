import type { Context } from "../lib/fresh/mod.ts";
import { getBook, shownChapters } from "../lib/site/book.ts";
import { absoluteUrl } from "../lib/site/config.ts";

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `sitemap.xml`: the home page and every shown chapter, with absolute URLs (the site config's
 * `siteUrl`, else the request's origin). A static export without `siteUrl` has no sitemap: 404.
 */
export const handler = {
  async GET(ctx: Context): Promise<Response> {
    const paths = ["/", ...shownChapters(await getBook()).map((c) => `/chapters/${c.slug}`)];
    const urls = paths.map((p) => absoluteUrl(p, ctx.url));
    if (urls.some((u) => u === undefined)) {
      return new Response("No sitemap: set siteUrl in site.config.json (or SITE_URL)", {
        status: 404,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    const body = '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
      urls.map((u) => `  <url><loc>${escapeXml(u!)}</loc></url>\n`).join("") +
      "</urlset>\n";
    return new Response(body, {
      headers: { "content-type": "application/xml; charset=utf-8", "cache-control": "no-cache" },
    });
  },
};
