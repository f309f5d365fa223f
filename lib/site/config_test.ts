import assert from "node:assert/strict";
import {
  DEFAULT_SITE_CONFIG,
  loadSiteConfig,
  normaliseBasePath,
  parseSiteConfig,
  SiteConfigError,
} from "./config.ts";
import { ROOT } from "./paths.ts";

const error = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof SiteConfigError, `not a SiteConfigError: ${e}`);
    return e.message;
  }
  throw new Error("no error");
};

Deno.test("the committed site.config.json is valid and serves at the root", () => {
  const c = loadSiteConfig(`${ROOT}/site.config.json`);
  assert.equal(c.basePath, "");
  assert.equal(c.chapters, "all");
  assert.deepEqual(c.embedFrameAncestors, ["'self'", "https:"]);
});

Deno.test("an empty config gives the defaults; a missing file too", () => {
  assert.deepEqual(parseSiteConfig({}, "x.json"), { ...DEFAULT_SITE_CONFIG });
  assert.deepEqual(loadSiteConfig("/nonexistent/site.config.json").title, "Diffusion, verified");
});

Deno.test("base paths are normalised; unsafe ones are refused with the value", () => {
  assert.equal(normaliseBasePath("/", "x"), "");
  assert.equal(normaliseBasePath("", "x"), "");
  assert.equal(normaliseBasePath("/course//diffusion/", "x"), "/course/diffusion");
  assert.match(
    error(() => normaliseBasePath("course", "x")),
    /must be a string starting with "\/": current value is "course"/,
  );
  assert.match(
    error(() => normaliseBasePath("/a/../b", "x")),
    /"\.\."\): current value is "\/a\/\.\.\/b"/,
  );
  assert.match(error(() => normaliseBasePath("/a b", "x")), /letters, digits/);
});

Deno.test("BASE_PATH and SITE_URL override the file", () => {
  const c = parseSiteConfig({ basePath: "/a/", siteUrl: "https://a.org" }, "x.json", {
    BASE_PATH: "/course/diffusion/",
    SITE_URL: "https://course.example.edu/",
  });
  assert.equal(c.basePath, "/course/diffusion");
  assert.equal(c.siteUrl, "https://course.example.edu");
  assert.match(
    error(() => parseSiteConfig({}, "x.json", { BASE_PATH: "nope" })),
    /the BASE_PATH environment variable/,
  );
});

Deno.test("each field's rule is enforced, naming the file, the field and the value", () => {
  const cases: [unknown, RegExp][] = [
    [[], /must hold a JSON object: current value is \[\]/],
    [{ titel: "x" }, /unknown field "titel"/],
    [{ title: " " }, /title must be a non-empty string: current value is " "/],
    [{ siteUrl: "https://a.org/course" }, /siteUrl must be an http\(s\) origin without a path/],
    [{ siteUrl: "ftp://a.org" }, /siteUrl must be/],
    [{ chapters: [] }, /chapters must be "all" or a non-empty list/],
    [{ chapters: ["Reverse Step"] }, /chapters must be .*"Reverse Step"/],
    [{ seeds: { Nope: 1 } }, /seeds\.Nope names no demo/],
    [{ seeds: { TrainAndSample: 1.5 } }, /seeds\.TrainAndSample must be an integer.*1\.5/],
    [{ embed: { frameAncestors: ["https://a.org; script-src *"] } }, /embed must be/],
    [{ embed: { frameAncestors: [] } }, /embed must be/],
    [{ embed: { who: [] } }, /embed must be/],
  ];
  for (const [raw, re] of cases) {
    const message = error(() => parseSiteConfig(raw, "site.config.json"));
    assert.match(message, /^Cannot use site\.config\.json as /);
    assert.match(message, re);
  }
});

Deno.test("a valid class set-up is kept as written", () => {
  const c = parseSiteConfig({
    title: "Diffusion for CS 4xx",
    chapters: ["how-to-read", "reverse-step"],
    seeds: { TrainAndSample: 7 },
    embed: { frameAncestors: ["https://*.instructure.com", "http://127.0.0.1:*"] },
  }, "x.json");
  assert.equal(c.title, "Diffusion for CS 4xx");
  assert.deepEqual(c.chapters, ["how-to-read", "reverse-step"]);
  assert.deepEqual(c.seeds, { TrainAndSample: 7 });
  assert.deepEqual(c.embedFrameAncestors, ["https://*.instructure.com", "http://127.0.0.1:*"]);
});

Deno.test("invalid JSON names the file", () => {
  const file = Deno.makeTempFileSync({ suffix: ".json" });
  try {
    Deno.writeTextFileSync(file, "{ title: 1 }");
    assert.match(
      error(() => loadSiteConfig(file)),
      new RegExp(`Cannot use ${file} as it is not valid JSON`),
    );
  } finally {
    Deno.removeSync(file);
  }
});
