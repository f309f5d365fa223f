import type { PageProps } from "../../../../mod.ts";

export default function BlogLayout({ Component }: PageProps) {
  return (
    <section class="blog-layout">
      <Component />
    </section>
  );
}
