import type { PageProps } from "../lib/fresh/mod.ts";

/** What a page may put in `ctx.state` for the shell to render. */
export interface PageState {
  title?: string;
  description?: string;
  /** Extra stylesheets (e.g. KaTeX's, only on pages with math). */
  styles?: string[];
  canonical?: string;
}

/** The HTML shell around every page. */
export default function App({ Component, state }: PageProps) {
  const s = state as PageState;
  const title = s.title ? `${s.title} · Diffusion, verified` : "Diffusion, verified";
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title}</title>
        {s.description && <meta name="description" content={s.description} />}
        {s.canonical && <link rel="canonical" href={s.canonical} />}
        <meta property="og:title" content={title} />
        {s.description && <meta property="og:description" content={s.description} />}
        <link rel="stylesheet" href="/styles.css" />
        {(s.styles ?? []).map((href) => <link key={href} rel="stylesheet" href={href} />)}
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <Component />
      </body>
    </html>
  );
}
