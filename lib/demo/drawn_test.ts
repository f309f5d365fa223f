import assert from "node:assert/strict";
import { VIEW } from "./draw.ts";
import { decodePoints, encodePoints, heartPoints, MAX_DRAWN_POINTS, snapPoint } from "./drawn.ts";

Deno.test("drawn points survive the URL to 0.01, are clamped to the view, and are capped", () => {
  const pts = [0.01, -0.01, 1.234, -2.5, 9, -9];
  const back = decodePoints(encodePoints(pts));
  assert.deepEqual(back, [0.01, -0.01, 1.23, -2.5, VIEW, -VIEW]);
  const many = Array.from({ length: 2 * (MAX_DRAWN_POINTS + 10) }, (_, i) => (i % 50) / 25 - 1);
  assert.equal(decodePoints(encodePoints(many)).length, 2 * MAX_DRAWN_POINTS);
  assert.ok(!/[+/=]/.test(encodePoints(many)), "URL-safe text");
});

Deno.test("bad text is refused with the value", () => {
  assert.throws(() => decodePoints("!!"), /must be base64url: current value is !!/);
  assert.throws(() => decodePoints("AAA"), /current value is 2 bytes/);
  const outside = btoa(String.fromCharCode(0x2c, 0x01, 0, 0)); // x = 300 * 0.01 = 3
  assert.throws(() => decodePoints(outside), /must lie in \[-2.6, 2.6\]: current value is 3/);
});

Deno.test("the heart preset is a closed shape on the 0.01 grid", () => {
  const h = heartPoints(60);
  assert.equal(h.length, 120);
  for (let i = 0; i < h.length; i += 2) {
    assert.deepEqual(snapPoint(h[i], h[i + 1]), [h[i], h[i + 1]]);
  }
  const xs = h.filter((_, i) => i % 2 === 0);
  assert.ok(Math.min(...xs) < -1 && Math.max(...xs) > 1, "about 3 units wide");
});
