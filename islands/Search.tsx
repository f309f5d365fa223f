import { useEffect, useRef, useState } from "preact/hooks";
import { searchEntries, type SearchEntry } from "../lib/book/search_index.ts";

interface Props {
  /** URL of the build's `search-index.json`. */
  indexUrl?: string;
  /** The site's base path, put before each result's link (e.g. `/course/diffusion`). */
  basePath?: string;
  /** The query the page was opened with (`/search?q=...`, sent by the header's plain form). */
  query?: string;
}

/**
 * Search across chapter titles, section headings and equation labels, in the browser, on the
 * search page only (so other pages ship no JavaScript for it). The index (a small JSON file written
 * by the build) is fetched when the reader focuses the box or arrives with a query.
 */
export default function Search(props: Props) {
  const [query, setQuery] = useState(props.query ?? "");
  const [index, setIndex] = useState<SearchEntry[] | undefined>();
  const [error, setError] = useState("");
  const loading = useRef<Promise<void> | undefined>(undefined);

  const load = () => {
    loading.current ??= fetch(props.indexUrl ?? "/search-index.json")
      .then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.json() as Promise<SearchEntry[]>;
      })
      .then(setIndex)
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
  const hits = index && query.trim() ? searchEntries(index, query) : [];

  return (
    <div class="site-search" role="search">
      <input
        type="search"
        placeholder="Search titles, headings, eq: labels"
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
        <ol data-testid="search-results">
          {hits.length === 0 && <li class="in">No match.</li>}
          {hits.map((h) => (
            <li key={h.href}>
              <a href={(props.basePath ?? "") + h.href}>
                <span class="kind">{h.kind}</span> {h.text}
                {h.kind !== "chapter" && <span class="in">— {h.chapter}</span>}
              </a>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
