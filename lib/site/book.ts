/**
 * The book as the site serves it. `deno task build` renders the chapters into `_build/book.json`
 * (with the site's base path in every link) and notes that base path in `_build/site.json`; the
 * server only reads those files, so it needs neither KaTeX nor shiki at run time, writes nothing and
 * renders nothing per request (Deno Deploy). Only `deno task dev` (`DEV=1`) renders chapters on
 * first use. The site config decides which chapters are shown.
 *
 * @module
 */
import type { Book, Chapter } from "../book/mod.ts";
import { demos } from "./demos.ts";
import { siteConfig } from "./config.ts";
import { buildDir, ROOT } from "./paths.ts";

let cached: Promise<Book> | undefined;

/** What the build records about itself next to `book.json`. */
export interface BuildInfo {
  /** The base path the chapters' links were rendered with. */
  basePath: string;
}

/**
 * Options for rendering the book from its Markdown sources. The figures (Observable Plot, the
 * engine) are loaded here, on first render, so that serving a built book never imports them.
 */
export async function bookOptions(basePath: string = siteConfig().basePath) {
  const { figures } = await import("../figures/mod.ts");
  return { chaptersDir: `${ROOT}/chapters`, root: ROOT, islands: demos, figures, basePath };
}

/** Renders every chapter from Markdown (KaTeX, shiki): used by the build and in dev. */
export async function renderBook(basePath: string = siteConfig().basePath): Promise<Book> {
  const { loadBook } = await import("../book/mod.ts");
  return await loadBook(await bookOptions(basePath));
}

async function readBuild(dir: string): Promise<Book> {
  let text: string;
  let info: BuildInfo;
  try {
    text = await Deno.readTextFile(`${dir}/book.json`);
    info = JSON.parse(await Deno.readTextFile(`${dir}/site.json`));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new Error(
      `Cannot serve the book as the build folder ${dir} has no book.json or site.json: run ` +
        "`deno task build` first (Deno Deploy runs it as the build step; `deno task dev` renders " +
        "chapters on demand)",
    );
  }
  const { basePath } = siteConfig();
  if (info.basePath !== basePath) {
    throw new Error(
      `Cannot serve the book under the base path "${basePath}" as ${dir}/book.json was built ` +
        `for "${info.basePath}": run \`deno task build\` with the same BASE_PATH / site config`,
    );
  }
  return JSON.parse(text) as Book;
}

/** The book: from the build (`DEV=1`: rendered now). Cached. */
export function getBook(): Promise<Book> {
  cached ??= Deno.env.get("DEV") === "1" ? renderBook() : readBuild(buildDir());
  return cached;
}

/**
 * The chapters the site config shows (on the home page, in the chapter navigation and the
 * sitemap), in book order. The others are unlisted, not removed: links into them keep working.
 *
 * @throws Error when the config names a slug no chapter has.
 */
export function shownChapters(book: Book): Chapter[] {
  const { chapters } = siteConfig();
  if (chapters === "all") return book.chapters;
  const known = new Set(book.chapters.map((c) => c.slug));
  const unknown = chapters.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new Error(
      `Cannot show chapters ${unknown.join(", ")} as no chapter has that slug (site config ` +
        `"chapters"; known: ${[...known].join(", ")})`,
    );
  }
  return book.chapters.filter((c) => chapters.includes(c.slug));
}

/** Forgets the cached book (dev reload, tests). */
export function resetBookCache(): void {
  cached = undefined;
}

/** The chapter with this slug (shown or not: hidden ones are only unlisted), or undefined. */
export async function findChapter(slug: string): Promise<Chapter | undefined> {
  return (await getBook()).chapters.find((c) => c.slug === slug);
}
