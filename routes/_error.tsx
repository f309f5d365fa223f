import { sitePath } from "../lib/site/config.ts";

/** A route threw: the error is logged on the server; the reader gets an apology, not a trace. */
export default function ErrorPage() {
  return (
    <main id="content" class="not-found">
      <h1>Something went wrong</h1>
      <p>
        The server could not render this page. The error has been logged. The{" "}
        <a href={sitePath("/")}>list of chapters</a> may still work.
      </p>
    </main>
  );
}
