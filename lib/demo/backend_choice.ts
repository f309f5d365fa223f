/**
 * Which tfjs backend the training worker tries first, and why. WebGL (through OffscreenCanvas)
 * comes first on a real GPU; when the only WebGL is a software rasteriser (SwiftShader, llvmpipe)
 * WASM comes first, because a software GPU runs this small MLP several times slower than WASM's
 * SIMD kernels. CPU (plain JavaScript) is the last resort.
 *
 * @module
 */
import type { BackendName, BackendPreference } from "./protocol.ts";
import { isSoftwareRenderer } from "../../engine/renderer.ts";

/** What the worker found out about WebGL before choosing. */
export interface WebglProbe {
  /** A WebGL2 context could be created on an OffscreenCanvas. */
  available: boolean;
  /** The unmasked renderer string, when the browser tells it. */
  renderer?: string;
}

/** An order of backends to try and a sentence explaining it. */
export interface BackendPlan {
  order: BackendName[];
  reason: string;
}

/**
 * Chooses the order in which to try backends.
 *
 * @param preference `auto`, or a backend the reader asked for (tried first, the rest after).
 * @param webgl What the WebGL probe found.
 * @returns The order and the reason, in words the page shows.
 * @example
 * ```ts
 * import { chooseBackendOrder } from "./backend_choice.ts";
 * const plan = chooseBackendOrder("auto", { available: true, renderer: "SwiftShader Device" });
 * if (plan.order.join() !== "wasm,webgl,cpu") throw new Error("software WebGL goes after WASM");
 * ```
 */
export function chooseBackendOrder(preference: BackendPreference, webgl: WebglProbe): BackendPlan {
  const withWebgl = (order: BackendName[]) => order.filter((b) => b !== "webgl" || webgl.available);
  if (preference !== "auto") {
    const rest = (["webgl", "wasm", "cpu"] as BackendName[]).filter((b) => b !== preference);
    const order = withWebgl([preference, ...rest]);
    const missing = preference === "webgl" && !webgl.available ? " (WebGL is not available)" : "";
    return { order, reason: `asked for ${preference} in the URL${missing}` };
  }
  if (!webgl.available) {
    return { order: ["wasm", "cpu"], reason: "no WebGL here (disabled or unsupported), so WASM" };
  }
  if (isSoftwareRenderer(webgl.renderer)) {
    return {
      order: ["wasm", "webgl", "cpu"],
      reason: `WebGL is software-rendered (${shortRenderer(webgl.renderer!)}), so WASM is faster`,
    };
  }
  return {
    order: ["webgl", "wasm", "cpu"],
    reason: webgl.renderer ? `GPU via WebGL (${shortRenderer(webgl.renderer)})` : "GPU via WebGL",
  };
}

/** The renderer's name in a few words: the software rasteriser's name, else a cut string. */
function shortRenderer(renderer: string): string {
  const software = renderer.match(/swiftshader|llvmpipe|softpipe/i);
  if (software) return software[0];
  return renderer.length > 60 ? renderer.slice(0, 57) + "..." : renderer;
}
