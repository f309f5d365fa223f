import type { PageProps } from "../../../../mod.ts";

export default function Docs({ params }: PageProps) {
  return <p class="docs">docs [{params.path}]</p>;
}
