import type { PageProps } from "../../../mod.ts";

export default function RootLayout({ Component }: PageProps) {
  return (
    <div class="root-layout">
      <Component />
    </div>
  );
}
