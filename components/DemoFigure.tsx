import type { ChapterPart } from "../lib/book/mod.ts";
import { siteConfig, sitePath } from "../lib/site/config.ts";
import { demoBlurbs, demos } from "../lib/site/demos.ts";
import { islandComponents } from "./islands.ts";

type IslandPart = Extract<ChapterPart, { kind: "island" }>;

/**
 * The props the site adds to a demo besides the chapter's own: for a demo with a worker, the
 * worker's URL (its `worker` entry, else `train-worker`) and where tfjs's `.wasm` files are, both
 * with the base path; the config's default seed when it sets one for this demo.
 */
export function siteDemoProps(
  name: string,
  workerUrls?: Readonly<Record<string, string>>,
): { workerUrl?: string; wasmPaths?: string; seed?: number } {
  const spec = demos[name];
  const seed = siteConfig().seeds[name];
  return {
    ...(spec?.needsWorker
      ? {
        workerUrl: workerUrls?.[spec.worker ?? "train-worker"],
        wasmPaths: sitePath("/vendor/tfjs/"),
      }
      : {}),
    ...(seed === undefined ? {} : { seed }),
  };
}

/**
 * One demo of a chapter: the island (or a "demo coming" note for a planned one) in a figure with
 * the id `demo-N`. In a chapter it links to its embed page; on the embed page it links back.
 */
export function DemoFigure(
  { part, n, chapterSlug, workerUrls, embedded }: {
    part: IslandPart;
    /** 1-based position among the chapter's demos. */
    n: number;
    chapterSlug: string;
    workerUrls?: Readonly<Record<string, string>>;
    /** On the embed page: link to the chapter instead of to the embed page. */
    embedded?: boolean;
  },
) {
  const Island = part.status === "ready" ? islandComponents[part.name] : undefined;
  if (!Island) {
    return (
      <figure class="demo demo-coming" id={`demo-${n}`} data-demo={part.name}>
        <p>
          <strong>Demo coming: {part.name}.</strong> This space will hold{" "}
          {demoBlurbs[part.name] ?? "a live demo"}.
        </p>
      </figure>
    );
  }
  const chapterUrl = sitePath(`/chapters/${chapterSlug}#demo-${n}`);
  return (
    <figure class="demo" id={`demo-${n}`} data-demo={part.name}>
      <Island {...part.props} {...siteDemoProps(part.name, workerUrls)} />
      <figcaption class="demo-links">
        {embedded
          ? (
            <a href={chapterUrl} target="_blank" rel="noopener">
              From {siteConfig().title}: read the chapter
            </a>
          )
          : (
            <a href={sitePath(`/embed/${chapterSlug}/${n}`)} rel="nofollow">
              Open this demo on its own (for embedding)
            </a>
          )}
      </figcaption>
    </figure>
  );
}
