import type { PageProps } from "../../../../mod.ts";

export default function MarketingLayout({ Component }: PageProps) {
  return (
    <main class="marketing-layout">
      <Component />
    </main>
  );
}
