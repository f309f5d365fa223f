import type { Chapter, ChapterPart } from "../lib/book/mod.ts";
import { addBadges } from "../lib/book/badges.ts";
import { sitePath } from "../lib/site/config.ts";
import { DemoFigure } from "./DemoFigure.tsx";
import CheckOnDevice from "../islands/CheckOnDevice.tsx";

interface Neighbour {
  slug: string;
  title: string;
}

/** A whole chapter: header, question, contents, body, and links to its neighbours. */
export function ChapterView(
  { chapter, prev, next, workerUrls }: {
    chapter: Chapter;
    prev?: Neighbour;
    next?: Neighbour;
    /** Worker module URLs by bundle entry name, for demos that train (`needsWorker`). */
    workerUrls?: Readonly<Record<string, string>>;
  },
) {
  return (
    <main id="content" class="chapter">
      <header class="chapter-header">
        {chapter.number > 0 && <p class="chapter-number">Chapter {chapter.number}</p>}
        <h1>{chapter.title}</h1>
        {chapter.question && (
          <p class="question">
            <strong>The question:</strong> {chapter.question}
          </p>
        )}
      </header>
      {chapter.toc.length > 2 && (
        <nav class="toc" aria-label="Contents">
          <h2>Contents</h2>
          <ol>
            {chapter.toc.filter((h) => h.depth === 2).map((h) => (
              <li>
                <a href={`#${h.id}`}>{h.text}</a>
              </li>
            ))}
          </ol>
        </nav>
      )}
      {chapter.equations.length > 0 && (
        // runs this chapter's equation checks in the reader's browser (checks/*.checks.ts)
        <CheckOnDevice
          chapter={chapter.file.replace(/^.*\//, "").replace(/\.md$/, "")}
          numbers={Object.fromEntries(chapter.equations.map((e) => [e.label, e.number]))}
          displays={chapter.equations.map((e) => ({
            file: e.file,
            line: e.line,
            label: e.label,
            latex: e.latex,
            unevaluated: e.unevaluated,
          }))}
          workerUrl={workerUrls?.["equation-checks-worker"]}
          wasmPaths={sitePath("/vendor/tfjs/")}
        />
      )}
      <article class="prose">
        {chapter.parts.map((part, i) => (
          <Part
            key={i}
            part={part}
            n={demoNumber(chapter.parts, i)}
            chapterSlug={chapter.slug}
            workerUrls={workerUrls}
            verification={chapter.verification}
          />
        ))}
      </article>
      <nav class="chapter-nav" aria-label="Chapters">
        {prev
          ? (
            <a class="prev" href={sitePath(`/chapters/${prev.slug}`)} rel="prev">
              ← {prev.title}
            </a>
          )
          : <span />}
        {next && (
          <a class="next" href={sitePath(`/chapters/${next.slug}`)} rel="next">
            {next.title} →
          </a>
        )}
      </nav>
    </main>
  );
}

function Part(
  { part, n, chapterSlug, workerUrls, verification }: {
    part: ChapterPart;
    /** 1-based position among the chapter's demos (island parts). */
    n: number;
    chapterSlug: string;
    workerUrls?: Readonly<Record<string, string>>;
    verification?: Chapter["verification"];
  },
) {
  if (part.kind === "html") {
    // a "verified" badge beside every equation number (lib/book/badges.ts)
    return (
      <div class="md" dangerouslySetInnerHTML={{ __html: addBadges(part.html, verification) }} />
    );
  }
  return <DemoFigure part={part} n={n} chapterSlug={chapterSlug} workerUrls={workerUrls} />;
}

/** The 1-based number of the demo at `parts[i]` among the chapter's island parts. */
export function demoNumber(parts: readonly ChapterPart[], i: number): number {
  return parts.slice(0, i + 1).filter((p) => p.kind === "island").length;
}
