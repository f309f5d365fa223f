/**
 * Starting a tfjs backend: WebGL when it can render float32 textures, else WASM, else plain-JS CPU.
 * Works under Deno (wasm, cpu) and in a browser worker (WebGL through OffscreenCanvas).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

/** A tfjs backend name this module knows how to start. */
export type BackendName = "webgl" | "wasm" | "cpu";

/** Which backend runs, why, and whether it computes in float32. */
export interface BackendInfo {
  /** The backend now active in tfjs. */
  backend: string;
  /** In words: the choice and the reason for every backend skipped before it. */
  reason: string;
  /** Whether tensors are float32 (false only for a WebGL backend limited to float16 textures). */
  float32: boolean;
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Folder URL (ending in `/`) of tfjs's `.wasm` files, needed in a browser. */
  wasmPaths?: string;
  /** Accept a WebGL backend without float32 render targets instead of falling back (false). */
  allowFloat16?: boolean;
}

/** A canvas as far as this probe needs it (no DOM types required). */
interface ProbeCanvas {
  getContext(kind: string): unknown;
}

/** Whether this environment can create a WebGL context (OffscreenCanvas or a DOM canvas). */
function webglAvailable(): boolean {
  const g = globalThis as {
    OffscreenCanvas?: new (w: number, h: number) => ProbeCanvas;
    document?: { createElement(tag: string): ProbeCanvas };
  };
  try {
    const canvas = g.OffscreenCanvas
      ? new g.OffscreenCanvas(1, 1)
      : g.document?.createElement("canvas");
    const gl = (canvas?.getContext("webgl2") ?? canvas?.getContext("webgl")) as
      | { getExtension(name: string): { loseContext(): void } | null }
      | null
      | undefined;
    if (!gl) return false;
    gl.getExtension("WEBGL_lose_context")?.loseContext(); // free the probe's context
    return true;
  } catch {
    return false;
  }
}

/**
 * Tries each backend of `preference` in turn and keeps the first that starts. WebGL counts as
 * started only if tfjs reports float32 render targets (`WEBGL_RENDER_FLOAT32_CAPABLE`), since the
 * schedule's small betas underflow in float16, unless `allowFloat16` is set.
 *
 * @param preference Backends in the order to try (`["webgl", "wasm", "cpu"]`).
 * @param opts `wasmPaths` for browsers; `allowFloat16`.
 * @returns The backend in use, the reason, and whether it is float32.
 * @example
 * ```ts
 * import { initBackend } from "./backend.ts";
 * const info = await initBackend(["cpu"]);
 * if (info.backend !== "cpu" || !info.float32) throw new Error("cpu always starts in float32");
 * ```
 */
export async function initBackend(
  preference: readonly BackendName[] = ["webgl", "wasm", "cpu"],
  opts: InitBackendOptions = {},
): Promise<BackendInfo> {
  if (opts.wasmPaths) setWasmPaths(opts.wasmPaths);
  const skipped: string[] = [];
  for (const name of preference) {
    if (name === "webgl" && !webglAvailable()) {
      skipped.push("webgl: no WebGL context in this environment");
      continue;
    }
    let started = false;
    try {
      started = await tf.setBackend(name);
      if (started) await tf.ready();
    } catch (error) {
      skipped.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (!started) {
      skipped.push(`${name}: did not start`);
      continue;
    }
    let float32 = true;
    if (name === "webgl") {
      float32 = tf.env().getBool("WEBGL_RENDER_FLOAT32_CAPABLE");
      if (!float32 && !opts.allowFloat16) {
        skipped.push("webgl: no float32 render targets (float16 would underflow beta_1)");
        continue;
      }
    }
    const why = skipped.length ? ` after skipping ${skipped.join("; ")}` : " (first choice)";
    return { backend: tf.getBackend(), reason: `${name}${why}`, float32 };
  }
  throw new Error(
    `Cannot start a tfjs backend as none of ${preference.join(", ")} works: ` +
      `current failures are ${skipped.join("; ")}`,
  );
}

/**
 * The renderer string of the active WebGL backend (unmasked when the browser tells it), or
 * undefined when the backend is not WebGL or the string cannot be read.
 *
 * @returns The renderer, e.g. "ANGLE (..., SwiftShader driver)".
 */
export function webglRenderer(): string | undefined {
  if (tf.getBackend() !== "webgl") return undefined;
  interface GlLike {
    RENDERER: number;
    getExtension(name: string): { UNMASKED_RENDERER_WEBGL: number } | null;
    getParameter(name: number): unknown;
  }
  try {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: GlLike } }).gpgpu?.gl;
    if (!gl) return undefined;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return undefined;
  }
}
