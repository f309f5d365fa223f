/**
 * Checking a saved denoiser's text before anything is built, without tfjs (so the page can refuse a
 * bad file before it reaches the worker): the format, bounds on every size field, and finite
 * weights. `model_io.ts` loads what passes.
 *
 * @module
 */
import type { DenoiserConfig } from "./denoiser.ts";

/** The tag and version written into every saved denoiser. */
export const MODEL_FORMAT = "diffusion-book-denoiser/1";

/** The JSON shape of a saved denoiser. */
export interface SavedDenoiser {
  format: typeof MODEL_FORMAT;
  config: DenoiserConfig;
  /** Base64 of little-endian float32 values, by weight name. */
  weights: Record<string, string>;
}

/**
 * Bounds on a saved denoiser, checked before anything is built: far above what the book's demos
 * make (hidden 128, 3 layers, 32-wide time embedding, 6 octaves, T <= 1000; about 280 kB of text),
 * low enough that a file cannot make the page build a network it cannot hold.
 */
export const MODEL_LIMITS = Object.freeze({
  /** Most characters of a saved denoiser's JSON text (16 MiB). */
  maxChars: 16 * 1024 * 1024,
  hidden: 512,
  layers: 8,
  timeEmbedDim: 256,
  fourierOctaves: 16,
  T: 1000,
  numClasses: 64,
});

const LOAD = "Cannot load the denoiser";

/** Integer fields of the config and their ranges. */
const CONFIG_RANGES: readonly [keyof DenoiserConfig, number, number][] = [
  ["hidden", 1, MODEL_LIMITS.hidden],
  ["layers", 1, MODEL_LIMITS.layers],
  ["timeEmbedDim", 2, MODEL_LIMITS.timeEmbedDim],
  ["fourierOctaves", 0, MODEL_LIMITS.fourierOctaves],
  ["T", 1, MODEL_LIMITS.T],
  ["numClasses", 0, MODEL_LIMITS.numClasses],
  ["seed", 0, 2 ** 32 - 1],
];

const show = (v: unknown) => typeof v === "string" ? v.slice(0, 40) : String(v);

/**
 * Checks a saved denoiser's text without building anything: its size, format, every size field of
 * its config, and that each weight is base64 of finite float32 values.
 *
 * @param text The saved JSON.
 * @returns The parsed document and its decoded weights.
 * @throws RangeError "Cannot load the denoiser as ...: current value is ..." on the first problem.
 * @example
 * ```ts
 * import { checkSavedDenoiser, MODEL_FORMAT } from "./model_check.ts";
 * const config = { parameterisation: "eps", hidden: 1000000, layers: 3, fourierOctaves: 6,
 *   timeEmbedDim: 32, T: 10, numClasses: 0, seed: 0 };
 * let message = "";
 * try { checkSavedDenoiser(JSON.stringify({ format: MODEL_FORMAT, config, weights: {} })); }
 * catch (e) { message = String(e); }
 * if (!message.includes("hidden must be an integer in [1, 512]: current value is 1000000")) {
 *   throw new Error(message);
 * }
 * ```
 */
export function checkSavedDenoiser(
  text: string,
): { saved: SavedDenoiser; weights: Record<string, Float32Array> } {
  if (typeof text !== "string" || text.length > MODEL_LIMITS.maxChars) {
    throw new RangeError(
      `${LOAD} as its text must be at most ${MODEL_LIMITS.maxChars} characters: current value is ` +
        `${typeof text === "string" ? text.length : typeof text}`,
    );
  }
  let saved: SavedDenoiser;
  try {
    saved = JSON.parse(text);
  } catch {
    throw new RangeError(`${LOAD} as it is not JSON: current value is ${show(text)}`);
  }
  if (saved?.format !== MODEL_FORMAT) {
    throw new RangeError(
      `${LOAD} as the format must be ${MODEL_FORMAT}: current value is ${show(saved?.format)}`,
    );
  }
  const config = saved.config as unknown as Record<string, unknown> | undefined;
  if (typeof config !== "object" || config === null) {
    throw new RangeError(`${LOAD} as config must be an object: current value is ${show(config)}`);
  }
  for (const [name, min, max] of CONFIG_RANGES) {
    const v = config[name];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      throw new RangeError(
        `${LOAD} as ${name} must be an integer in [${min}, ${max}]: current value is ${show(v)}`,
      );
    }
  }
  if (typeof saved.weights !== "object" || saved.weights === null) {
    throw new RangeError(
      `${LOAD} as weights must be an object: current value is ${show(saved.weights)}`,
    );
  }
  const weights: Record<string, Float32Array> = {};
  for (const [name, value] of Object.entries(saved.weights)) {
    let values: Float32Array;
    try {
      values = fromBase64(value);
    } catch {
      throw new RangeError(
        `${LOAD} as weight ${name} must be base64 of float32 values: current value is ${
          show(value)
        }`,
      );
    }
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new RangeError(
        `${LOAD} as weight ${name} must hold finite numbers: current value is ${
          values[bad]
        } at index ${bad}`,
      );
    }
    weights[name] = values;
  }
  return { saved, weights };
}

/** Float32 values from base64 of their little-endian bytes. */
function fromBase64(text: string): Float32Array {
  if (typeof text !== "string") throw new TypeError("not a string");
  const binary = atob(text);
  if (binary.length % 4 !== 0) throw new RangeError("not a whole number of float32 values");
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const out = new Float32Array(binary.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}
