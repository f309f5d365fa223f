import type { Chapter, ChapterPart } from "../lib/book/mod.ts";
import { demoBlurbs, demos } from "./demos.ts";
import { islandComponents } from "./islands.ts";

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
    <main class="chapter">
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
      <article class="prose">
        {chapter.parts.map((part, i) => <Part key={i} part={part} workerUrls={workerUrls} />)}
      </article>
      <nav class="chapter-nav" aria-label="Chapters">
        {prev
          ? (
            <a class="prev" href={`/chapters/${prev.slug}`} rel="prev">
              ← {prev.title}
            </a>
          )
          : <span />}
        {next && (
          <a class="next" href={`/chapters/${next.slug}`} rel="next">
            {next.title} →
          </a>
        )}
      </nav>
    </main>
  );
}

function Part(
  { part, workerUrls }: { part: ChapterPart; workerUrls?: Readonly<Record<string, string>> },
) {
  if (part.kind === "html") {
    return <div class="md" dangerouslySetInnerHTML={{ __html: part.html }} />;
  }
  const Island = part.status === "ready" ? islandComponents[part.name] : undefined;
  if (Island) {
    return (
      <figure class="demo" data-demo={part.name}>
        <Island {...part.props} {...workerProp(part.name, workerUrls)} />
      </figure>
    );
  }
  return (
    <figure class="demo demo-coming" data-demo={part.name}>
      <p>
        <strong>Demo coming: {part.name}.</strong> This space will hold{" "}
        {demoBlurbs[part.name] ?? "a live demo"}.
      </p>
    </figure>
  );
}

/** `{ workerUrl }` for a demo that needs a worker (its `worker` entry, else `train-worker`). */
function workerProp(
  name: string,
  workerUrls?: Readonly<Record<string, string>>,
): { workerUrl?: string } {
  const spec = demos[name];
  if (!spec?.needsWorker) return {};
  return { workerUrl: workerUrls?.[spec.worker ?? "train-worker"] };
}
