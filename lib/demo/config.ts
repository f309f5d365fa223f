/**
 * The settings of a TrainAndSample run, their defaults (docs/quality.md's fast recipe) and their round trip
 * through a URL query, so that a copied URL reproduces a run.
 *
 * @module
 */

/** The 2-D data sets the demos offer (the book's short names, used in URLs and directives). */
export const DATASETS = ["swissroll", "moons", "ring"] as const;
/**
 * Every data set TrainAndSample trains on: the sampled ones above, the book's exact 2-D mixture
 * (`engine/toy_mixture.ts`), and points the reader draws (a mixture around each point).
 */
export const TRAIN_DATASETS = [...DATASETS, "mixture", "drawn"] as const;
/** The data sets whose density is an exact mixture (exact log-likelihood and score field). */
export const MIXTURE_DATASETS = ["mixture", "drawn"] as const;
/** The noise schedules the demo offers. */
export const SCHEDULES = ["linear", "cosine"] as const;
/** What the network predicts: the noise, the clean point, or the score. */
export const PARAMETERISATIONS = ["eps", "x0", "score"] as const;
/** The reverse-process samplers. */
export const SAMPLERS = ["ddpm", "ddim"] as const;

/** One data set name. */
export type DatasetName = typeof DATASETS[number];
/** The engine's name (`engine/datasets.ts`) for each of the demos' data set names. */
export const ENGINE_DATASET: Readonly<
  Record<DatasetName, "swissRoll" | "twoMoons" | "eightGaussians">
> = Object.freeze({ swissroll: "swissRoll", moons: "twoMoons", ring: "eightGaussians" });
/** One TrainAndSample data set name. */
export type TrainDatasetName = typeof TRAIN_DATASETS[number];
/** What readers see for each data set. */
export const DATASET_LABELS: Readonly<Record<TrainDatasetName, string>> = Object.freeze({
  swissroll: "Swiss roll",
  moons: "Two moons",
  ring: "8-Gaussian ring",
  mixture: "Gaussian mixture",
  drawn: "Points you draw",
});

/**
 * `value` if it is one of `options`, else `fallback`: an island's string prop read as a name.
 *
 * @example
 * ```ts
 * import { DATASETS, oneOf } from "./config.ts";
 * if (oneOf(DATASETS, "moons", "swissroll") !== "moons") throw new Error("a known name");
 * if (oneOf(DATASETS, "nope", "swissroll") !== "swissroll") throw new Error("the fallback");
 * ```
 */
export function oneOf<T extends string>(
  options: readonly T[],
  value: string | undefined,
  fallback: T,
): T {
  return (options as readonly string[]).includes(value ?? "") ? value as T : fallback;
}

/**
 * Whether a data set's density is an exact mixture.
 *
 * @example
 * ```ts
 * import { isMixtureDataset } from "./config.ts";
 * if (!isMixtureDataset("drawn") || isMixtureDataset("swissroll")) throw new Error();
 * ```
 */
export function isMixtureDataset(name: string): name is typeof MIXTURE_DATASETS[number] {
  return (MIXTURE_DATASETS as readonly string[]).includes(name);
}
/** One schedule name. */
export type ScheduleName = typeof SCHEDULES[number];
/** One parameterisation name. */
export type Parameterisation = typeof PARAMETERISATIONS[number];
/** One sampler name. */
export type SamplerName = typeof SAMPLERS[number];

/** Everything that determines a run; a run with the same config and seed repeats itself. */
export interface TrainConfig {
  dataset: TrainDatasetName;
  schedule: ScheduleName;
  /** Number of diffusion steps T. */
  T: number;
  parameterisation: Parameterisation;
  sampler: SamplerName;
  /** DDIM's eta (0 = deterministic, 1 = DDPM-like noise); ignored by DDPM. */
  eta: number;
  /** DDIM's number of sampling steps (at most T); DDPM always takes T. */
  samplerSteps: number;
  /** Adam's peak learning rate (cosine decay over `stepBudget`). */
  lr: number;
  seed: number;
  batchSize: number;
  /** Training stops on its own after this many optimiser steps. */
  stepBudget: number;
}

/**
 * docs/quality.md's fast recipe: the swiss roll reaches MMD^2 < 2e-3 after about 500 steps of
 * batch 512 at lr 1e-2, scored on samples of DDIM with 50 steps and eta = 1 (ancestral steps with
 * the posterior variance, which blurs the thin roll less than DDPM's sigma_t^2 = beta_t).
 */
export const DEFAULT_CONFIG: Readonly<TrainConfig> = Object.freeze({
  dataset: "swissroll",
  schedule: "linear",
  T: 100,
  parameterisation: "eps",
  sampler: "ddim",
  eta: 1,
  samplerSteps: 50,
  lr: 1e-2,
  seed: 1,
  batchSize: 512,
  stepBudget: 4000,
});

/**
 * What the demos' network and optimiser use besides a {@link TrainConfig} (docs/quality.md): a
 * network of width 64 (a step costs about a third of width 128's and the roll needs few more
 * steps) and Adam's second moment decaying at 0.99.
 */
export const DEMO_RECIPE = Object.freeze({ hidden: 64, adamBeta2: 0.99 });

/** The good-samples threshold on MMD^2 (docs/quality.md). */
export const MMD2_THRESHOLD = 2e-3;

type NumKey = "T" | "eta" | "samplerSteps" | "lr" | "seed" | "stepBudget";
const NUMBERS: Record<NumKey, { query: string; min: number; max: number; integer: boolean }> = {
  T: { query: "T", min: 10, max: 1000, integer: true },
  eta: { query: "eta", min: 0, max: 1, integer: false },
  samplerSteps: { query: "steps", min: 2, max: 1000, integer: true },
  lr: { query: "lr", min: 1e-6, max: 1e6, integer: false },
  seed: { query: "seed", min: 0, max: 2 ** 31 - 1, integer: true },
  stepBudget: { query: "budget", min: 1, max: 1_000_000, integer: true },
};
const CHOICES = {
  dataset: { query: "dataset", values: TRAIN_DATASETS },
  schedule: { query: "schedule", values: SCHEDULES },
  parameterisation: { query: "param", values: PARAMETERISATIONS },
  sampler: { query: "sampler", values: SAMPLERS },
} as const;

function fieldProblem(key: keyof TrainConfig, value: unknown): string | undefined {
  if (key in CHOICES) {
    const spec = CHOICES[key as keyof typeof CHOICES];
    if ((spec.values as readonly unknown[]).includes(value)) return undefined;
    return `Cannot use ${key} as it must be one of ${
      spec.values.join(", ")
    }: current value is ${value}`;
  }
  if (key in NUMBERS) {
    const spec = NUMBERS[key as NumKey];
    const v = value as number;
    const ok = typeof v === "number" && Number.isFinite(v) && v >= spec.min && v <= spec.max &&
      (!spec.integer || Number.isInteger(v));
    if (ok) return undefined;
    const kind = spec.integer ? "an integer" : "a number";
    return `Cannot use ${key} as it must be ${kind} in [${spec.min}, ${spec.max}]: current value is ${value}`;
  }
  return undefined;
}

/**
 * Checks a config, returning one message per bad field (empty when it is valid).
 *
 * @param config The config to check.
 * @returns Messages in the form "Cannot use X as ...: current value is Y".
 * @example
 * ```ts
 * import { DEFAULT_CONFIG, validateConfig } from "./config.ts";
 * if (validateConfig(DEFAULT_CONFIG).length !== 0) throw new Error("defaults must be valid");
 * if (validateConfig({ ...DEFAULT_CONFIG, T: 2000 }).length !== 1) throw new Error("T is too big");
 * ```
 */
export function validateConfig(config: TrainConfig): string[] {
  const problems: string[] = [];
  for (const key of [...Object.keys(CHOICES), ...Object.keys(NUMBERS)] as (keyof TrainConfig)[]) {
    const p = fieldProblem(key, config[key]);
    if (p) problems.push(p);
  }
  if (config.samplerSteps > config.T) {
    problems.push(
      `Cannot use samplerSteps as it must be at most T = ${config.T}: current value is ${config.samplerSteps}`,
    );
  }
  return problems;
}

/**
 * Reads a config from a URL query; missing or invalid values fall back to `base`.
 *
 * @param query A query string (`?lr=0.01&seed=3`) or URLSearchParams.
 * @param base The values used where the query says nothing valid.
 * @returns The config and one message per ignored value.
 * @example
 * ```ts
 * import { configFromQuery, DEFAULT_CONFIG } from "./config.ts";
 * const { config, ignored } = configFromQuery("?lr=1000&param=x0&T=abc", DEFAULT_CONFIG);
 * if (config.lr !== 1000 || config.parameterisation !== "x0") throw new Error("query not read");
 * if (config.T !== 100 || ignored.length !== 1) throw new Error("T=abc must be ignored");
 * ```
 */
export function configFromQuery(
  query: string | URLSearchParams,
  base: Readonly<TrainConfig> = DEFAULT_CONFIG,
): { config: TrainConfig; ignored: string[] } {
  const params = typeof query === "string" ? new URLSearchParams(query) : query;
  const config: TrainConfig = { ...base };
  const ignored: string[] = [];
  const tryField = (key: keyof TrainConfig, value: string | number, raw: string) => {
    if (fieldProblem(key, value)) {
      ignored.push(`Cannot use ${key} from the URL: current value is ${raw}`);
    } else Object.assign(config, { [key]: value });
  };
  for (const [key, spec] of Object.entries(CHOICES)) {
    const raw = params.get(spec.query);
    if (raw !== null) tryField(key as keyof TrainConfig, raw, raw);
  }
  for (const key of Object.keys(NUMBERS) as NumKey[]) {
    const raw = params.get(NUMBERS[key].query);
    if (raw === null) continue;
    const value = raw.trim() === "" ? NaN : Number(raw);
    tryField(key, value, raw);
  }
  config.samplerSteps = Math.min(config.samplerSteps, config.T); // DDIM cannot take more than T
  return { config, ignored };
}

/**
 * Writes the settings a reader can change into `params` (other keys are kept), so that the URL
 * reproduces the run.
 *
 * @param config The config to write.
 * @param params The query to update (a copy of the page's, usually).
 * @returns `params`, updated.
 * @example
 * ```ts
 * import { configFromQuery, configToQuery, DEFAULT_CONFIG } from "./config.ts";
 * const c = { ...DEFAULT_CONFIG, lr: 0.01, sampler: "ddim" as const, seed: 9 };
 * const back = configFromQuery(configToQuery(c, new URLSearchParams("x=1"))).config;
 * if (back.lr !== 0.01 || back.sampler !== "ddim" || back.seed !== 9) throw new Error("round trip");
 * ```
 */
export function configToQuery(config: TrainConfig, params: URLSearchParams): URLSearchParams {
  for (const [key, spec] of Object.entries(CHOICES)) {
    params.set(spec.query, String(config[key as keyof typeof CHOICES]));
  }
  for (const [key, spec] of Object.entries(NUMBERS)) {
    params.set(spec.query, String(config[key as NumKey]));
  }
  return params;
}

/**
 * Whether two configs train the same model (sampler settings aside: those only change sampling).
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG, sameTraining } from "./config.ts";
 * if (!sameTraining(DEFAULT_CONFIG, { ...DEFAULT_CONFIG, sampler: "ddim" })) throw new Error("same");
 * if (sameTraining(DEFAULT_CONFIG, { ...DEFAULT_CONFIG, seed: 2 })) throw new Error("differs");
 * ```
 */
export function sameTraining(a: TrainConfig, b: TrainConfig): boolean {
  return a.dataset === b.dataset && a.schedule === b.schedule && a.T === b.T &&
    a.parameterisation === b.parameterisation && a.lr === b.lr && a.seed === b.seed &&
    a.batchSize === b.batchSize && a.stepBudget === b.stepBudget;
}
