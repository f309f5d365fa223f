import type { PageProps } from "../../../../mod.ts";

export default function Post({ params }: PageProps) {
  return <p class="post">post {params.slug}</p>;
}
