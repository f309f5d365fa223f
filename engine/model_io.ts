/**
 * Saving and loading a denoiser: its configuration and weights as one JSON string, each weight a
 * base64 string of little-endian float32 values.
 *
 * @module
 */
import { createDenoiser, type Denoiser } from "./denoiser.ts";
import { checkSavedDenoiser, MODEL_FORMAT, type SavedDenoiser } from "./model_check.ts";

export {
  checkSavedDenoiser,
  MODEL_FORMAT,
  MODEL_LIMITS,
  type SavedDenoiser,
} from "./model_check.ts";

function toBase64(values: Float32Array): string {
  const view = new DataView(new ArrayBuffer(4 * values.length));
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  const bytes = new Uint8Array(view.buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Serialises a denoiser (configuration and current weights) to a JSON string.
 *
 * @param denoiser The network (e.g. `trainer.emaDenoiser()` to save the EMA weights).
 * @returns JSON text that {@link loadDenoiser} reads back.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createDenoiser } from "./denoiser.ts";
 * import { saveDenoiser } from "./model_io.ts";
 * await tf.setBackend("cpu");
 * const d = createDenoiser({ parameterisation: "eps", T: 10, seed: 0, hidden: 4 });
 * const saved = JSON.parse(await saveDenoiser(d));
 * if (saved.config.hidden !== 4) throw new Error("config is saved");
 * d.dispose();
 * ```
 */
export async function saveDenoiser(denoiser: Denoiser): Promise<string> {
  const weights = await denoiser.getWeights();
  const encoded: Record<string, string> = {};
  for (const name of denoiser.weightNames) encoded[name] = toBase64(weights[name]);
  const saved: SavedDenoiser = { format: MODEL_FORMAT, config: denoiser.config, weights: encoded };
  return JSON.stringify(saved);
}

/**
 * Rebuilds a denoiser from {@link saveDenoiser}'s JSON text.
 *
 * @param text The saved JSON.
 * @returns A new denoiser owning its weights (dispose it when done).
 * @throws RangeError from {@link checkSavedDenoiser}, or when a weight's length does not fit.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createDenoiser } from "./denoiser.ts";
 * import { loadDenoiser, saveDenoiser } from "./model_io.ts";
 * await tf.setBackend("cpu");
 * const d = createDenoiser({ parameterisation: "x0", T: 10, seed: 0, hidden: 4 });
 * const copy = loadDenoiser(await saveDenoiser(d));
 * if (copy.numParams !== d.numParams) throw new Error("same network");
 * d.dispose();
 * copy.dispose();
 * ```
 */
export function loadDenoiser(text: string): Denoiser {
  const { saved, weights } = checkSavedDenoiser(text); // bounds first: nothing built until then
  const denoiser = createDenoiser(saved.config);
  try {
    denoiser.setWeights(weights);
  } catch (error) {
    denoiser.dispose();
    throw error;
  }
  return denoiser;
}
