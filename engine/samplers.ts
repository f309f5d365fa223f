/**
 * Reverse-process samplers on tfjs: DDPM ancestral sampling (Ho et al., 2020, Algorithm 2) and
 * DDIM (Song et al., 2021), with classifier guidance, classifier-free guidance and the
 * "multiplying distributions" perturbation (Sohl-Dickstein et al., 2015). Each single update also
 * exists in plain float64 TypeScript (`ddpmStepMean`, `ddimStep`), which the tensor versions match.
 *
 * Random numbers come from one seeded stream: first the n * dim normals of x_T, then, for each
 * reverse step that adds noise (in order t = T, T-1, ...), n * dim normals.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Denoiser } from "./denoiser.ts";
import { createRng, type Rng } from "./rng.ts";
import { assertTimestep, type Schedule } from "./schedule.ts";

/** A noise predictor: eps for the whole batch x_t [B, dim] at the integer time t in 1..T. */
export type EpsModel = (x: tf.Tensor2D, t: number) => tf.Tensor2D;

/** Variance of the DDPM reverse step: sigma_t^2 = beta_t, or the posterior variance betaTilde_t. */
export type SigmaChoice = "beta" | "betaTilde";

/**
 * Turns a denoiser into an eps model, converting x_0 and score outputs with the schedule:
 * eps = (x_t - sqrt(alphaBar_t) x0) / sqrt(1 - alphaBar_t), eps = -sqrt(1 - alphaBar_t) score.
 *
 * @param denoiser Any parameterisation.
 * @param schedule The schedule it was trained with.
 * @param label Class to condition on (conditional models; omitted: the null label).
 * @returns The eps model.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createDenoiser } from "./denoiser.ts";
 * import { epsModelFromDenoiser } from "./samplers.ts";
 * import { linearSchedule } from "./schedule.ts";
 * await tf.setBackend("cpu");
 * const d = createDenoiser({ parameterisation: "x0", T: 10, seed: 0, hidden: 4 });
 * const eps = tf.tidy(() => epsModelFromDenoiser(d, linearSchedule(10))(tf.zeros([3, 2]), 5));
 * if (eps.shape.join() !== "3,2") throw new Error("one eps per point");
 * eps.dispose();
 * d.dispose();
 * ```
 */
export function epsModelFromDenoiser(
  denoiser: Denoiser,
  schedule: Schedule,
  label?: number,
): EpsModel {
  const p = denoiser.config.parameterisation;
  return (x, t) => {
    assertTimestep(schedule, t);
    const B = x.shape[0];
    const times = tf.fill([B], t, "int32") as tf.Tensor1D; // [B]
    const y = label === undefined ? undefined : tf.fill([B], label, "int32") as tf.Tensor1D; // [B]
    const out = denoiser.apply(x, times, y); // [B, 2]
    const sqrtOneMinus = Math.sqrt(1 - schedule.alphaBars[t]); // \sqrt{1-\bar\alpha_t}
    if (p === "eps") return out;
    if (p === "score") return tf.mul(out, -sqrtOneMinus); // \epsilon = -\sqrt{1-\bar\alpha_t} s
    const sqrtAlphaBar = Math.sqrt(schedule.alphaBars[t]);
    return tf.div(tf.sub(x, tf.mul(out, sqrtAlphaBar)), sqrtOneMinus); // [B, 2]
  };
}

/**
 * Classifier-free guidance: eps = (1 + w) eps(x_t | y) - w eps(x_t). Convention: w = 0 is the plain
 * conditional model, w > 0 sharpens towards y; in the book's gamma form gamma = 1 + w.
 *
 * @param condModel eps model given the label.
 * @param uncondModel eps model without a label.
 * @param w Guidance weight.
 * @returns The guided eps model.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { classifierFreeEpsModel } from "./samplers.ts";
 * await tf.setBackend("cpu");
 * const m = classifierFreeEpsModel((x) => tf.onesLike(x), (x) => tf.zerosLike(x), 2);
 * const v = tf.tidy(() => m(tf.zeros([1, 2]), 1).dataSync());
 * if (v[0] !== 3) throw new Error("(1 + 2) * 1 - 2 * 0 = 3");
 * ```
 */
export function classifierFreeEpsModel(
  condModel: EpsModel,
  uncondModel: EpsModel,
  w: number,
): EpsModel {
  return (x, t) => tf.sub(tf.mul(condModel(x, t), 1 + w), tf.mul(uncondModel(x, t), w)); // [B, d]
}

/**
 * Classifier guidance: eps~ = eps - sqrt(1 - alphaBar_t) * scale * grad_x log p(y | x_t), i.e. the
 * score grad log p(x_t) + scale * grad log p(y | x_t) written as a noise prediction.
 *
 * @param model Unconditional eps model.
 * @param schedule The schedule.
 * @param classifierGrad grad_x log p(y | x_t) for the whole batch at time t.
 * @param scale Guidance scale gamma (1: exact conditional under an exact classifier).
 * @returns The guided eps model.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { classifierGuidedEpsModel } from "./samplers.ts";
 * import { linearSchedule } from "./schedule.ts";
 * await tf.setBackend("cpu");
 * const s = linearSchedule(10);
 * const m = classifierGuidedEpsModel((x) => tf.zerosLike(x), s, (x) => tf.onesLike(x), 2);
 * const v = tf.tidy(() => m(tf.zeros([1, 2]), 10).dataSync());
 * if (Math.abs(v[0] + 2 * Math.sqrt(1 - s.alphaBars[10])) > 1e-6) throw new Error("shift");
 * ```
 */
export function classifierGuidedEpsModel(
  model: EpsModel,
  schedule: Schedule,
  classifierGrad: (x: tf.Tensor2D, t: number) => tf.Tensor2D,
  scale: number,
): EpsModel {
  return (x, t) => {
    const c = Math.sqrt(1 - schedule.alphaBars[t]) * scale; // \sqrt{1-\bar\alpha_t} \gamma
    return tf.sub(model(x, t), tf.mul(classifierGrad(x, t), c)); // [B, d]
  };
}

/**
 * The DDPM reverse-step mean in float64 (`eq:eps-mean`, the mean of `eq:ddpm-step`):
 * mu_theta(x_t, t) = (x_t - beta_t / sqrt(1 - alphaBar_t) epsHat) / sqrt(alpha_t).
 *
 * @param schedule The schedule.
 * @param xt Current points, flat.
 * @param epsHat Predicted noise, same length.
 * @param t Step in 1..T.
 * @returns The mean of x_{t-1}.
 * @example
 * ```ts
 * import { ddpmStepMean } from "./samplers.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const s = linearSchedule(10);
 * const m = ddpmStepMean(s, [1], [0], 3);
 * if (Math.abs(m[0] - 1 / Math.sqrt(s.alphas[3])) > 1e-15) throw new Error("x / sqrt(alpha)");
 * ```
 */
export function ddpmStepMean(
  schedule: Schedule,
  xt: ArrayLike<number>,
  epsHat: ArrayLike<number>,
  t: number,
): Float64Array {
  assertTimestep(schedule, t);
  const c = schedule.betas[t] / Math.sqrt(1 - schedule.alphaBars[t]);
  const out = new Float64Array(xt.length);
  for (let i = 0; i < xt.length; i++) {
    out[i] = (xt[i] - c * epsHat[i]) / Math.sqrt(schedule.alphas[t]); // \mu_\theta(x_t, t)
  }
  return out;
}

/**
 * Standard deviation sigma_t of the DDPM reverse step.
 *
 * @example
 * ```ts
 * import { ddpmSigma } from "./samplers.ts";
 * import { linearSchedule } from "./schedule.ts";
 * if (ddpmSigma(linearSchedule(10), 1, "betaTilde") !== 0) throw new Error("betaTilde_1 = 0");
 * ```
 */
export function ddpmSigma(schedule: Schedule, t: number, sigma: SigmaChoice = "beta"): number {
  assertTimestep(schedule, t);
  return Math.sqrt(sigma === "beta" ? schedule.betas[t] : schedule.betaTildes[t]);
}

/** Coefficients of the DDIM update x_prev = a x_t + b epsHat + sigma z. */
function ddimCoefficients(schedule: Schedule, t: number, tPrev: number, eta: number) {
  assertTimestep(schedule, t);
  if (!Number.isInteger(tPrev) || tPrev < 0 || tPrev >= t) {
    throw new RangeError(
      `Cannot take a DDIM step as tPrev must be an integer in [0, ${t - 1}]: ` +
        `current value is ${tPrev}`,
    );
  }
  const aT = schedule.alphaBars[t], aPrev = schedule.alphaBars[tPrev];
  // \sigma = \eta \sqrt{(1-\bar\alpha_{prev})/(1-\bar\alpha_t)} \sqrt{1-\bar\alpha_t/\bar\alpha_{prev}}
  const sigma = eta * Math.sqrt((1 - aPrev) / (1 - aT)) * Math.sqrt(1 - aT / aPrev);
  const direction = Math.sqrt(Math.max(0, 1 - aPrev - sigma * sigma));
  const a = Math.sqrt(aPrev / aT);
  const b = direction - Math.sqrt((aPrev * (1 - aT)) / aT);
  return { a, b, sigma, direction };
}

/**
 * One DDIM update in float64 (`eq:ddim-step`): x0Hat = (x_t - sqrt(1 - alphaBar_t) epsHat) / sqrt(alphaBar_t),
 * x_prev = sqrt(alphaBar_prev) x0Hat + sqrt(1 - alphaBar_prev - sigma^2) epsHat + sigma z, with
 * sigma = eta sqrt((1 - alphaBar_prev) / (1 - alphaBar_t)) sqrt(1 - alphaBar_t / alphaBar_prev).
 * tPrev = 0 (alphaBar_0 = 1) returns x0Hat.
 *
 * @param schedule The schedule.
 * @param xt Current points, flat.
 * @param epsHat Predicted noise.
 * @param t Current step in 1..T.
 * @param tPrev Next step in 0..t-1.
 * @param eta 0: deterministic; 1 with tPrev = t - 1: DDPM with sigma_t^2 = betaTilde_t.
 * @param noise Standard normals z (needed when sigma > 0).
 * @returns x_{tPrev}.
 * @example
 * ```ts
 * import { ddimStep } from "./samplers.ts";
 * import { linearSchedule } from "./schedule.ts";
 * const s = linearSchedule(10);
 * const x0 = ddimStep(s, [1], [0.5], 4, 0, 0);
 * const expected = (1 - Math.sqrt(1 - s.alphaBars[4]) * 0.5) / Math.sqrt(s.alphaBars[4]);
 * if (Math.abs(x0[0] - expected) > 1e-14) throw new Error("tPrev = 0 gives x0Hat");
 * ```
 */
export function ddimStep(
  schedule: Schedule,
  xt: ArrayLike<number>,
  epsHat: ArrayLike<number>,
  t: number,
  tPrev: number,
  eta = 0,
  noise?: ArrayLike<number>,
): Float64Array {
  ddimCoefficients(schedule, t, tPrev, eta); // checks t and tPrev
  const alphaBar = schedule.alphaBars[t], alphaBarPrev = schedule.alphaBars[tPrev];
  const sigma = eta * Math.sqrt((1 - alphaBarPrev) / (1 - alphaBar)) *
    Math.sqrt(1 - alphaBar / alphaBarPrev); // \sigma_t, eq:ddim-step
  if (sigma > 0 && (!noise || noise.length < xt.length)) {
    throw new RangeError(
      `Cannot take a stochastic DDIM step as noise must hold ${xt.length} values: ` +
        `current length is ${noise ? noise.length : "missing"}`,
    );
  }
  const out = new Float64Array(xt.length);
  for (let i = 0; i < xt.length; i++) {
    const x0Hat = (xt[i] - Math.sqrt(1 - alphaBar) * epsHat[i]) / Math.sqrt(alphaBar); // \hat x_0
    const z = sigma > 0 ? noise![i] : 0;
    out[i] = Math.sqrt(alphaBarPrev) * x0Hat + // \sqrt{\bar\alpha_{t-1}} \hat x_0
      Math.sqrt(Math.max(0, 1 - alphaBarPrev - sigma * sigma)) * epsHat[i] + // direction to x_t
      sigma * z; // fresh noise
  }
  return out;
}

/**
 * The DDPM update on tensors: mu + sigma_t z, with the mean optionally shifted by
 * sigma_t^2 grad log r(mu) (multiplying distributions).
 *
 * @param schedule The schedule.
 * @param x [B, d] x_t.
 * @param eps [B, d] predicted noise.
 * @param t Step in 1..T.
 * @param sigma sigma_t.
 * @param noise [B, d] standard normals, or null for no noise (the last step).
 * @param logRGrad grad log r, evaluated at the mean.
 * @returns [B, d] x_{t-1}.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { ddpmStepTensor } from "./samplers.ts";
 * import { linearSchedule } from "./schedule.ts";
 * await tf.setBackend("cpu");
 * const s = linearSchedule(10);
 * const v = tf.tidy(() => ddpmStepTensor(s, tf.ones([1, 1]), tf.zeros([1, 1]), 3, 0, null).dataSync());
 * if (Math.abs(v[0] - 1 / Math.sqrt(s.alphas[3])) > 1e-6) throw new Error("x / sqrt(alpha)");
 * ```
 */
export function ddpmStepTensor(
  schedule: Schedule,
  x: tf.Tensor2D,
  eps: tf.Tensor2D,
  t: number,
  sigma: number,
  noise: tf.Tensor2D | null,
  logRGrad?: (x: tf.Tensor2D) => tf.Tensor2D,
): tf.Tensor2D {
  assertTimestep(schedule, t);
  const c1 = 1 / Math.sqrt(schedule.alphas[t]); // 1 / \sqrt{\alpha_t}
  const c2 = schedule.betas[t] /
    (Math.sqrt(1 - schedule.alphaBars[t]) * Math.sqrt(schedule.alphas[t]));
  let mean: tf.Tensor2D = tf.sub(tf.mul(x, c1), tf.mul(eps, c2)); // [B, d] \mu_\theta
  if (logRGrad && sigma > 0) mean = tf.add(mean, tf.mul(logRGrad(mean), sigma * sigma)); // + \sigma^2 \nabla \log r
  return noise ? tf.add(mean, tf.mul(noise, sigma)) : mean; // [B, d]
}

/**
 * The DDIM update on tensors (see {@link ddimStep}).
 *
 * @param schedule The schedule.
 * @param x [B, d] x_t.
 * @param eps [B, d] predicted noise.
 * @param t Current step.
 * @param tPrev Next step (0 at the end).
 * @param eta Stochasticity.
 * @param noise [B, d] standard normals, or null (used only when sigma > 0).
 * @returns [B, d] x_{tPrev}.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { ddimStepTensor } from "./samplers.ts";
 * import { linearSchedule } from "./schedule.ts";
 * await tf.setBackend("cpu");
 * const s = linearSchedule(10);
 * const v = tf.tidy(() => ddimStepTensor(s, tf.ones([1, 1]), tf.zeros([1, 1]), 10, 0, 0, null));
 * const got = v.dataSync()[0];
 * v.dispose();
 * if (Math.abs(got - 1 / Math.sqrt(s.alphaBars[10])) > 1e-5) throw new Error("x / sqrt(alphaBar)");
 * ```
 */
export function ddimStepTensor(
  schedule: Schedule,
  x: tf.Tensor2D,
  eps: tf.Tensor2D,
  t: number,
  tPrev: number,
  eta: number,
  noise: tf.Tensor2D | null,
): tf.Tensor2D {
  const { a, b, sigma } = ddimCoefficients(schedule, t, tPrev, eta);
  const next: tf.Tensor2D = tf.add(tf.mul(x, a), tf.mul(eps, b)); // [B, d]
  return sigma > 0 && noise ? tf.add(next, tf.mul(noise, sigma)) : next;
}

/** Options shared by both samplers. */
export interface SamplerOptions {
  /** The (unconditional or conditional) eps model. */
  model: EpsModel;
  /** The schedule the model was trained with. */
  schedule: Schedule;
  /** Number of samples. */
  n: number;
  /** Seed of x_T and of the noise. */
  seed: number;
  /** Dimension of each point (2). */
  dim?: number;
  /**
   * Start from these x_T (flat [n, dim]) instead of drawing them; the seed then drives only the
   * noise of the steps, so two runs from the same x_T can differ in their noise.
   */
  initial?: ArrayLike<number>;
  /** Keep x_T and every k-th x_t (t % k = 0, so x_0 is last); `true` means k = 1. */
  trajectory?: boolean | number;
  /** Classifier guidance: grad_x log p(y | x_t) at time t. */
  classifierGrad?: (x: tf.Tensor2D, t: number) => tf.Tensor2D;
  /** Classifier guidance scale gamma (1). */
  guidanceScale?: number;
  /** Classifier-free guidance: the unconditional model (`model` is then the conditional one). */
  uncondModel?: EpsModel;
  /** Classifier-free guidance weight w: eps = (1 + w) eps_c - w eps_u (0). */
  guidanceWeight?: number;
}

/** Options of {@link ddpmSample}. */
export interface DdpmOptions extends SamplerOptions {
  /** sigma_t^2 = beta_t (default) or betaTilde_t. */
  sigma?: SigmaChoice;
  /** Multiplying distributions: grad log r(x); each step's mean is shifted by sigma_t^2 grad log r. */
  logRGrad?: (x: tf.Tensor2D) => tf.Tensor2D;
}

/** Options of {@link ddimSample}. */
export interface DdimOptions extends SamplerOptions {
  /** Number of evenly spaced steps (tau_i = round(i T / S)), or the ascending list of steps (T). */
  steps?: number | readonly number[];
  /** 0: deterministic DDIM; 1: DDPM-like noise (0). */
  eta?: number;
}

/** What a sampler returns. */
export interface SampleResult {
  /** Final points x_0, flat [n, dim]. */
  samples: Float32Array;
  /** Kept states from x_T down to x_0, each flat [n, dim] (when asked). */
  trajectory?: Float32Array[];
}

function normals(rng: Rng, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.normal();
  return out;
}

function guidedModel(opts: SamplerOptions): EpsModel {
  let model = opts.model;
  if (opts.uncondModel) {
    model = classifierFreeEpsModel(model, opts.uncondModel, opts.guidanceWeight ?? 0);
  }
  if (opts.classifierGrad) {
    model = classifierGuidedEpsModel(
      model,
      opts.schedule,
      opts.classifierGrad,
      opts.guidanceScale ?? 1,
    );
  }
  return model;
}

function trajectoryEvery(trajectory: boolean | number | undefined): number {
  if (trajectory === undefined || trajectory === false) return 0;
  if (trajectory === true) return 1;
  if (!Number.isInteger(trajectory) || trajectory < 1) {
    throw new RangeError(
      `Cannot keep a trajectory as its stride must be a positive integer: current value is ${trajectory}`,
    );
  }
  return trajectory;
}

/**
 * The list of DDIM steps: S evenly spaced steps round(i T / S), i = 1..S, or a given ascending list.
 *
 * @example
 * ```ts
 * import { ddimTimesteps } from "./samplers.ts";
 * if (ddimTimesteps(100, 4).join() !== "25,50,75,100") throw new Error("evenly spaced");
 * ```
 */
export function ddimTimesteps(T: number, steps: number | readonly number[] = T): number[] {
  if (typeof steps !== "number") {
    steps.forEach((t, i) => {
      if (!Number.isInteger(t) || t < 1 || t > T || (i > 0 && t <= steps[i - 1])) {
        throw new RangeError(
          `Cannot use DDIM steps as they must be ascending integers in [1, ${T}]: ` +
            `current value is ${steps.join(",")}`,
        );
      }
    });
    return [...steps];
  }
  if (!Number.isInteger(steps) || steps < 1 || steps > T) {
    throw new RangeError(
      `Cannot use DDIM steps as their number must be an integer in [1, ${T}]: current value is ${steps}`,
    );
  }
  return Array.from({ length: steps }, (_, i) => Math.round(((i + 1) * T) / steps));
}

async function runChain(
  opts: SamplerOptions,
  times: number[], // descending, each step goes from times[i] to times[i + 1] (last is 0)
  step: (x: tf.Tensor2D, t: number, tPrev: number, rng: Rng) => tf.Tensor2D,
): Promise<SampleResult> {
  const dim = opts.dim ?? 2;
  if (!Number.isInteger(opts.n) || opts.n < 1) {
    throw new RangeError(
      `Cannot sample as n must be a positive integer: current value is ${opts.n}`,
    );
  }
  const every = trajectoryEvery(opts.trajectory);
  const rng = createRng(opts.seed);
  if (opts.initial && opts.initial.length !== opts.n * dim) {
    throw new RangeError(
      `Cannot sample from the given x_T as it must hold n * dim = ${opts.n * dim} values: ` +
        `current length is ${opts.initial.length}`,
    );
  }
  let x: tf.Tensor2D = opts.initial
    ? tf.tensor2d(Float32Array.from(opts.initial), [opts.n, dim]) // [n, d] the given x_T
    : tf.tensor2d(normals(rng, opts.n * dim), [opts.n, dim]); // [n, d] x_T ~ N(0, I)
  const trajectory: Float32Array[] = [];
  if (every) trajectory.push((await x.data()) as Float32Array);
  try {
    for (let i = 0; i + 1 < times.length; i++) {
      const t = times[i], tPrev = times[i + 1];
      const next = tf.tidy(() => step(x, t, tPrev, rng)); // [n, d]
      x.dispose();
      x = next;
      if (every && tPrev % every === 0) trajectory.push((await x.data()) as Float32Array);
    }
    const samples = (await x.data()) as Float32Array;
    return every ? { samples, trajectory } : { samples };
  } finally {
    x.dispose();
  }
}

/**
 * DDPM ancestral sampling (Algorithm 2, `eq:ddpm-step`): x_T ~ N(0, I); for t = T..1,
 * x_{t-1} = mu_theta(x_t, t) + sigma_t z with z ~ N(0, I) for t > 1 and z = 0 at t = 1.
 *
 * @param opts Model, schedule, n, seed and options (guidance, logRGrad, trajectory, sigma).
 * @returns The samples, and the trajectory when asked.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { ddpmSample } from "./samplers.ts";
 * import { linearSchedule } from "./schedule.ts";
 * await tf.setBackend("cpu");
 * // The exact eps model of N(0, I) data is eps = sqrt(1 - alphaBar_t) x_t.
 * const schedule = linearSchedule(20);
 * const model = (x: tf.Tensor2D, t: number) => tf.mul(x, Math.sqrt(1 - schedule.alphaBars[t])) as tf.Tensor2D;
 * const { trajectory } = await ddpmSample({ model, schedule, n: 4, seed: 0, trajectory: true });
 * if (trajectory!.length !== 21) throw new Error("x_T, ..., x_0 is T + 1 states");
 * ```
 */
export function ddpmSample(opts: DdpmOptions): Promise<SampleResult> {
  const { schedule } = opts;
  const model = guidedModel(opts);
  const dim = opts.dim ?? 2;
  const times = Array.from({ length: schedule.T + 1 }, (_, i) => schedule.T - i); // T..0
  return runChain(opts, times, (x, t, _tPrev, rng) => {
    const sigma = ddpmSigma(schedule, t, opts.sigma ?? "beta");
    const noise = t > 1 ? tf.tensor2d(normals(rng, opts.n * dim), [opts.n, dim]) : null; // [n, d]
    return ddpmStepTensor(schedule, x, model(x, t), t, sigma, noise, opts.logRGrad);
  });
}

/**
 * DDIM sampling over a subset of steps tau_S > ... > tau_1 > 0 (see {@link ddimStep}); eta = 0 is
 * deterministic given x_T.
 *
 * @param opts Model, schedule, n, seed, steps, eta and guidance options.
 * @returns The samples, and the trajectory when asked (x_T, then x_tau kept by the stride, x_0).
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { ddimSample } from "./samplers.ts";
 * import { linearSchedule } from "./schedule.ts";
 * await tf.setBackend("cpu");
 * const schedule = linearSchedule(20);
 * const model = (x: tf.Tensor2D, t: number) => tf.mul(x, Math.sqrt(1 - schedule.alphaBars[t])) as tf.Tensor2D;
 * const { trajectory } = await ddimSample({ model, schedule, n: 4, seed: 0, steps: 5, trajectory: true });
 * if (trajectory!.length !== 6) throw new Error("x_T and 5 more states");
 * ```
 */
export function ddimSample(opts: DdimOptions): Promise<SampleResult> {
  const { schedule } = opts;
  const model = guidedModel(opts);
  const dim = opts.dim ?? 2;
  const eta = opts.eta ?? 0;
  const tau = ddimTimesteps(schedule.T, opts.steps);
  const times = [...tau.reverse(), 0]; // tau_S, ..., tau_1, 0
  // A trajectory stride counts DDIM steps, not diffusion steps: keep every k-th state.
  const every = trajectoryEvery(opts.trajectory);
  return runChain(
    { ...opts, trajectory: every ? 1 : false },
    times,
    (x, t, tPrev, rng) => {
      const sigmaPositive = eta > 0 && tPrev > 0;
      const noise = sigmaPositive ? tf.tensor2d(normals(rng, opts.n * dim), [opts.n, dim]) : null;
      return ddimStepTensor(schedule, x, model(x, t), t, tPrev, eta, noise);
    },
  ).then((result) => {
    if (!every || every === 1 || !result.trajectory) return result;
    const kept = result.trajectory.filter((_, i) =>
      i === 0 || i % every === 0 || i === result.trajectory!.length - 1
    );
    return { samples: result.samples, trajectory: kept };
  });
}
