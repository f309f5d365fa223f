import { useEffect, useRef, useState } from "preact/hooks";
import type MiniSearch from "minisearch";
import {
  loadSearchIndex,
  runSearch,
  type SearchDoc,
  type SearchHit,
} from "../lib/book/search_query.ts";

interface Props {
  /** URL of the build's `search-index.json`. */
  indexUrl?: string;
  /** The site's base path, put before each result's link (e.g. `/course/diffusion`). */
  basePath?: string;
  /** The query the page was opened with (`/search?q=...`, sent by the header's plain form). */
  query?: string;
}

/**
 * Search over the whole text of the book (sections, exercises, the words around each equation),
 * in the browser, on the search page only (so other pages ship no JavaScript for it). The index
 * (MiniSearch, built by the build) is fetched when the reader focuses the box or arrives with a
 * query. Each result names its chapter and section and shows the sentence that matched.
 */
export default function Search(props: Props) {
  const [query, setQuery] = useState(props.query ?? "");
  const [index, setIndex] = useState<MiniSearch<SearchDoc> | undefined>();
  const [error, setError] = useState("");
  const loading = useRef<Promise<void> | undefined>(undefined);

  const load = () => {
    loading.current ??= fetch(props.indexUrl ?? "/search-index.json")
      .then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.text();
      })
      .then((json) => setIndex(loadSearchIndex(json)))
      .catch((e) => setError(`Cannot load the search index: ${e.message}`));
  };
  useEffect(() => {
    // A static host cannot put `?q=` into the props, so read it from the address as well.
    const q = props.query || new URLSearchParams(location.search).get("q") || "";
    if (q.trim() !== "") {
      setQuery(q);
      load();
    }
  }, []);
  useEffect(() => {
    // the header's box shows the query too (the server fills it; a static page cannot)
    const header = document.querySelector<HTMLInputElement>(".header-search input[name=q]");
    if (header && header.value !== query) header.value = query;
  }, [query]);
  const hits: SearchHit[] = index && query.trim() ? runSearch(index, query) : [];

  return (
    <div class="site-search" role="search">
      <input
        type="search"
        placeholder="Search the text: words, sections, equations"
        aria-label="Search the book"
        name="q"
        value={query}
        onFocus={load}
        onInput={(e) => {
          load();
          setQuery((e.target as HTMLInputElement).value);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape") setQuery("");
        }}
      />
      {error && <p class="search-error">{error}</p>}
      {query.trim() !== "" && index && (
        <>
          <p class="search-count" role="status">
            {hits.length === 0
              ? "No match."
              : `${hits.length}${hits.length === 20 ? "+" : ""} result${
                hits.length === 1 ? "" : "s"
              }`}
          </p>
          <ol class="search-results" data-testid="search-results">
            {hits.map((h) => (
              <li key={h.href}>
                <a href={(props.basePath ?? "") + h.href}>{h.title}</a>
                <span class="search-chapter">{h.chapter}</span>
                <p class="search-snippet">
                  {h.snippet.map((r, i) => r.mark ? <mark key={i}>{r.text}</mark> : r.text)}
                </p>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
