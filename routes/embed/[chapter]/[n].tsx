import type { Context, PageProps } from "../../../lib/fresh/mod.ts";
import { allowFraming, page } from "../../../lib/fresh/mod.ts";
import type { ChapterPart } from "../../../lib/book/mod.ts";
import { findChapter } from "../../../lib/site/book.ts";
import { buildEntries } from "../../../lib/site/assets.ts";
import { siteConfig, sitePath } from "../../../lib/site/config.ts";
import { DemoFigure } from "../../../components/DemoFigure.tsx";
import { NotFound } from "../../../components/NotFound.tsx";

interface Data {
  slug?: string;
  /** The chapter's title, for the page's heading. */
  title?: string;
  part?: Extract<ChapterPart, { kind: "island" }>;
  n?: number;
  workerUrls?: Record<string, string>;
}

/**
 * `/embed/<chapter>/<n>`: the chapter's nth demo alone (no site header, footer or prose), for a
 * course page to show in an iframe. Only these pages may be framed, by the sources in the site
 * config's `embed.frameAncestors`; they are kept out of search engines.
 */
export const handler = {
  async GET(ctx: Context) {
    const chapter = await findChapter(ctx.params.chapter);
    const n = /^[1-9]\d{0,3}$/.test(ctx.params.n) ? Number(ctx.params.n) : 0;
    const islands = chapter?.parts.filter((p) => p.kind === "island") ?? [];
    const part = islands[n - 1];
    if (!chapter || !part || part.kind !== "island") {
      ctx.state.title = "Demo not found";
      return page<Data>({}, { status: 404 });
    }
    ctx.state.title = `${part.name} (${chapter.title})`;
    ctx.state.description = chapter.summary;
    ctx.state.embed = true;
    ctx.state.noindex = true;
    // as on the chapter: demos may show math, and charts put their stylesheet next to KaTeX's
    ctx.state.styles = [sitePath("/vendor/katex/katex.min.css")];
    return page<Data>(
      { slug: chapter.slug, title: chapter.title, part, n, workerUrls: await buildEntries() },
      { headers: allowFraming(siteConfig().embedFrameAncestors) },
    );
  },
};

/** The embedded demo. */
export default function EmbedPage({ data, url }: PageProps<Data>) {
  if (!data.part || !data.slug || !data.n) return <NotFound path={url.pathname} />;
  return (
    <main id="content" class="embed-demo">
      {/* a heading for screen readers; the frame's page around it shows its own */}
      <h1 class="visually-hidden">Demo {data.n} of “{data.title}”</h1>
      <DemoFigure
        part={data.part}
        n={data.n}
        chapterSlug={data.slug}
        workerUrls={data.workerUrls}
        embedded
      />
    </main>
  );
}
