/**
 * The site config (`site.config.json` at the root): the title, the base path the site is served
 * under, the public URL, which chapters are shown, default seeds for demos, and who may frame the
 * embed pages. Read once, validated with messages that name the field, the rule and the value.
 * `BASE_PATH` and `SITE_URL` in the environment override `basePath` and `siteUrl`; `SITE_CONFIG`
 * points at another file.
 *
 * @module
 */
import { demos } from "./demos.ts";
import { ROOT } from "./paths.ts";

/** The validated site config. */
export interface SiteConfig {
  /** The book's name, in every page title. */
  title: string;
  /** The home page's description (Open Graph, search engines). */
  description: string;
  /** URL prefix the site is served under: `""` for the root, else e.g. `/course/diffusion`. */
  basePath: string;
  /** Public origin, e.g. `https://diffusion.example.org` (no path); `""` when unknown. */
  siteUrl: string;
  /** Slugs of the chapters shown, in book order; `"all"` shows every chapter. */
  chapters: "all" | string[];
  /** Default seed per demo (island name -> seed); a `?seed=` in the URL still wins. */
  seeds: Record<string, number>;
  /** CSP `frame-ancestors` sources for `/embed/...` pages (other pages may never be framed). */
  embedFrameAncestors: string[];
}

/** The config used when the file says nothing. */
export const DEFAULT_SITE_CONFIG: Readonly<SiteConfig> = Object.freeze({
  title: "Diffusion, verified",
  description:
    "Diffusion models from the intractable reverse step to guidance, with every numbered equation verified and demos that train in your browser.",
  basePath: "",
  siteUrl: "",
  chapters: "all",
  seeds: {},
  embedFrameAncestors: ["'self'", "https:"],
});

const KNOWN_KEYS = [
  "$comment",
  "title",
  "description",
  "basePath",
  "siteUrl",
  "chapters",
  "seeds",
  "embed",
];
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const SLUG = /^[a-z0-9][a-z0-9-]*$/;
const FRAME_SOURCE = /^('self'|'none'|\*|https?:|https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:(\d+|\*))?)$/;

/** A bad config: the message says which file, which field, the rule and the value. */
export class SiteConfigError extends Error {
  override name = "SiteConfigError";
}

const show = (v: unknown) => JSON.stringify(v) ?? String(v);

/**
 * Normalises a base path: `"/"` and `""` become `""`; `"/course/diffusion/"` becomes
 * `"/course/diffusion"`.
 *
 * @param value The base path as written.
 * @param where Where it came from, for the message.
 * @returns The normalised path, without a trailing slash.
 * @throws SiteConfigError when it does not start with `/` or has an unsafe segment.
 *
 * @example
 * ```ts
 * import { normaliseBasePath } from "./config.ts";
 * if (normaliseBasePath("/course/diffusion/", "x") !== "/course/diffusion") throw new Error();
 * if (normaliseBasePath("/", "x") !== "") throw new Error();
 * ```
 */
export function normaliseBasePath(value: unknown, where: string): string {
  if (typeof value !== "string" || (value !== "" && !value.startsWith("/"))) {
    throw new SiteConfigError(
      `Cannot use ${where} as basePath must be a string starting with "/": current value is ${
        show(value)
      }`,
    );
  }
  const segments = value.split("/").filter((s) => s !== "");
  for (const s of segments) {
    if (!SEGMENT.test(s) || s === "." || s === "..") {
      throw new SiteConfigError(
        `Cannot use ${where} as basePath segments may hold only letters, digits and "._~-" ` +
          `(and not be "." or ".."): current value is ${show(value)}`,
      );
    }
  }
  return segments.length === 0 ? "" : `/${segments.join("/")}`;
}

function siteUrlOf(value: unknown, where: string): string {
  if (value === "" || value === undefined) return "";
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch { /* reported below */ }
  if (
    !url || !/^https?:$/.test(url.protocol) || url.pathname !== "/" || url.search || url.hash ||
    url.username || url.password
  ) {
    throw new SiteConfigError(
      `Cannot use ${where} as siteUrl must be an http(s) origin without a path, like ` +
        `"https://diffusion.example.org" (put the path in basePath): current value is ${
          show(value)
        }`,
    );
  }
  return url.origin;
}

/**
 * Validates a parsed config file and applies the environment's overrides.
 *
 * @param raw The parsed JSON.
 * @param where The file name, for messages.
 * @param env `BASE_PATH` / `SITE_URL` overrides.
 * @returns The config, defaults filled in.
 * @throws SiteConfigError naming the field, the rule and the value.
 *
 * @example
 * ```ts
 * import { parseSiteConfig } from "./config.ts";
 * const c = parseSiteConfig({ basePath: "/course/diffusion/" }, "site.config.json");
 * if (c.basePath !== "/course/diffusion" || c.chapters !== "all") throw new Error();
 * let message = "";
 * try { parseSiteConfig({ seeds: { TrainAndSample: -1 } }, "x.json"); } catch (e) { message = String(e); }
 * if (!message.includes("seeds.TrainAndSample")) throw new Error(message);
 * ```
 */
export function parseSiteConfig(
  raw: unknown,
  where: string,
  env: { BASE_PATH?: string; SITE_URL?: string } = {},
): SiteConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new SiteConfigError(
      `Cannot use ${where} as it must hold a JSON object: current value is ${show(raw)}`,
    );
  }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN_KEYS.includes(key)) {
      throw new SiteConfigError(
        `Cannot use ${where} as it has an unknown field "${key}" (known: ${
          KNOWN_KEYS.slice(1).join(", ")
        })`,
      );
    }
  }
  const text = (key: "title" | "description"): string => {
    const v = o[key] ?? DEFAULT_SITE_CONFIG[key];
    if (typeof v !== "string" || v.trim() === "") {
      throw new SiteConfigError(
        `Cannot use ${where} as ${key} must be a non-empty string: current value is ${show(v)}`,
      );
    }
    return v.trim();
  };
  const basePath = env.BASE_PATH !== undefined
    ? normaliseBasePath(env.BASE_PATH, "the BASE_PATH environment variable")
    : normaliseBasePath(o.basePath ?? "", where);
  const siteUrl = env.SITE_URL !== undefined
    ? siteUrlOf(env.SITE_URL, "the SITE_URL environment variable")
    : siteUrlOf(o.siteUrl, where);

  const chapters = o.chapters ?? "all";
  if (
    chapters !== "all" &&
    !(Array.isArray(chapters) && chapters.length > 0 &&
      chapters.every((s) => typeof s === "string" && SLUG.test(s)))
  ) {
    throw new SiteConfigError(
      `Cannot use ${where} as chapters must be "all" or a non-empty list of chapter slugs ` +
        `(like "reverse-step"): current value is ${show(chapters)}`,
    );
  }

  const seedsRaw = o.seeds ?? {};
  if (typeof seedsRaw !== "object" || seedsRaw === null || Array.isArray(seedsRaw)) {
    throw new SiteConfigError(
      `Cannot use ${where} as seeds must be an object of demo name -> seed: current value is ${
        show(seedsRaw)
      }`,
    );
  }
  const seeds: Record<string, number> = {};
  for (const [name, seed] of Object.entries(seedsRaw)) {
    if (demos[name] === undefined) {
      throw new SiteConfigError(
        `Cannot use ${where} as seeds.${name} names no demo (known: ${
          Object.keys(demos).join(", ")
        }): current value is ${show(seed)}`,
      );
    }
    if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 31) {
      throw new SiteConfigError(
        `Cannot use ${where} as seeds.${name} must be an integer from 0 to 2^31 - 1: current ` +
          `value is ${show(seed)}`,
      );
    }
    seeds[name] = seed;
  }

  const embed = o.embed ?? {};
  const ancestors = (embed as { frameAncestors?: unknown }).frameAncestors ??
    DEFAULT_SITE_CONFIG.embedFrameAncestors;
  if (
    typeof embed !== "object" || embed === null || Array.isArray(embed) ||
    Object.keys(embed).some((k) => k !== "frameAncestors") ||
    !Array.isArray(ancestors) || ancestors.length === 0 ||
    !ancestors.every((a) => typeof a === "string" && FRAME_SOURCE.test(a))
  ) {
    throw new SiteConfigError(
      `Cannot use ${where} as embed must be { "frameAncestors": [...] } with CSP sources such as ` +
        `"'self'", "https:", "*" or "https://*.example.edu": current value is ${show(embed)}`,
    );
  }

  return {
    title: text("title"),
    description: text("description"),
    basePath,
    siteUrl,
    chapters: chapters === "all" ? "all" : [...chapters as string[]],
    seeds,
    embedFrameAncestors: [...ancestors as string[]],
  };
}

/** Reads and validates a config file (a missing file gives the defaults). */
export function loadSiteConfig(
  path: string,
  env: { BASE_PATH?: string; SITE_URL?: string } = {},
): SiteConfig {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return parseSiteConfig({}, path, env);
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SiteConfigError(
      `Cannot use ${path} as it is not valid JSON: ${(e as Error).message}`,
    );
  }
  return parseSiteConfig(raw, path, env);
}

let cached: SiteConfig | undefined;

/** The site's config: `SITE_CONFIG` or `site.config.json`, with env overrides. Cached. */
export function siteConfig(): SiteConfig {
  if (cached) return cached;
  const file = Deno.env.get("SITE_CONFIG");
  const path = file
    ? (file.startsWith("/") ? file : `${ROOT}/${file}`)
    : `${ROOT}/site.config.json`;
  cached = loadSiteConfig(path, {
    BASE_PATH: Deno.env.get("BASE_PATH"),
    SITE_URL: Deno.env.get("SITE_URL"),
  });
  return cached;
}

/**
 * A site path with the base path in front: every internal link and asset URL goes through here.
 *
 * @param path A path from the site root, starting with `/`.
 * @returns The URL path as the browser must ask for it.
 *
 * @example
 * ```ts
 * import { sitePath } from "./config.ts";
 * if (!sitePath("/styles.css").endsWith("/styles.css")) throw new Error();
 * ```
 */
export function sitePath(path: string): string {
  return siteConfig().basePath + path;
}

/** The origin requests are rendered for during a static export (never a real host). */
export const EXPORT_ORIGIN = "http://static-export.invalid";

/**
 * The absolute URL of a site path for canonical links and the sitemap: `siteUrl` when configured,
 * else the request's origin; `undefined` in a static export without `siteUrl`.
 *
 * @example
 * ```ts
 * import { absoluteUrl } from "./config.ts";
 * const u = absoluteUrl("/x", new URL("http://example.org/y"));
 * if (u !== undefined && !u.endsWith("/x")) throw new Error(u);
 * ```
 */
export function absoluteUrl(path: string, requestUrl: URL): string | undefined {
  const { siteUrl } = siteConfig();
  const origin = siteUrl || (requestUrl.origin === EXPORT_ORIGIN ? "" : requestUrl.origin);
  return origin ? origin + sitePath(path) : undefined;
}

/**
 * The canonical (and `og:url`) URL of a page: `siteUrl` + path when configured, else the path
 * alone (a relative URL, which browsers and crawlers resolve against the page). Never built from
 * the request's Host, so no stranger's Host appears in a page or a page cache key.
 *
 * @example
 * ```ts
 * import { canonicalUrl } from "./config.ts";
 * if (!canonicalUrl("/chapters/x").endsWith("/chapters/x")) throw new Error();
 * ```
 */
export function canonicalUrl(path: string): string {
  return siteConfig().siteUrl + sitePath(path);
}

/** Forgets the cached config (tests). */
export function resetSiteConfig(): void {
  cached = undefined;
}
