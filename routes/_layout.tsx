import type { PageProps } from "../lib/fresh/mod.ts";
import { siteConfig, sitePath } from "../lib/site/config.ts";
import type { PageState } from "./_app.tsx";

/** Site header and footer around every page (not around an embedded demo). */
export default function Layout({ Component, state, url }: PageProps) {
  if ((state as PageState).embed) return <Component />;
  const { chapters } = siteConfig();
  // on the search page the box keeps the query it sent
  const query = url.pathname === sitePath("/search") ? url.searchParams.get("q") ?? "" : "";
  return (
    <>
      <header class="site-header">
        <a class="site-title" href={sitePath("/")}>{siteConfig().title}</a>
        <nav aria-label="Site">
          <a href={sitePath("/")}>Chapters</a>
          {(chapters === "all" || chapters.includes("notation")) && (
            <a href={sitePath("/chapters/notation")}>Notation</a>
          )}
        </nav>
        {/* A plain form: no JavaScript on the page; the search page does the searching. */}
        <form class="header-search" role="search" action={sitePath("/search")} method="get">
          <input
            type="search"
            name="q"
            placeholder="Search the book"
            aria-label="Search the book"
            value={query.slice(0, 200)}
          />
          <button type="submit">Search</button>
        </form>
      </header>
      <Component />
      <footer class="site-footer">
        <p>
          Every numbered equation in this book is checked numerically by its test suite. The demos
          train small models in your browser.
        </p>
      </footer>
    </>
  );
}
