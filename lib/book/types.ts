/**
 * The shapes the chapter pipeline takes and returns: island specs (what an `::island` directive may
 * carry), book options, and the rendered book (chapters, parts, equations).
 *
 * @module
 */
import type { Element } from "npm:@types/hast@3.0.5";
import type { EquationVerification } from "./verification.ts";

/** The type of one island prop; values in directives are coerced by it. */
export type PropSpec =
  | { type: "string"; enum?: readonly string[]; required?: boolean; default?: string }
  | {
    type: "number";
    min?: number;
    max?: number;
    integer?: boolean;
    required?: boolean;
    default?: number;
  }
  | { type: "boolean"; required?: boolean; default?: boolean };

/** An island a chapter may embed with `::island{name="..."}`. */
export interface IslandSpec {
  /** The island's name, as written in the directive. */
  name: string;
  /** `ready`: the component exists; `planned`: the page shows a placeholder. */
  status: "ready" | "planned";
  /** The props the directive may set. */
  props: Record<string, PropSpec>;
}

/**
 * A figure or table a chapter may place with `::figure{name="..."}` or `::table{name="..."}`:
 * computed at build time (from `engine/`, in `lib/figures/`) and returned as a whole `<figure>`.
 */
export interface FigureSpec {
  /** The name, as written in the directive. */
  name: string;
  /** Which directive places it. */
  kind: "figure" | "table";
  /** The `<figure>` element (caption, alt text, inline SVG or a table); no script. */
  render: () => Element;
}

/** Where the chapters are and what they may embed. */
export interface BookOptions {
  /** Folder holding `NN-slug.md` files (absolute, or relative to the working directory). */
  chaptersDir: string;
  /** Project root: code excerpts (`::code{src=...}`) and reported file names are relative to it. */
  root: string;
  /** The islands chapters may embed, by name. */
  islands: Record<string, IslandSpec>;
  /** The build-time figures and tables chapters may place, by name (default: none). */
  figures?: Record<string, FigureSpec>;
  /** Prefix of every site link, for static hosting under a sub-path (default ""). */
  basePath?: string;
  /** Prefix of the links in code-excerpt captions (default `${basePath}/source/`). */
  sourceBaseUrl?: string;
}

/** One problem found while building, with its place. */
export interface BookMessage {
  /** File, relative to the root when inside it, e.g. `chapters/01-x.md`. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Stable rule id, e.g. `eq-ref-missing`. */
  ruleId: string;
  /** What went wrong. */
  reason: string;
}

/** A labelled, numbered equation. */
export interface EquationEntry {
  /** Slug of the chapter that holds it. */
  chapter: string;
  /** That chapter's number. */
  chapterNumber: number;
  /** The label, e.g. `eq:posterior-mean`. */
  label: string;
  /** Its number without parentheses, e.g. `1.3`. */
  number: string;
  /** The LaTeX source. */
  latex: string;
  /** The chapter file, relative to the root. */
  file: string;
  /** Line of the opening `$$`. */
  line: number;
  /** Why its printed LaTeX is not evaluated, when marked `{#eq:x .unevaluated reason="…"}`. */
  unevaluated?: string;
}

/** A run of HTML, or an island placed between runs. */
export type ChapterPart =
  | { kind: "html"; html: string }
  | { kind: "island"; name: string; props: Record<string, unknown>; status: "ready" | "planned" };

/** One entry of a chapter's table of contents. */
export interface TocEntry {
  depth: 2 | 3;
  id: string;
  text: string;
}

/** A rendered chapter. */
export interface Chapter {
  file: string;
  number: number;
  slug: string;
  title: string;
  summary: string;
  question?: string;
  parts: ChapterPart[];
  toc: TocEntry[];
  equations: EquationEntry[];
  wordCount: number;
  exerciseCount: number;
  /** Each labelled equation's numeric checks, by label; added by the build (verification.ts). */
  verification?: Record<string, EquationVerification>;
}

/** The whole book. */
export interface Book {
  chapters: Chapter[];
  equations: EquationEntry[];
}
