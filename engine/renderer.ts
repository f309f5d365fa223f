/**
 * What kind of GPU a WebGL renderer string names. A software rasteriser (SwiftShader, llvmpipe)
 * runs "GPU" kernels on the CPU, in main memory: reading a tensor back is a copy, not a stall, and
 * each small kernel costs a draw call's CPU overhead. The trainer and the demo's backend choice
 * both ask this. No tfjs here, so the page can import it without loading tfjs.
 *
 * @module
 */

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/**
 * Whether a WebGL renderer string names a software rasteriser.
 *
 * @param renderer The (unmasked) renderer string; undefined when unknown.
 * @returns True for SwiftShader, llvmpipe, softpipe and the like.
 * @example
 * ```ts
 * import { isSoftwareRenderer } from "./renderer.ts";
 * const s = "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)";
 * if (!isSoftwareRenderer(s) || isSoftwareRenderer("ANGLE (NVIDIA GeForce RTX 3060)")) {
 *   throw new Error("SwiftShader is software, NVIDIA is not");
 * }
 * ```
 */
export function isSoftwareRenderer(renderer: string | undefined): boolean {
  return renderer !== undefined && SOFTWARE_RENDERERS.test(renderer);
}

/**
 * Whether the trainer should read gradients back every step and run Adam, clipping and the EMA
 * as one loop over flat arrays (the "fused update") rather than as tensor kernels on the device.
 * Yes where tensors live in main memory anyway (wasm, cpu) and on a software WebGL, where the
 * read-back is a copy and the update's ~20 kernels cost more than the loop (measured in headless
 * Chromium with SwiftShader at batch 256: ~42 ms a step against ~55 ms); no on a real GPU, where a
 * read-back stalls the pipeline.
 *
 * @param backend The active tfjs backend.
 * @param renderer The WebGL renderer string, when the backend is WebGL.
 * @returns True for the fused update.
 * @example
 * ```ts
 * import { prefersFusedUpdate } from "./renderer.ts";
 * if (!prefersFusedUpdate("wasm") || prefersFusedUpdate("webgl", "NVIDIA GeForce RTX 3060")) {
 *   throw new Error("fused on wasm, on the device on a real GPU");
 * }
 * if (!prefersFusedUpdate("webgl", "SwiftShader Device")) throw new Error("fused on SwiftShader");
 * ```
 */
export function prefersFusedUpdate(backend: string, renderer?: string): boolean {
  return backend !== "webgl" || isSoftwareRenderer(renderer);
}
