import type { PageProps } from "../../../mod.ts";

/** The shell: the page's title comes from `ctx.state`. */
export default function App({ Component, state }: PageProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{String(state.title ?? "Fixture")}</title>
      </head>
      <body>
        <Component />
      </body>
    </html>
  );
}
