/**
 * The site's entry point: `deno task start` (after `deno task build`) and Deno Deploy run this.
 * It serves the pre-built islands and pre-rendered chapters from `_build/` under the site config's
 * base path; it bundles nothing, renders no Markdown and writes nothing at run time, and uses only
 * APIs Deno 2.5 has (`Deno.serve`, `Deno.readTextFile`, `Deno.env`). A missing build is an error
 * that says to run `deno task build`.
 *
 * @module
 */
import { createApp } from "./lib/fresh/mod.ts";
import { serveGuarded } from "./lib/fresh/guard.ts";
import { siteConfig } from "./lib/site/config.ts";
import { buildDir, ROOT } from "./lib/site/paths.ts";
import { getBook } from "./lib/site/book.ts";

/** The app, for tests and for `Deno.serve`. */
export async function createSite(opts: { dev?: boolean } = {}) {
  return await createApp({
    root: ROOT,
    buildDir: buildDir(),
    dev: opts.dev ?? false,
    basePath: siteConfig().basePath,
  });
}

/** Where and how to listen, from the environment. */
export interface ListenPlan {
  port: number;
  hostname: string;
  /**
   * Behind the slow-client guard (`lib/fresh/guard.ts`): everywhere but Deno Deploy, whose front
   * end times clients out itself and where the program only gets `Deno.serve`.
   */
  guarded: boolean;
}

/**
 * `PORT` (default 8000) and `HOST` (default `127.0.0.1`: only this machine; `HOST=0.0.0.0` serves
 * the network). Not `HOSTNAME`: shells and containers set it to the machine's name.
 *
 * @example
 * ```ts
 * import { listenPlan } from "./main.ts";
 * const plan = listenPlan({});
 * if (plan.hostname !== "127.0.0.1" || plan.port !== 8000 || !plan.guarded) throw new Error();
 * if (listenPlan({ DENO_DEPLOYMENT_ID: "x" }).guarded) throw new Error("Deploy serves directly");
 * ```
 */
export function listenPlan(env: Record<string, string | undefined>): ListenPlan {
  const port = Number(env.PORT ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`Cannot listen as PORT must be 0 to 65535: current value is ${env.PORT}`);
  }
  return { port, hostname: env.HOST || "127.0.0.1", guarded: !env.DENO_DEPLOYMENT_ID };
}

if (import.meta.main) {
  await getBook(); // fail at start-up, not per request, when the build is missing or stale
  const app = await createSite();
  const plan = listenPlan(Deno.env.toObject());
  if (plan.guarded) {
    serveGuarded(app.handler(), {
      ...plan,
      onListen: (a) => console.log(`Listening on http://${a.hostname}:${a.port}/`),
    });
  } else Deno.serve({ port: plan.port, hostname: plan.hostname }, app.handler());
}
