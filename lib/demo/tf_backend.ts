/**
 * Starting a tfjs backend inside the training worker: probe WebGL on an OffscreenCanvas, choose an
 * order (`backend_choice.ts`), and let `engine/backend.ts` try each until one starts. Imported only
 * by the worker, so tfjs never reaches the page's own JavaScript.
 *
 * @module
 */
import { initBackend } from "../../engine/backend.ts";
import { type BackendPlan, chooseBackendOrder, type WebglProbe } from "./backend_choice.ts";
import type { BackendName, BackendPreference } from "./protocol.ts";

/**
 * Probes WebGL2 the way tfjs's WebGL backend will use it in a worker (OffscreenCanvas).
 *
 * @returns Whether a context exists, and the renderer string when the browser tells it.
 */
export function probeWebgl(): WebglProbe {
  if (typeof OffscreenCanvas === "undefined") return { available: false };
  try {
    const gl = new OffscreenCanvas(1, 1).getContext("webgl2") as WebGL2RenderingContext | null;
    if (!gl) return { available: false };
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(
      info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
    );
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return { available: true, renderer };
  } catch {
    return { available: false };
  }
}

/**
 * Starts the first backend of the plan that works (through `engine/backend.ts`, which also
 * refuses WebGL without float32 render targets).
 *
 * @param preference `auto` or a backend the reader asked for.
 * @param wasmPaths Folder URL of tfjs's `.wasm` files (e.g. `/vendor/tfjs/`).
 * @param pageWebgl Whether the page itself could create a WebGL context.
 * @returns The backend that runs and why (including any that failed before it).
 */
export async function startBackend(
  preference: BackendPreference,
  wasmPaths: string,
  pageWebgl: boolean,
): Promise<{ backend: BackendName; reason: string }> {
  const probe = pageWebgl ? probeWebgl() : { available: false };
  const plan: BackendPlan = chooseBackendOrder(preference, probe);
  // An absolute URL: the worker's own URL is under /_build/..., not the site root.
  const info = await initBackend(plan.order, {
    wasmPaths: new URL(wasmPaths, self.location.href).href,
  });
  const backend = info.backend as BackendName;
  // The engine's reason names what it skipped when the first choice did not start.
  const fellBack = backend !== plan.order[0] ? `; ${info.reason}` : "";
  return { backend, reason: plan.reason + fellBack };
}
