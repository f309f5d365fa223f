import { isSoftwareRenderer, prefersFusedUpdate } from "./renderer.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

Deno.test("software rasterisers are recognised; GPUs and an unknown renderer are not", () => {
  for (
    const r of [
      "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)",
      "llvmpipe (LLVM 15.0.6, 256 bits)",
      "Mesa softpipe",
      "Microsoft Basic Render Driver",
    ]
  ) assert(isSoftwareRenderer(r), r);
  for (const r of ["ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)", "Apple M2", undefined]) {
    assert(!isSoftwareRenderer(r), String(r));
  }
});

Deno.test("the fused update everywhere but on a real GPU", () => {
  assert(prefersFusedUpdate("wasm") && prefersFusedUpdate("cpu"), "memory backends");
  assert(prefersFusedUpdate("webgl", "SwiftShader Device"), "software WebGL");
  assert(!prefersFusedUpdate("webgl", "Apple M2"), "a GPU keeps the update on the device");
  assert(!prefersFusedUpdate("webgl"), "an unknown renderer is taken for a GPU");
});
