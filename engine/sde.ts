/**
 * The variance-preserving SDE of Chapter 6, dx = -1/2 beta(tau) x dtau + sqrt(beta(tau)) dW on
 * tau in [0, 1], with beta(tau) linear from betaMin to betaMax (Song et al., 2021): its marginals, the
 * discrete schedule it corresponds to, the reverse-time SDE and probability-flow ODE drifts, and
 * float64 samplers that integrate them for a score given as a function of one point.
 *
 * Continuous time is written tau to keep t for the integer steps 1..T of the discrete chain;
 * step t of a T-step chain sits at tau = t / T.
 *
 * @module
 */
import { createMixture, type Mixture, mixtureScore } from "./mixture.ts";
import type { Rng } from "./rng.ts";
import { type Schedule, scheduleFromBetas } from "./schedule.ts";
import { assertPositive } from "./vector.ts";

/** A VP SDE with beta(tau) = betaMin + tau (betaMax - betaMin). */
export interface VpSde {
  readonly betaMin: number;
  readonly betaMax: number;
}

/** A time-dependent score of one point: grad_x log p_tau(x). */
export type TimeScore = (x: Float64Array, tau: number) => ArrayLike<number>;

/**
 * A linear VP SDE. The defaults (0.1, 20) are Song et al.'s and match the book's linear schedule:
 * `linearSchedule(T, 0.1 / T, 20 / T)` has beta_t = beta((t - 1)/(T - 1)) / T.
 *
 * @example
 * ```ts
 * import { linearVpSde, vpBeta } from "./sde.ts";
 * if (Math.abs(vpBeta(linearVpSde(), 0.5) - 10.05) > 1e-12) throw new Error("0.1 + 0.5 * 19.9");
 * ```
 */
export function linearVpSde(betaMin = 0.1, betaMax = 20): VpSde {
  assertPositive(betaMin, "build a VP SDE", "betaMin");
  if (!(betaMax >= betaMin)) {
    throw new RangeError(
      `Cannot build a VP SDE as betaMax must be >= betaMin = ${betaMin}: current value is ${betaMax}`,
    );
  }
  return Object.freeze({ betaMin, betaMax });
}

function assertTau(tau: number, action: string): void {
  if (!(tau >= 0 && tau <= 1)) {
    throw new RangeError(`Cannot ${action} as tau must be in [0, 1]: current value is ${tau}`);
  }
}

/** beta(tau), the SDE's noise rate at time tau. */
export function vpBeta(sde: VpSde, tau: number): number {
  assertTau(tau, "evaluate beta(tau)");
  return sde.betaMin + tau * (sde.betaMax - sde.betaMin);
}

/**
 * B(tau) = integral_0^tau beta(s) ds = betaMin tau + (betaMax - betaMin) tau^2 / 2.
 *
 * @example
 * ```ts
 * import { linearVpSde, vpBetaIntegral } from "./sde.ts";
 * if (Math.abs(vpBetaIntegral(linearVpSde(1, 3), 1) - 2) > 1e-15) throw new Error("1 + 2/2");
 * ```
 */
export function vpBetaIntegral(sde: VpSde, tau: number): number {
  assertTau(tau, "integrate beta");
  return sde.betaMin * tau + 0.5 * (sde.betaMax - sde.betaMin) * tau * tau;
}

/**
 * The continuous alphaBar(tau) = exp(-B(tau)) of `eq:vp-marginal`: the SDE's marginal given x_0 is
 * N(sqrt(alphaBar(tau)) x_0, (1 - alphaBar(tau)) I).
 *
 * @example
 * ```ts
 * import { linearVpSde, vpAlphaBar } from "./sde.ts";
 * if (vpAlphaBar(linearVpSde(), 0) !== 1 || !(vpAlphaBar(linearVpSde(), 1) < 5e-5)) throw new Error();
 * ```
 */
export function vpAlphaBar(sde: VpSde, tau: number): number {
  return Math.exp(-vpBetaIntegral(sde, tau));
}

/**
 * q_tau for mixture data under the SDE (`eq:vp-marginal`): component k becomes
 * N(sqrt(alphaBar(tau)) mu_k, (alphaBar(tau) v_k + 1 - alphaBar(tau)) I); tau = 0 returns m.
 *
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * import { linearVpSde, vpAlphaBar, vpMixtureMarginal } from "./sde.ts";
 * const m = createMixture({ weights: [1], means: [2], variances: [0.5] });
 * const a = vpAlphaBar(linearVpSde(), 0.3), q = vpMixtureMarginal(m, linearVpSde(), 0.3);
 * if (Math.abs(q.variances[0] - (0.5 * a + 1 - a)) > 1e-15) throw new Error();
 * ```
 */
export function vpMixtureMarginal(m: Mixture, sde: VpSde, tau: number): Mixture {
  if (tau === 0) return m;
  const a = vpAlphaBar(sde, tau), s = Math.sqrt(a);
  return createMixture({
    weights: m.weights,
    means: m.means.map((mu) => mu.map((v) => s * v)), // \sqrt{\bar\alpha(\tau)} \mu_k
    variances: m.variances.map((v) => a * v + 1 - a), // \bar\alpha(\tau) v_k + 1 - \bar\alpha(\tau)
    labels: m.labels,
  });
}

/**
 * The exact score of mixture data along the SDE, s(x, tau) = grad log q_tau(x) (`eq:vp-marginal`),
 * as a {@link TimeScore}; it keeps the marginal of the last tau it saw, since samplers ask for one
 * tau for many points in a row.
 *
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * import { linearVpSde, vpMixtureScore } from "./sde.ts";
 * const m = createMixture({ weights: [1], means: [0], variances: [1] });
 * // N(0, 1) data stays N(0, 1): score -x
 * if (vpMixtureScore(m, linearVpSde())(Float64Array.of(0.5), 0.7)[0] !== -0.5) throw new Error();
 * ```
 */
export function vpMixtureScore(m: Mixture, sde: VpSde): TimeScore {
  let lastTau = NaN, q = m;
  return (x, tau) => {
    if (tau !== lastTau) {
      q = vpMixtureMarginal(m, sde, tau);
      lastTau = tau;
    }
    return mixtureScore(q, x);
  };
}

/**
 * The T-step discrete schedule that samples the SDE at tau = t / T, `eq:vp-discretisation`.
 * `"exact"`: beta_t = 1 - exp(-(B(t/T) - B((t-1)/T))), so that alphaBar_t = alphaBar(t/T) exactly;
 * `"euler"`: beta_t = beta(t/T) / T, the first-order approximation the DDPM chain is.
 *
 * @example
 * ```ts
 * import { linearVpSde, vpAlphaBar, vpScheduleFromSde } from "./sde.ts";
 * const s = vpScheduleFromSde(linearVpSde(), 50, "exact");
 * if (Math.abs(s.alphaBars[25] - vpAlphaBar(linearVpSde(), 0.5)) > 1e-14) throw new Error();
 * ```
 */
export function vpScheduleFromSde(
  sde: VpSde,
  T: number,
  kind: "exact" | "euler" = "euler",
): Schedule {
  if (!Number.isInteger(T) || T < 1) {
    throw new RangeError(
      `Cannot discretise the VP SDE as T must be a positive integer: current value is ${T}`,
    );
  }
  const betas = Float64Array.from({ length: T }, (_, i) => {
    const t = i + 1;
    if (kind === "euler") return vpBeta(sde, t / T) / T; // \beta_t \approx \beta(t/T) \Delta\tau
    return -Math.expm1(-(vpBetaIntegral(sde, t / T) - vpBetaIntegral(sde, i / T)));
  });
  return scheduleFromBetas(betas);
}

/** The forward drift f(x, tau) = -1/2 beta(tau) x of `eq:vp-sde`. */
export function vpDrift(sde: VpSde, tau: number, x: ArrayLike<number>): Float64Array {
  const b = vpBeta(sde, tau);
  return Float64Array.from(x, (v) => -0.5 * b * v);
}

/**
 * The reverse-time SDE's drift, `eq:reverse-sde`: f - g^2 s = -1/2 beta x - beta s, to be integrated
 * from tau = 1 down to 0 with fresh noise sqrt(beta) dW.
 *
 * @example
 * ```ts
 * import { linearVpSde, reverseSdeDrift } from "./sde.ts";
 * const d = reverseSdeDrift(linearVpSde(2, 2), 0.5, [1], [-1]); // -1 + 2
 * if (d[0] !== 1) throw new Error(`${d[0]}`);
 * ```
 */
export function reverseSdeDrift(
  sde: VpSde,
  tau: number,
  x: ArrayLike<number>,
  score: ArrayLike<number>,
): Float64Array {
  const b = vpBeta(sde, tau);
  return Float64Array.from(x, (v, i) => -0.5 * b * v - b * score[i]); // f - g^2 s
}

/**
 * The probability-flow ODE's velocity, `eq:probability-flow`: f - 1/2 g^2 s = -1/2 beta (x + s).
 *
 * @example
 * ```ts
 * import { linearVpSde, probabilityFlowDrift } from "./sde.ts";
 * // N(0, I) is stationary: s = -x, the velocity vanishes
 * if (probabilityFlowDrift(linearVpSde(), 0.3, [2], [-2])[0] !== 0) throw new Error();
 * ```
 */
export function probabilityFlowDrift(
  sde: VpSde,
  tau: number,
  x: ArrayLike<number>,
  score: ArrayLike<number>,
): Float64Array {
  const b = vpBeta(sde, tau);
  return Float64Array.from(x, (v, i) => -0.5 * b * (v + score[i])); // f - \tfrac12 g^2 s
}

function assertSteps(steps: number, action: string): void {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(
      `Cannot ${action} as steps must be a positive integer: current value is ${steps}`,
    );
  }
}

function assertFlat(x: Float64Array, dim: number, action: string): void {
  if (!Number.isInteger(dim) || dim < 1 || x.length % dim !== 0) {
    throw new RangeError(
      `Cannot ${action} as x must be flat [n, dim]: current value is length ${x.length}, dim ${dim}`,
    );
  }
}

function assertFiniteStep(v: number, tau: number, action: string): void {
  if (!Number.isFinite(v)) {
    throw new RangeError(
      `Cannot ${action} as a point left the finite numbers at tau = ${tau}: current value is ${v}; use more steps`,
    );
  }
}

/**
 * Euler-Maruyama for the forward SDE `eq:vp-sde` from `tauStart` (0) to `tauEnd`, in place:
 * x += f(x, tau) h + sqrt(beta(tau) h) z.
 *
 * @example
 * ```ts
 * import { eulerMaruyamaForward, linearVpSde } from "./sde.ts";
 * import { createRng } from "./rng.ts";
 * const x = new Float64Array(4000).fill(3);
 * eulerMaruyamaForward(linearVpSde(), x, 1, 1, 500, createRng(3));
 * const mean = x.reduce((a, b) => a + b) / x.length;
 * if (Math.abs(mean) > 0.1) throw new Error(`noise by tau = 1: ${mean}`);
 * ```
 */
export function eulerMaruyamaForward(
  sde: VpSde,
  x: Float64Array,
  dim: number,
  tauEnd: number,
  steps: number,
  rng: Rng,
  tauStart = 0,
): Float64Array {
  const action = "run the forward SDE";
  assertSteps(steps, action);
  assertFlat(x, dim, action);
  assertTau(tauEnd, action);
  assertTau(tauStart, action);
  const h = (tauEnd - tauStart) / steps;
  for (let k = 0; k < steps; k++) {
    const b = vpBeta(sde, tauStart + k * h), root = Math.sqrt(b * h);
    for (let i = 0; i < x.length; i++) x[i] += -0.5 * b * x[i] * h + root * rng.normal();
  }
  return x;
}

/** Options of the reverse-time samplers. */
export interface ReverseSamplerOptions {
  sde: VpSde;
  /** The score s(x, tau) (exact, or a model's). */
  score: TimeScore;
  /** Start points at tau = `tauStart` (usually draws of N(0, I)), flat [n, dim]; updated in place. */
  x: Float64Array;
  dim: number;
  /** Number of steps from tauStart down to tauEnd. */
  steps: number;
  /** Where to start (1). */
  tauStart?: number;
  /** Where to stop (0). */
  tauEnd?: number;
}

function forEachPoint(
  x: Float64Array,
  dim: number,
  step: (p: Float64Array) => ArrayLike<number>,
): void {
  const p = new Float64Array(dim);
  for (let i = 0; i < x.length; i += dim) {
    for (let j = 0; j < dim; j++) p[j] = x[i + j];
    const next = step(p);
    for (let j = 0; j < dim; j++) x[i + j] = next[j];
  }
}

/**
 * Samples by integrating the reverse-time SDE `eq:reverse-sde` with Euler-Maruyama, from tauStart
 * down to tauEnd: x -= (f - g^2 s) h, then x += sqrt(beta h) z.
 *
 * @example
 * ```ts
 * import { linearVpSde, reverseSdeSample } from "./sde.ts";
 * import { createRng } from "./rng.ts";
 * // Data N(3, 1e-4) ... here N(0, I) data: score -x at every tau; samples stay N(0, 1)
 * const rng = createRng(4), x = Float64Array.from({ length: 2000 }, () => rng.normal());
 * reverseSdeSample({ sde: linearVpSde(), score: (p) => p.map((v) => -v), x, dim: 1, steps: 200 }, rng);
 * const v = x.reduce((a, b) => a + b * b, 0) / x.length;
 * if (Math.abs(v - 1) > 0.1) throw new Error(`${v}`);
 * ```
 */
export function reverseSdeSample(opts: ReverseSamplerOptions, rng: Rng): Float64Array {
  const { sde, score, x, dim, steps, tauStart = 1, tauEnd = 0 } = opts;
  const action = "sample with the reverse SDE";
  assertSteps(steps, action);
  assertFlat(x, dim, action);
  const h = (tauStart - tauEnd) / steps;
  for (let k = 0; k < steps; k++) {
    const tau = tauStart - ((tauStart - tauEnd) * k) / steps,
      root = Math.sqrt(vpBeta(sde, tau) * h);
    forEachPoint(x, dim, (p) => {
      const d = reverseSdeDrift(sde, tau, p, score(p, tau)); // [dim]
      return p.map((v, j) => {
        const next = v - d[j] * h + root * rng.normal(); // eq:reverse-sde, one step back
        assertFiniteStep(next, tau, action);
        return next;
      });
    });
  }
  return x;
}

/**
 * Solves the probability-flow ODE `eq:probability-flow` with the classical fourth-order Runge-Kutta
 * method from tauStart to tauEnd (either direction), deterministically, in place.
 *
 * @example
 * ```ts
 * import { linearVpSde, probabilityFlowSolve, vpAlphaBar } from "./sde.ts";
 * // Point-mass data at 0: s = -x / (1 - alphaBar), so x(tau) scales with sqrt((1 - alphaBar(tau)))
 * const sde = linearVpSde();
 * const score = (p: Float64Array, tau: number) => p.map((v) => -v / (1 - vpAlphaBar(sde, tau)));
 * const x = Float64Array.of(1);
 * probabilityFlowSolve({ sde, score, x, dim: 1, steps: 200, tauStart: 1, tauEnd: 0.5 });
 * const want = Math.sqrt((1 - vpAlphaBar(sde, 0.5)) / (1 - vpAlphaBar(sde, 1)));
 * if (Math.abs(x[0] - want) > 1e-8) throw new Error(`${x[0]} vs ${want}`);
 * ```
 */
export function probabilityFlowSolve(opts: ReverseSamplerOptions): Float64Array {
  const { sde, score, x, dim, steps, tauStart = 1, tauEnd = 0 } = opts;
  const action = "solve the probability-flow ODE";
  assertSteps(steps, action);
  assertFlat(x, dim, action);
  const h = (tauEnd - tauStart) / steps;
  const at = (k: number) => tauStart + ((tauEnd - tauStart) * k) / steps; // exact at both ends
  const v = (p: Float64Array, tau: number) => probabilityFlowDrift(sde, tau, p, score(p, tau));
  for (let k = 0; k < steps; k++) {
    const tau = at(k), mid = at(k + 0.5), next = at(k + 1);
    forEachPoint(x, dim, (p) => {
      const k1 = v(p, tau);
      const k2 = v(p.map((u, j) => u + 0.5 * h * k1[j]), mid);
      const k3 = v(p.map((u, j) => u + 0.5 * h * k2[j]), mid);
      const k4 = v(p.map((u, j) => u + h * k3[j]), next);
      return p.map((u, j) => {
        const moved = u + (h / 6) * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
        assertFiniteStep(moved, tau, action);
        return moved;
      });
    });
  }
  return x;
}

/** Options of {@link predictorCorrectorSample}. */
export interface PredictorCorrectorOptions extends ReverseSamplerOptions {
  /** Langevin corrector steps after each predictor step (1). */
  correctorSteps?: number;
  /** Target signal-to-noise ratio r of the corrector (0.16, Song et al.'s VP setting). */
  snr?: number;
}

/**
 * Predictor-corrector sampling, `eq:corrector-step`: each reverse-SDE Euler-Maruyama step (the
 * predictor) is followed by Langevin steps on q_tau at the new time (the corrector), with step size
 * delta = 4 (r ||z|| / ||s||)^2 (norms averaged over the points, as Song et al. do) chosen so that the score's push (delta/2) ||s|| is r times the
 * noise sqrt(delta) ||z|| (Song et al.'s epsilon = delta / 2).
 *
 * @example
 * ```ts
 * import { linearVpSde, predictorCorrectorSample } from "./sde.ts";
 * import { createRng } from "./rng.ts";
 * const rng = createRng(5), x = Float64Array.from({ length: 2000 }, () => rng.normal());
 * predictorCorrectorSample({ sde: linearVpSde(), score: (p) => p.map((v) => -v), x, dim: 1, steps: 100 }, rng);
 * const v = x.reduce((a, b) => a + b * b, 0) / x.length;
 * if (Math.abs(v - 1) > 0.1) throw new Error(`${v}`);
 * ```
 */
export function predictorCorrectorSample(opts: PredictorCorrectorOptions, rng: Rng): Float64Array {
  const { sde, score, x, dim, steps, tauStart = 1, tauEnd = 0, correctorSteps = 1, snr = 0.16 } =
    opts;
  const action = "sample with predictor-corrector";
  assertSteps(steps, action);
  assertFlat(x, dim, action);
  const at = (k: number) => tauStart - ((tauStart - tauEnd) * k) / steps;
  for (let k = 0; k < steps; k++) {
    reverseSdeSample({
      sde,
      score,
      x,
      dim,
      steps: 1,
      tauStart: at(k),
      tauEnd: at(k + 1),
    }, rng);
    const tau = at(k + 1);
    for (let c = 0; c < correctorSteps; c++) {
      const s = new Float64Array(x.length), z = new Float64Array(x.length); // [n, dim]
      let sNorm = 0, zNorm = 0;
      for (let i = 0; i < x.length; i += dim) {
        const si = score(x.subarray(i, i + dim), tau);
        let ss = 0, zz = 0;
        for (let j = 0; j < dim; j++) {
          s[i + j] = si[j];
          z[i + j] = rng.normal();
          ss += si[j] * si[j];
          zz += z[i + j] * z[i + j];
        }
        sNorm += Math.sqrt(ss);
        zNorm += Math.sqrt(zz);
      }
      if (sNorm === 0) continue;
      correctorStep(x, s, z, snr * zNorm / sNorm, tau, action);
    }
  }
  return x;
}

/**
 * One Langevin corrector step, `eq:corrector-step`, in place: x += (delta/2) s + sqrt(delta) z with
 * delta = 4 (r ||z|| / ||s||)^2, given the ratio r ||z|| / ||s|| (batch-mean norms in
 * {@link predictorCorrectorSample}).
 *
 * @param x points, flat; moved in place
 * @param s their scores s(x, tau)
 * @param z standard normal draws
 * @param ratio r ||z|| / ||s||
 * @param tau the time (for messages)
 * @param action what the caller does (for messages)
 * @returns delta
 * @example
 * ```ts
 * import { correctorStep } from "./sde.ts";
 * const x = Float64Array.of(1);
 * const delta = correctorStep(x, [-1], [0.5], 0.5, 0.3); // delta = 1: x = 1 - 0.5 + 0.5
 * if (delta !== 1 || x[0] !== 1) throw new Error(`${delta} ${x[0]}`);
 * ```
 */
export function correctorStep(
  x: Float64Array,
  s: ArrayLike<number>,
  z: ArrayLike<number>,
  ratio: number,
  tau: number,
  action = "take a corrector step",
): number {
  const delta = 4 * ratio ** 2; // \delta = 4 (r \|z\| / \|s\|)^2
  const root = Math.sqrt(delta);
  for (let i = 0; i < x.length; i++) {
    x[i] += 0.5 * delta * s[i] + root * z[i]; // eq:langevin-step at tau
    assertFiniteStep(x[i], tau, action);
  }
  return delta;
}
