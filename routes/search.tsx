import type { Context, PageProps } from "../lib/fresh/mod.ts";
import { page } from "../lib/fresh/mod.ts";
import { canonicalUrl, sitePath } from "../lib/site/config.ts";
import Search from "../islands/Search.tsx";

interface Data {
  query: string;
}

export const handler = {
  GET(ctx: Context) {
    ctx.state.title = "Search";
    ctx.state.description = "Search the book's chapter titles, section headings and equations.";
    ctx.state.canonical = canonicalUrl("/search");
    return page<Data>({ query: (ctx.url.searchParams.get("q") ?? "").slice(0, 200) });
  },
};

/**
 * The search page: the one page with the search island, so that every other page keeps its
 * JavaScript to its demos. The header's plain form sends readers here with `?q=`.
 */
export default function SearchPage({ data }: PageProps<Data>) {
  return (
    <main class="search-page">
      <h1>Search</h1>
      <p>Chapter titles, section headings and equation labels (try “Tweedie” or “eq:elbo”).</p>
      <Search
        indexUrl={sitePath("/search-index.json")}
        basePath={sitePath("")}
        query={data.query}
      />
      <noscript>
        <p>
          Search runs in your browser and needs JavaScript; the{" "}
          <a href={sitePath("/")}>
            chapter list
          </a>{" "}
          and each chapter's contents work without it.
        </p>
      </noscript>
    </main>
  );
}
