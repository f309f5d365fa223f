/**
 * Starting a tfjs backend inside the demo worker: probe WebGL on an OffscreenCanvas, choose an
 * order (`backend_choice.ts`), and let `engine/backend.ts` try each until one starts. Imported only
 * by the worker, so tfjs never reaches the page's own JavaScript.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../engine/backend.ts";
import { type BackendPlan, chooseBackendOrder, type WebglProbe } from "./backend_choice.ts";
import type { BackendName, BackendRequest } from "./protocol.ts";

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

/** The absolute URL of tfjs's `.wasm` files, as the last start was given it. */
let wasmUrl: string | undefined;

/**
 * Starts the first backend of the plan that works (through `engine/backend.ts`, which also
 * refuses WebGL without float32 render targets).
 *
 * @param request `auto` or a backend the reader asked for, the folder URL of tfjs's `.wasm`
 *   files (e.g. `/vendor/tfjs/`), and whether the page itself could create a WebGL context.
 * @returns The backend that runs and why (including any that failed before it).
 */
export async function startBackend(
  { backend: preference, wasmPaths, pageWebgl }: BackendRequest,
): Promise<{ backend: BackendName; reason: string }> {
  const probe = pageWebgl ? probeWebgl() : { available: false };
  const plan: BackendPlan = chooseBackendOrder(preference, probe);
  // An absolute URL: the worker's own URL is under /_build/..., not the site root.
  wasmUrl = new URL(wasmPaths, self.location.href).href;
  const info = await initBackend(plan.order, { wasmPaths: wasmUrl });
  const backend = info.backend as BackendName;
  watchWebglContext();
  // The engine's reason names what it skipped when the first choice did not start.
  const fellBack = backend !== plan.order[0] ? `; ${info.reason}` : "";
  return { backend, reason: plan.reason + fellBack };
}

/** Raised in place of whatever tfjs did when the WebGL context under it was lost mid-run. */
export class WebglContextLostError extends Error {
  /** @param message What happened and what the reader can do. */
  constructor(message: string) {
    super(message);
    this.name = "WebglContextLostError";
  }
}

/** The WebGL2 context tfjs's WebGL backend draws with, or undefined on another backend. */
function tfWebglContext(): WebGL2RenderingContext | undefined {
  if (tf.getBackend() !== "webgl") return undefined;
  return (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
}

/**
 * Watches the WebGL context tfjs uses (call once its WebGL backend runs). When the context is lost
 * (GPU reset, driver update, the browser reclaiming GPUs, `WEBGL_lose_context`), fences can never
 * signal on a lost context and tfjs would wait forever on every `data()` read; so from then on
 * fences count as passed, reads return (meaningless) bytes, the step in flight finishes and frees
 * its tensors, and {@linkcode guardWebglContext} turns the result into a WebglContextLostError.
 */
export function watchWebglContext(): void {
  const gl = tfWebglContext();
  if (!gl) return;
  const release = () => {
    const signalled = gl.ALREADY_SIGNALED;
    Object.defineProperty(gl, "clientWaitSync", { value: () => signalled, configurable: true });
  };
  const canvas = gl.canvas as EventTarget;
  canvas.addEventListener("webglcontextlost", release);
  if (gl.isContextLost()) release();
}

/** Whether tfjs runs on WebGL and its context has been lost. */
export function webglContextLost(): boolean {
  return tfWebglContext()?.isContextLost() ?? false;
}

/**
 * Runs tfjs work and, if the WebGL context was lost during it, moves tfjs to the next backend that
 * starts (WASM, else CPU) and throws a WebglContextLostError saying so; the run's tensors stay on the
 * lost backend until the run is disposed.
 *
 * @param work The tfjs work (a chunk of training steps, a sample).
 * @returns What `work` returned, when the context held.
 * @throws WebglContextLostError when the context was lost; otherwise what `work` threw.
 */
export async function guardWebglContext<T>(work: () => Promise<T>): Promise<T> {
  let value: T;
  try {
    value = await work();
  } catch (error) {
    if (webglContextLost()) throw await leaveLostWebgl();
    throw error;
  }
  if (webglContextLost()) throw await leaveLostWebgl();
  return value;
}

async function leaveLostWebgl(): Promise<WebglContextLostError> {
  let next = "no other backend started";
  try {
    const info = await initBackend(["wasm", "cpu"], { wasmPaths: wasmUrl });
    next = `press Train to start again on ${info.backend}`;
  } catch { /* keep the message */ }
  return new WebglContextLostError(
    `The WebGL context was lost (the GPU was reset or reclaimed), so training stopped: ${next}.`,
  );
}
