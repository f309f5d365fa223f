import type { PageProps } from "../lib/fresh/mod.ts";
import { NotFound } from "../components/NotFound.tsx";
import { EXPORT_ORIGIN } from "../lib/site/config.ts";

/** Any path no route matches (in a static export: `404.html`, for every missing path). */
export default function NotFoundPage({ url }: PageProps) {
  return <NotFound path={url.origin === EXPORT_ORIGIN ? undefined : url.pathname} />;
}
