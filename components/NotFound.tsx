import { sitePath } from "../lib/site/config.ts";

/**
 * The body of a 404 page: says what was asked for (when known: a static export's `404.html` answers
 * every missing path) and where to go instead.
 */
export function NotFound({ path }: { path?: string }) {
  return (
    <main id="content" class="not-found">
      <h1>Page not found</h1>
      <p>
        {path === undefined ? "There is no page at this address." : (
          <>
            There is no page at <code>{path}</code>.
          </>
        )} The <a href={sitePath("/")}>list of chapters</a> has everything the book holds.
      </p>
    </main>
  );
}
