import type { PageProps } from "../lib/fresh/mod.ts";
import { siteConfig, sitePath } from "../lib/site/config.ts";

/** What a page may put in `ctx.state` for the shell to render. */
export interface PageState {
  title?: string;
  description?: string;
  /** Extra stylesheets (e.g. KaTeX's, only on pages with math), URLs with the base path. */
  styles?: string[];
  /** Fonts to fetch beside the stylesheets (the KaTeX fonts a page's math uses). */
  fonts?: string[];
  /** URL of the page (also `og:url`): absolute with a siteUrl, else a root-relative path. */
  canonical?: string;
  /** Open Graph type: `article` for chapters, `website` otherwise. */
  ogType?: "website" | "article";
  /** Embed mode: only the page's own content, no site header or footer, framing allowed. */
  embed?: boolean;
  /** Keep the page out of search engines (embed pages duplicate their chapter). */
  noindex?: boolean;
  /** The first demo's anchor (`#demo-1`) on a chapter with demos: a second skip link goes there. */
  firstDemo?: string;
}

/** The HTML shell around every page. */
export default function App({ Component, state }: PageProps) {
  const s = state as PageState;
  const site = siteConfig().title;
  const title = s.title ? `${s.title} · ${site}` : site;
  return (
    <html lang="en" data-base-path={siteConfig().basePath}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title}</title>
        {s.description && <meta name="description" content={s.description} />}
        {s.noindex && <meta name="robots" content="noindex" />}
        {s.canonical && <link rel="canonical" href={s.canonical} />}
        <meta property="og:site_name" content={site} />
        <meta property="og:type" content={s.ogType ?? "website"} />
        <meta property="og:title" content={s.title ?? site} />
        {s.description && <meta property="og:description" content={s.description} />}
        {s.canonical && <meta property="og:url" content={s.canonical} />}
        <link rel="stylesheet" href={sitePath("/styles.css")} />
        {(s.styles ?? []).map((href) => <link key={href} rel="stylesheet" href={href} />)}
        {(s.fonts ?? []).map((href) => (
          <link
            key={href}
            rel="preload"
            as="font"
            type="font/woff2"
            crossOrigin="anonymous"
            href={href}
          />
        ))}
        <link rel="icon" href={sitePath("/favicon.svg")} type="image/svg+xml" />
      </head>
      <body class={s.embed ? "embed" : undefined}>
        {/* every page's <main> has id="content"; the links show only when focused */}
        <a class="skip-link" href="#content">Skip to content</a>
        {s.firstDemo && <a class="skip-link" href={s.firstDemo}>Skip to demo</a>}
        <Component />
      </body>
    </html>
  );
}
