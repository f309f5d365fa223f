/**
 * Messages between the "Check on this device" island and its worker (`device_worker.ts`), and the
 * sentence that says in what precision this device computed.
 *
 * @module
 */
import type { ReportRow } from "./harness.ts";
import type { Display } from "../lib/book/typeset/displays.ts";

/** Page -> worker: run one chapter's checks. */
export interface DeviceCheckRequest {
  /** The chapter's file name without `.md`, e.g. `01-reverse-step` (a key of chapter_checks.ts). */
  chapter: string;
  /** Folder URL of tfjs's `.wasm` files, for starting the demos' backend. */
  wasmPaths: string;
  /** Whether the page could create a WebGL context (the worker's probe can miss it). */
  pageWebgl: boolean;
  /**
   * The chapter's labelled display equations as printed (the page has them; the worker has no
   * Markdown), so the worker evaluates the printed LaTeX as `deno task test` does.
   */
  displays?: Display[];
}

/** What the device's tfjs backend is, as the demos would start it. */
export interface DeviceBackend {
  /** The tfjs backend the demos use here (`webgl`, `wasm`, `cpu`), or undefined if none started. */
  backend?: string;
  /** Whether that backend computes in float32 (false: float16 textures). */
  float32?: boolean;
  /** Whether this device's WebGL can render to float32 textures (undefined: no WebGL). */
  webglFloat32?: boolean;
  /** How the backend was chosen, or why none started. */
  reason: string;
}

/** Worker -> page. */
export type DeviceCheckReport =
  | { type: "start"; total: number; labels: string[] }
  | { type: "row"; row: ReportRow }
  | { type: "device"; device: DeviceBackend }
  | { type: "done"; passed: number; failed: number; ms: number }
  | { type: "error"; message: string };

/**
 * One sentence on precision: the checks are plain TypeScript and always compute in float64; the
 * demos compute in whatever the device's tfjs backend offers.
 *
 * @param d the backend the worker found
 * @returns the sentence
 * @example
 * ```ts
 * import { precisionSummary } from "./device_protocol.ts";
 * const s = precisionSummary({ backend: "wasm", float32: true, webglFloat32: false, reason: "" });
 * if (!s.includes("float64") || !s.includes("wasm backend in float32") || !s.includes("float16")) {
 *   throw new Error(s);
 * }
 * ```
 */
export function precisionSummary(d: DeviceBackend): string {
  const checks = "These checks are plain TypeScript: they computed in float64 (JavaScript " +
    "numbers), as on the build machine.";
  if (!d.backend) return `${checks} No tfjs backend started here for the demos: ${d.reason}.`;
  const demos = `The demos run on tfjs's ${d.backend} backend in ${
    d.float32 === false ? "float16" : "float32"
  }`;
  const gpu = d.webglFloat32 === undefined
    ? "; this device has no WebGL"
    : d.webglFloat32
    ? "; WebGL here renders float32 textures"
    : "; WebGL here renders only float16 textures, too coarse for the small betas, so it is not used";
  return `${checks} ${demos}${gpu}.`;
}
