import assert from "node:assert/strict";
import { chooseBackendOrder } from "./backend_choice.ts";
import { isSoftwareRenderer } from "../../engine/renderer.ts";

const SWIFTSHADER =
  "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)";

Deno.test("a hardware GPU gets WebGL first", () => {
  const plan = chooseBackendOrder("auto", { available: true, renderer: "ANGLE (Apple, M2)" });
  assert.deepEqual(plan.order, ["webgl", "wasm", "cpu"]);
  assert.match(plan.reason, /GPU via WebGL \(ANGLE \(Apple, M2\)\)/);
});

Deno.test("software WebGL (SwiftShader, llvmpipe) goes after WASM, and the reason says so", () => {
  for (const renderer of [SWIFTSHADER, "llvmpipe (LLVM 15.0.7, 256 bits)"]) {
    assert.ok(isSoftwareRenderer(renderer));
    const plan = chooseBackendOrder("auto", { available: true, renderer });
    assert.deepEqual(plan.order, ["wasm", "webgl", "cpu"]);
    assert.match(
      plan.reason,
      /^WebGL is software-rendered \((SwiftShader|llvmpipe)\), so WASM is faster$/,
    );
  }
  assert.ok(!isSoftwareRenderer(undefined));
});

Deno.test("no WebGL: WASM then CPU; a URL preference goes first, WebGL only if present", () => {
  assert.deepEqual(chooseBackendOrder("auto", { available: false }).order, ["wasm", "cpu"]);
  assert.deepEqual(
    chooseBackendOrder("webgl", { available: true, renderer: SWIFTSHADER }).order,
    ["webgl", "wasm", "cpu"],
  );
  assert.deepEqual(chooseBackendOrder("cpu", { available: true }).order, ["cpu", "webgl", "wasm"]);
  const missing = chooseBackendOrder("webgl", { available: false });
  assert.deepEqual(missing.order, ["wasm", "cpu"]);
  assert.match(missing.reason, /WebGL is not available/);
});
