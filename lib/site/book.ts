/**
 * The book as the site serves it. In production the chapters were rendered by `deno task build`
 * into `_build/book.json`, so the server needs neither KaTeX nor shiki at run time (and Deno Deploy
 * does no work per request beyond Preact). Without a build (dev, tests), chapters are rendered on
 * first use and cached.
 *
 * @module
 */
import type { Book, Chapter } from "../book/mod.ts";
import { demos } from "../../components/demos.ts";
import { buildDir, ROOT } from "./paths.ts";

let cached: Promise<Book> | undefined;

/** Options for rendering the book from its Markdown sources. */
export function bookOptions(basePath = "") {
  return { chaptersDir: `${ROOT}/chapters`, root: ROOT, islands: demos, basePath };
}

/** Renders every chapter from Markdown (KaTeX, shiki): used by the build and in dev. */
export async function renderBook(basePath = ""): Promise<Book> {
  const { loadBook } = await import("../book/mod.ts");
  return await loadBook(bookOptions(basePath));
}

/** The book: from the build's `book.json` when there is one, else rendered now. Cached. */
export function getBook(): Promise<Book> {
  cached ??= (async () => {
    const dev = Deno.env.get("DEV") === "1";
    if (!dev) {
      try {
        return JSON.parse(await Deno.readTextFile(`${buildDir()}/book.json`)) as Book;
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    return await renderBook();
  })();
  return cached;
}

/** Forgets the cached book (dev reload, tests). */
export function resetBookCache(): void {
  cached = undefined;
}

/** The chapter with this slug, or undefined. */
export async function findChapter(slug: string): Promise<Chapter | undefined> {
  return (await getBook()).chapters.find((c) => c.slug === slug);
}
