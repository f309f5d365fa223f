/** The body of a 404 page: says what was asked for and where to go instead. */
export function NotFound({ path }: { path: string }) {
  return (
    <main class="not-found">
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{path}</code>. The <a href="/">list of chapters</a>{" "}
        has everything the book holds.
      </p>
    </main>
  );
}
