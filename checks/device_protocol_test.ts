import assert from "node:assert/strict";
import { precisionSummary } from "./device_protocol.ts";

Deno.test("precisionSummary: checks in float64; the demos' backend and WebGL's precision as found", () => {
  const checks =
    /^These checks are plain TypeScript: they computed in float64 \(JavaScript numbers\)/;
  const webgl = precisionSummary({
    backend: "webgl",
    float32: true,
    webglFloat32: true,
    reason: "",
  });
  assert.match(webgl, checks);
  assert.match(webgl, /tfjs's webgl backend in float32; WebGL here renders float32 textures\.$/);
  const half = precisionSummary({
    backend: "webgl",
    float32: false,
    webglFloat32: false,
    reason: "",
  });
  assert.match(half, /webgl backend in float16; WebGL here renders only float16 textures/);
  const noGl = precisionSummary({ backend: "cpu", float32: true, reason: "cpu" });
  assert.match(noGl, /cpu backend in float32; this device has no WebGL\.$/);
  const none = precisionSummary({ reason: "Cannot start a tfjs backend as none works" });
  assert.match(none, /No tfjs backend started here for the demos: Cannot start a tfjs backend/);
});
