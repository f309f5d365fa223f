import type { PageProps } from "../lib/fresh/mod.ts";
import { NotFound } from "../components/NotFound.tsx";

/** Any path no route matches. */
export default function NotFoundPage({ url }: PageProps) {
  return <NotFound path={url.pathname} />;
}
