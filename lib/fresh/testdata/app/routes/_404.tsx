import type { PageProps } from "../../../mod.ts";

export default function NotFound({ url }: PageProps) {
  return <h1 class="not-found">No page at {url.pathname}</h1>;
}
