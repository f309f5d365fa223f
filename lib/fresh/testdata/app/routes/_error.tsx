import type { PageProps } from "../../../mod.ts";

export default function ErrorPage({ error }: PageProps) {
  return <h1 class="error-page">Error: {(error as Error).message}</h1>;
}
