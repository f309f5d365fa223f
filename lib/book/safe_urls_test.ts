import assert from "node:assert/strict";
import { isSafeUrl } from "./safe_urls.ts";

Deno.test("isSafeUrl allows relative, fragment, http(s) and mailto URLs only", () => {
  for (
    const ok of [
      "#eq:a",
      "/chapters/x",
      "x/y:z",
      "https://a.org",
      "HTTP://a",
      "mailto:a@b",
      "?q=a:b",
    ]
  ) {
    assert.ok(isSafeUrl(ok), ok);
  }
  for (
    const bad of [
      "javascript:alert(1)",
      " jAvAsCrIpT:x",
      "java\tscript:x",
      "data:text/html,x",
      "vbscript:x",
      "file:///etc",
    ]
  ) {
    assert.ok(!isSafeUrl(bad), bad);
  }
});
