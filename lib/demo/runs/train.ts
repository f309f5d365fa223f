/**
 * The training demos' run (TrainAndSample, ElboTerms, and chapter 2's sampling demos): a data pool,
 * a denoiser, the engine's trainer (Adam, cosine decay, EMA) and its samplers, behind the session's
 * `Run`. It draws samples with a few trajectories (scored by MMD^2 in full pictures), the ELBO's
 * terms and, for mixture data, the learned and exact score fields; it answers questions for a new
 * sampler, another field time, a save, DDPM-vs-DDIM trajectories from one x_T and the chain
 * multiplied by a painted region. Runs in the worker (and under Deno in tests); no formula here.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../../../engine/rng.ts";
import { elboTermsBatch } from "../../../engine/elbo_batch.ts";
import { mixtureLogPdf } from "../../../engine/mixture.ts";
import { loadDenoiser, saveDenoiser } from "../../../engine/model_io.ts";
import { scoreFromEps } from "../../../engine/parameterisation.ts";
import { mmd2 } from "../../../engine/metrics.ts";
import { createDenoiser } from "../../../engine/denoiser.ts";
import { createTrainer } from "../../../engine/train.ts";
import { regionLogRGradTensor, shareInside } from "../../../engine/region.ts";
import { ddimSample, ddpmSample, epsModelFromDenoiser } from "../../../engine/samplers.ts";
import { DEMO_RECIPE, isMixtureDataset, validateConfig } from "../config.ts";
import { dataOf, exactScoreField, scheduleOf } from "../target_data.ts";
import { FIELD_SIDE, fieldGrid } from "../field.ts";
import type { Run } from "../session.ts";
import { likelihoodBesideElbo, sdeVsOde } from "./flow.ts";
import { pinnedInpaint } from "./inpaint.ts";
import { batchReverseMean, panelOf } from "./panel.ts";
import type {
  MultiplyRequest,
  MultiplyResult,
  SamplerSettings,
  TrainParams,
  TrainQuestion,
  TrainView,
  TrajectoriesRequest,
  TrajectoriesResult,
} from "./train_types.ts";

/** Points in the training pool (batches are drawn from it). */
export const POOL_SIZE = 50_000;
/** Samples drawn for MMD^2 (QUALITY.md: n = 2,000). */
export const SAMPLE_COUNT = 2000;
/** Samples drawn for a quick picture between scored ones. */
export const PREVIEW_COUNT = 500;
/** Trajectories drawn on the picture. */
export const TRAJECTORY_COUNT = 8;
/** Data points the ELBO terms are averaged over. */
export const ELBO_COUNT = 256;
/** Most samples one question may ask for. */
export const MAX_REQUEST_SAMPLES = 4000;
/** About this many points along each drawn trajectory. */
const TRAJECTORY_POINTS = 25;
/** Chapter 2's DDPM paths keep every 4th state (T / 4 + 1 points): the picture stays legible. */
const DDPM_PATH_STRIDE = 4;

function checkCount(what: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(
      `Cannot sample as ${what} must be an integer in [1, ${max}]: current value is ${value}`,
    );
  }
}

/**
 * Builds a run for `params` (from a saved model when `init.model` is given).
 *
 * @param params The settings, drawn points and which pictures to draw.
 * @param init A saved denoiser (`saveDenoiser`'s JSON) to start from.
 * @returns The run.
 */
export function createTrainRun(params: TrainParams, init: { model?: string } = {}): Run<TrainView> {
  const problems = validateConfig(params.config);
  if (problems.length > 0) throw new RangeError(problems.join("; "));
  const config = { ...params.config };
  const schedule = scheduleOf(config);
  const { sampleData, mixture } = dataOf(config, params.points);
  const pool = Float32Array.from(sampleData(POOL_SIZE, createRng(config.seed))); // [POOL, 2]
  const reference = sampleData(SAMPLE_COUNT, createRng(config.seed + 7919)); // [n, 2] fresh data
  // [PREVIEW_COUNT, 2] more fresh data for a preview's estimate (a prefix of `reference` would not
  // do: two moons lists one moon, then the other)
  const previewReference = sampleData(PREVIEW_COUNT, createRng(config.seed + 2 * 7919));
  const denoiser = init.model ? loadDenoiser(init.model) : createDenoiser({
    parameterisation: config.parameterisation,
    T: config.T,
    seed: config.seed,
    hidden: params.hidden ?? DEMO_RECIPE.hidden,
  });
  const saved = denoiser.config;
  if (saved.T !== config.T || saved.parameterisation !== config.parameterisation) {
    denoiser.dispose();
    throw new RangeError(
      `Cannot use the saved model as it must match T = ${config.T}, ${config.parameterisation}: ` +
        `current value is T = ${saved.T}, ${saved.parameterisation}`,
    );
  }
  // The ELBO's data points: the same ones (and the same noise) at every evaluation.
  const elboData = sampleData(ELBO_COUNT, createRng(config.seed + 104_729)); // [N, 2]
  const elboLogQ = mixture
    ? Array.from(
      { length: ELBO_COUNT },
      (_, i) => mixtureLogPdf(mixture, elboData.subarray(2 * i, 2 * i + 2)),
    )
    : undefined; // [N] \log q(x_0)
  const trainer = createTrainer(denoiser, schedule, {
    lr: config.lr,
    batchSize: config.batchSize,
    totalSteps: config.stepBudget,
    adamBeta2: DEMO_RECIPE.adamBeta2,
    seed: config.seed,
  });
  const drawSamples = params.samples ?? true;
  const drawElbo = params.elbo ?? isMixtureDataset(config.dataset);
  let sampler: SamplerSettings = {
    sampler: config.sampler,
    eta: config.eta,
    samplerSteps: config.samplerSteps,
  };
  let fieldT = 10;
  let plainCache: { key: string; samples: Float32Array } | undefined;
  const model = () => epsModelFromDenoiser(trainer.emaDenoiser(), schedule); // the EMA weights

  const samples = async (full: boolean, step: number): Promise<TrainView> => {
    const n = full ? SAMPLE_COUNT : PREVIEW_COUNT;
    // The same noise every time (a fixed seed), so successive pictures morph, not flicker.
    const seed = config.seed + 1;
    const result = sampler.sampler === "ddim"
      ? await ddimSample({
        model: model(),
        schedule,
        n,
        seed,
        steps: sampler.samplerSteps,
        eta: sampler.eta,
        trajectory: Math.max(1, Math.round(sampler.samplerSteps / TRAJECTORY_POINTS)),
      })
      : await ddpmSample({
        model: model(),
        schedule,
        n,
        seed,
        trajectory: Math.max(1, Math.round(config.T / TRAJECTORY_POINTS)),
      });
    const panel = panelOf(result, TRAJECTORY_COUNT);
    return {
      kind: "samples",
      step,
      ...panel,
      mmd2: full ? mmd2(panel.points, reference) : NaN,
      // A quick picture's rough MMD^2 against as many fresh points: decides when to score in full.
      estimate: full ? NaN : mmd2(panel.points, previewReference),
    };
  };

  const elboTerms = () =>
    elboTermsBatch(
      schedule,
      elboData,
      2,
      batchReverseMean(model(), schedule),
      createRng(config.seed + 15_485_863),
      { variance: "beta" },
    );
  const elbo = (step: number): TrainView => {
    const r = elboTerms();
    const logQ = elboLogQ ? elboLogQ.reduce((a, b) => a + b, 0) / ELBO_COUNT : NaN; // mean log q
    const gap = elboLogQ
      ? elboLogQ.reduce((a, b, i) => a + b - r.elboPerPoint[i], 0) / ELBO_COUNT
      : NaN;
    return {
      kind: "elbo",
      step,
      prior: r.prior,
      denoising: r.denoising,
      reconstruction: r.reconstruction,
      elbo: r.elbo,
      logQ,
      gap,
      n: ELBO_COUNT,
    };
  };

  const field = (step: number): TrainView | undefined => {
    if (!mixture) return undefined;
    const t = Math.min(fieldT, config.T);
    const grid = fieldGrid(FIELD_SIDE); // [side^2, 2]
    const n = grid.length / 2;
    const eps = tf.tidy(() => model()(tf.tensor2d(Float32Array.from(grid), [n, 2]), t).dataSync()); // [n, 2]
    const learned = Float32Array.from(scoreFromEps(schedule, grid, Float64Array.from(eps), t)); // [n, 2]
    const exact = exactScoreField(mixture, schedule, t);
    return { kind: "field", step, t, side: FIELD_SIDE, learned, exact };
  };

  const trajectories = async (r: TrajectoriesRequest): Promise<TrajectoriesResult> => {
    checkCount("n", r.n, MAX_REQUEST_SAMPLES);
    checkCount("ddimSteps", r.ddimSteps, config.T);
    const rng = createRng(r.noiseSeed);
    const initial = Float32Array.from({ length: 2 * r.n }, () => rng.normal()); // [n, 2] x_T
    const shared = { model: model(), schedule, n: r.n, seed: r.runSeed, initial };
    const ddpm = await ddpmSample({ ...shared, trajectory: DDPM_PATH_STRIDE });
    const ddim = await ddimSample({ ...shared, steps: r.ddimSteps, eta: r.eta, trajectory: 1 });
    return { T: config.T, ddpm: panelOf(ddpm, r.paths), ddim: panelOf(ddim, r.paths) };
  };

  const multiply = async (r: MultiplyRequest): Promise<MultiplyResult> => {
    checkCount("n", r.n, MAX_REQUEST_SAMPLES);
    // The same seed gives both chains the same x_T and the same step noise: a paired comparison.
    const key = `${r.n}/${r.seed}`;
    if (plainCache?.key !== key) {
      const plain = await ddpmSample({ model: model(), schedule, n: r.n, seed: r.seed });
      plainCache = { key, samples: plain.samples };
    }
    const multiplied = await ddpmSample({
      model: model(),
      schedule,
      n: r.n,
      seed: r.seed,
      logRGrad: regionLogRGradTensor(r.region, r.lambda),
      trajectory: DDPM_PATH_STRIDE,
    });
    const plain = plainCache.samples.slice(); // a copy: the cache stays the run's own
    return {
      plain,
      multiplied: panelOf(multiplied, r.paths),
      plainShare: shareInside(r.region, plain),
      multipliedShare: shareInside(r.region, multiplied.samples),
    };
  };

  const render = async (full: boolean, step: number): Promise<TrainView[]> => {
    const views: TrainView[] = [];
    if (drawSamples) views.push(await samples(full, step));
    if (drawElbo && (full || !drawSamples)) views.push(elbo(step));
    const f = field(step);
    if (f) views.push(f);
    return views;
  };

  return {
    budget: config.stepBudget,
    async train(steps) {
      return [(await trainer.trainSteps(pool, steps)).loss];
    },
    render,
    async ask(question, step) {
      const q = question as TrainQuestion;
      switch (q.kind) {
        case "sampler":
          sampler = {
            sampler: q.sampler,
            eta: q.eta,
            samplerSteps: Math.min(q.samplerSteps, config.T),
          };
          return drawSamples ? [await samples(true, step)] : [];
        case "field":
          fieldT = q.t;
          return field(step);
        case "save":
          return { model: await saveDenoiser(trainer.emaDenoiser()), step };
        case "trajectories":
          return await trajectories(q.request);
        case "multiply":
          return await multiply(q.request);
        case "flow":
          checkCount("n", q.request.n, MAX_REQUEST_SAMPLES);
          return await sdeVsOde(model(), schedule, reference, q.request);
        case "inpaint":
          checkCount("n", q.request.n, MAX_REQUEST_SAMPLES);
          return await pinnedInpaint(model(), schedule, reference, q.request);
        case "likelihood":
          return await likelihoodBesideElbo(
            model(),
            schedule,
            elboData,
            elboTerms().elboPerPoint,
            elboLogQ,
            step,
          );
        default:
          throw new RangeError(
            `Cannot answer as the question must be one of sampler, field, save, trajectories, ` +
              `multiply, flow, inpaint, likelihood: current value is ${
                JSON.stringify((q as { kind?: unknown }).kind)
              }`,
          );
      }
    },
    extend: (total) => trainer.extendTo(total),
    dispose() {
      trainer.dispose();
      denoiser.dispose();
    },
  };
}
