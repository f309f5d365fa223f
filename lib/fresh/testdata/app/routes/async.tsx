import type { PageProps } from "../../../mod.ts";

export default async function AsyncPage({ state }: PageProps) {
  const value = await new Promise<number>((resolve) => setTimeout(() => resolve(42), 1));
  state.title = "Async title";
  return <p class="async">answer {value}</p>;
}
