import type { Context, PageProps } from "../lib/fresh/mod.ts";
import { page } from "../lib/fresh/mod.ts";
import { canonicalUrl, sitePath } from "../lib/site/config.ts";
import { getBook, shownChapters } from "../lib/site/book.ts";
import Search from "../islands/Search.tsx";

interface Section {
  id: string;
  text: string;
}
interface Data {
  query: string;
  chapters: { slug: string; name: string; sections: Section[] }[];
}

export const handler = {
  async GET(ctx: Context) {
    ctx.state.title = "Search";
    ctx.state.description = "Search the whole text of the book: sections, exercises, equations.";
    ctx.state.canonical = canonicalUrl("/search");
    const chapters = shownChapters(await getBook()).map((c) => ({
      slug: c.slug,
      name: c.number > 0 ? `${c.number}. ${c.title}` : c.title,
      sections: c.toc.filter((h) => h.depth === 2).map((h) => ({ id: h.id, text: h.text })),
    }));
    return page<Data>({ query: (ctx.url.searchParams.get("q") ?? "").slice(0, 200), chapters });
  },
};

/**
 * The search page: the one page with the search island, so that every other page keeps its
 * JavaScript to its demos. The header's plain form sends readers here with `?q=`. Below the
 * island, the server lists every chapter and its sections: without JavaScript that is the way in.
 */
export default function SearchPage({ data }: PageProps<Data>) {
  return (
    <main id="content" class="search-page">
      <h1>Search</h1>
      <p>
        The whole text: sections, exercises and the words around each equation (try “swiss roll”,
        “Tweedie” or “label dropout”).
      </p>
      <Search
        indexUrl={sitePath("/search-index.json")}
        basePath={sitePath("")}
        query={data.query}
      />
      <noscript>
        <p>
          Searching runs in your browser and needs JavaScript; every chapter and section is listed
          below.
        </p>
      </noscript>
      <nav class="search-browse" aria-label="All sections">
        <h2>All chapters and sections</h2>
        <ol>
          {data.chapters.map((c) => (
            <li key={c.slug}>
              <a href={sitePath(`/chapters/${c.slug}`)}>{c.name}</a>
              {c.sections.length > 0 && (
                <ul>
                  {c.sections.map((s) => (
                    <li key={s.id}>
                      <a href={sitePath(`/chapters/${c.slug}#${s.id}`)}>{s.text}</a>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      </nav>
    </main>
  );
}
