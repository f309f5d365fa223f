import type { Context, PageProps } from "../../../mod.ts";
import { page } from "../../../mod.ts";

interface Data {
  name: string;
}

export const handler = {
  GET(ctx: Context) {
    ctx.state.title = "Form title";
    return page<Data>({ name: ctx.url.searchParams.get("name") ?? "nobody" }, {
      headers: { "x-page": "form" },
    });
  },
  async POST(ctx: Context) {
    const form = await ctx.req.formData();
    return page<Data>({ name: String(form.get("name")) }, { status: 201 });
  },
};

export default function Form({ data }: PageProps<Data>) {
  return <p class="form">hello {data.name}</p>;
}
