import type { Context, PageProps } from "../../lib/fresh/mod.ts";
import { page } from "../../lib/fresh/mod.ts";
import type { Chapter } from "../../lib/book/mod.ts";
import { getBook, shownChapters } from "../../lib/site/book.ts";
import { buildEntries } from "../../lib/site/assets.ts";
import { katexFontPreloads } from "../../lib/site/katex_preloads.ts";
import { canonicalUrl, siteConfig, sitePath } from "../../lib/site/config.ts";
import { ChapterView } from "../../components/ChapterView.tsx";
import { NotFound } from "../../components/NotFound.tsx";

interface Neighbour {
  slug: string;
  title: string;
}

interface Data {
  chapter?: Chapter;
  prev?: Neighbour;
  next?: Neighbour;
  /** Worker module URLs by bundle entry name (`BUNDLE_ENTRIES`), base path in front. */
  workerUrls?: Record<string, string>;
}

export const handler = {
  async GET(ctx: Context) {
    const book = await getBook();
    // A hidden chapter (site config) is off the lists but still answers, so links into it work.
    const shown = shownChapters(book);
    const chapters = shown.some((c) => c.slug === ctx.params.slug) ? shown : book.chapters;
    const index = chapters.findIndex((c) => c.slug === ctx.params.slug);
    if (index < 0) {
      ctx.state.title = "Chapter not found";
      return page<Data>({}, { status: 404 });
    }
    const chapter = chapters[index];
    const embed = ctx.url.searchParams.get("embed");
    if (embed !== null) { // `?embed=1` (or `?embed=N` for the Nth demo): the embed page
      const n = /^[1-9]\d*$/.test(embed) ? embed : "1";
      return new Response(null, {
        status: 302,
        headers: { location: sitePath(`/embed/${chapter.slug}/${n}`) },
      });
    }
    const link = (c?: Chapter) => c && { slug: c.slug, title: c.title };
    ctx.state.title = chapter.title;
    ctx.state.description = chapter.summary;
    ctx.state.canonical = canonicalUrl(`/chapters/${chapter.slug}`);
    ctx.state.ogType = "article";
    ctx.state.styles = [sitePath("/vendor/katex/katex.min.css")];
    ctx.state.fonts = katexFontPreloads(
      chapter.parts.map((p) => p.kind === "html" ? p.html : "").join(""),
    );
    if (chapter.parts.some((p) => p.kind === "island")) ctx.state.firstDemo = "#demo-1";
    return page<Data>({
      chapter,
      prev: link(chapters[index - 1]),
      next: link(chapters[index + 1]),
      workerUrls: await buildEntries(),
    }, {
      // A built chapter is the same page for every request: it depends on the slug and the site
      // config (siteUrl and basePath), never on the request's Host, so a flood of Hosts costs hits.
      cacheKey: `chapter ${siteConfig().siteUrl}${sitePath("/")} ${chapter.slug}`,
    });
  },
};

/** A chapter: its question, contents, prose with math and demos, and the way on. */
export default function ChapterPage({ data, url }: PageProps<Data>) {
  if (!data.chapter) return <NotFound path={url.pathname} />;
  return (
    <ChapterView
      chapter={data.chapter}
      prev={data.prev}
      next={data.next}
      workerUrls={data.workerUrls}
    />
  );
}
