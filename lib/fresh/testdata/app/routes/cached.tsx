import { page, type PageProps } from "../../../mod.ts";

let renders = 0;

// `?key=` chooses the cache key; without it the page is not cached.
export const handler = {
  GET(ctx: { url: URL }) {
    const key = ctx.url.searchParams.get("key");
    return page({ key }, key === null ? {} : { cacheKey: key, headers: { "x-kept": "yes" } });
  },
};

export default function Cached({ data }: PageProps<{ key: string | null }>) {
  renders++;
  return (
    <>
      <p class="cached">render {renders} for {data.key ?? "no key"}</p>
      {/* some length, so that the cached page is worth compressing */}
      <ol>{Array.from({ length: 20 }, (_, t) => <li key={t}>alphaBar at t = {t}</li>)}</ol>
    </>
  );
}
