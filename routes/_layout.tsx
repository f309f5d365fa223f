import type { PageProps } from "../lib/fresh/mod.ts";

/** Site header and footer around every page. */
export default function Layout({ Component }: PageProps) {
  return (
    <>
      <header class="site-header">
        <a class="site-title" href="/">Diffusion, verified</a>
        <nav aria-label="Site">
          <a href="/">Chapters</a>
          <a href="/chapters/notation">Notation</a>
        </nav>
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
