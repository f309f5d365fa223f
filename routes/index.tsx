import type { Context, PageProps } from "../lib/fresh/mod.ts";
import { page } from "../lib/fresh/mod.ts";
import type { Chapter } from "../lib/book/mod.ts";
import { getBook, shownChapters } from "../lib/site/book.ts";
import { absoluteUrl, siteConfig, sitePath } from "../lib/site/config.ts";

interface Data {
  chapters: Pick<Chapter, "number" | "slug" | "title" | "summary" | "equations">[];
}

export const handler = {
  async GET(ctx: Context) {
    const book = await getBook();
    ctx.state.title = "A book on diffusion models that runs its own math";
    ctx.state.description = siteConfig().description;
    ctx.state.canonical = absoluteUrl("/", ctx.url);
    return page<Data>({ chapters: shownChapters(book) });
  },
};

/** The home page: what the book is, and its chapters with their summaries. */
export default function Home({ data }: PageProps<Data>) {
  return (
    <main id="content" class="home">
      <section class="hero">
        <h1>Diffusion models, derived and verified</h1>
        <p class="lede">
          From why the reverse step needs a model to classifier-free guidance. Every numbered
          equation is checked numerically by the book’s test suite, and the demos train small
          diffusion models live in your browser.
        </p>
      </section>
      <ol class="chapter-list">
        {data.chapters.map((c) => (
          <li>
            <a href={sitePath(`/chapters/${c.slug}`)}>
              <span class="chapter-number">
                {c.number === 0 ? "Preface" : `Chapter ${c.number}`}
              </span>
              <span class="chapter-title">{c.title}</span>
            </a>
            <p>{c.summary}</p>
            {c.equations.length > 0 && (
              <p class="chapter-meta">{c.equations.length} numbered equations, each verified</p>
            )}
          </li>
        ))}
      </ol>
    </main>
  );
}
