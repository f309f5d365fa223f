import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  isModuleFile,
  layoutDirs,
  matchSegments,
  routePattern,
  routeSegments,
  scanRoutes,
  splitPath,
} from "./router.ts";

const ROUTES = fileURLToPath(new URL("./testdata/app/routes", import.meta.url));

Deno.test("routeSegments/routePattern: index, params, catch-alls, groups", () => {
  const cases: [string, string][] = [
    ["index", "/"],
    ["about", "/about"],
    ["blog/index", "/blog"],
    ["blog/[slug]", "/blog/:slug"],
    ["docs/[...path]", "/docs/:path*"],
    ["(marketing)/pricing", "/pricing"],
    ["(a)/(b)/index", "/"],
    ["equations.json", "/equations.json"],
    ["[lang]/[...rest]", "/:lang/:rest*"],
  ];
  for (const [file, pattern] of cases) assert.equal(routePattern(routeSegments(file)), pattern);
});

Deno.test("isModuleFile: only modules, never tests", () => {
  for (const ok of ["a.tsx", "a.jsx", "a.ts", "a.js", "[id].tsx", "a.json.ts"]) {
    assert.ok(isModuleFile(ok), ok);
  }
  for (const no of ["a_test.ts", "a.test.tsx", "a.md", "a.css", ".hidden.ts", "a.d"]) {
    assert.ok(!isModuleFile(no), no);
  }
});

Deno.test("scanRoutes: the fixture's routes, in matching order, and its special files", async () => {
  const tree = await scanRoutes(ROUTES);
  // worked out by hand: "/" (no segments) first, then by segment kinds, then shorter, then by name
  assert.deepEqual(tree.routes.map((r) => r.pattern), [
    "/",
    "/any",
    "/async",
    "/bad_props",
    "/blog",
    "/boom",
    "/cached",
    "/form",
    "/island",
    "/pricing",
    "/api/echo",
    "/blog/new",
    "/docs/intro",
    "/blog/:slug",
    "/docs/:path*",
  ]);
  const patterns = tree.routes.map((r) => r.pattern);
  assert.deepEqual([...patterns].sort(), [
    "/",
    "/any",
    "/api/echo",
    "/async",
    "/bad_props",
    "/blog",
    "/blog/:slug",
    "/blog/new",
    "/boom",
    "/cached",
    "/docs/:path*",
    "/docs/intro",
    "/form",
    "/island",
    "/pricing",
  ]);
  assert.ok(patterns.indexOf("/blog/new") < patterns.indexOf("/blog/:slug"), "static before param");
  assert.ok(patterns.indexOf("/docs/intro") < patterns.indexOf("/docs/:path*"), "before catch-all");
  assert.equal(tree.routes.find((r) => r.pattern === "/pricing")?.dir, "(marketing)");
  assert.equal(tree.app, "_app.tsx");
  assert.equal(tree.notFound, "_404.tsx");
  assert.equal(tree.error, "_error.tsx");
  assert.deepEqual(Object.fromEntries(tree.layouts), {
    "": "_layout.tsx",
    "(marketing)": "(marketing)/_layout.tsx",
    "blog": "blog/_layout.tsx",
  });
});

Deno.test("scanRoutes: two files with one pattern is an error naming both", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/(g)`);
  await Deno.writeTextFile(`${dir}/x.ts`, "");
  await Deno.writeTextFile(`${dir}/(g)/x.tsx`, "");
  await assert.rejects(
    () => scanRoutes(dir),
    /Cannot add route routes\/x\.ts as its pattern \/x is already used by routes\/\(g\)\/x\.tsx/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("matchSegments: static, params, catch-all (zero or more segments)", () => {
  const post = routeSegments("blog/[slug]");
  assert.deepEqual(matchSegments(post, ["blog", "a b"]), { slug: "a b" });
  assert.equal(matchSegments(post, ["blog"]), null);
  assert.equal(matchSegments(post, ["blog", "a", "b"]), null);
  assert.equal(matchSegments(post, ["blag", "a"]), null);
  const docs = routeSegments("docs/[...path]");
  assert.deepEqual(matchSegments(docs, ["docs", "a", "b", "c"]), { path: "a/b/c" });
  assert.deepEqual(matchSegments(docs, ["docs"]), { path: "" });
  assert.deepEqual(matchSegments(routeSegments("index"), []), {});
  assert.equal(matchSegments(routeSegments("index"), ["x"]), null);
});

Deno.test("splitPath: decodes each segment, drops empty ones, throws on bad escapes", () => {
  assert.deepEqual(splitPath("/"), []);
  assert.deepEqual(splitPath("//////x"), ["x"]);
  assert.deepEqual(splitPath("/blog/caf%C3%A9%2Fx"), ["blog", "café/x"]);
  assert.throws(() => splitPath("/%E0%A4%A"), URIError);
  assert.throws(() => splitPath("/static/%"), URIError);
});

Deno.test("layoutDirs: outermost first", () => {
  assert.deepEqual(layoutDirs(""), [""]);
  assert.deepEqual(layoutDirs("a/(g)/b"), ["", "a", "a/(g)", "a/(g)/b"]);
});
