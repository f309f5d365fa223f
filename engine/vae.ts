/**
 * A linear-Gaussian variational autoencoder in one dimension, exact in every part, and its
 * Markovian hierarchical version. Chapter 4 builds the diffusion model up from this VAE; here its
 * evidence, ELBO, KL and reparameterisation are closed forms, so the chapter's printed equations
 * can be evaluated against them.
 *
 * One level: prior p(z) = N(0, 1), decoder p_θ(x | z) = N(w z + b, v), encoder
 * q_φ(z | x) = N(m x + c, s²). Then p(x) = N(b, w² + v) and the true posterior p(z | x) is
 * Gaussian, so the ELBO (`eq:vae-elbo-kl`), its two terms and the gap are closed forms.
 *
 * Hierarchical (`eq:hvae-joint`), levels z_1, …, z_L with x = z_0: p(z_L) = N(0, 1),
 * p_θ(z_{l-1} | z_l) = N(a_l z_l + b_l, v_l), and q_φ(z_l | z_{l-1}) = N(m_l z_{l-1} + c_l, s_l²).
 * Each chain is jointly Gaussian: {@link hvaeJointLogPdf} and {@link hvaeEncoderLogPdf} evaluate
 * the joint densities from the chain's mean vector and covariance matrix (a Cholesky
 * factorisation), not from the product of its factors.
 *
 * @module
 */
import { gaussianLogPdf, klDiagGaussians } from "./gaussian.ts";
import type { Rng } from "./rng.ts";
import { assertFinite, assertPositive } from "./vector.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/** A one-level linear-Gaussian VAE. */
export interface LinearGaussianVae {
  /** Decoder p_θ(x | z) = N(w z + b, decoderVariance). */
  w: number;
  b: number;
  decoderVariance: number;
  /** Encoder q_φ(z | x) = N(m x + c, encoderStd²). */
  m: number;
  c: number;
  encoderStd: number;
}

/**
 * An example VAE, shared by the unit tests and Chapter 4's printed-equation checks: decoder
 * p_θ(x | z) = N(1.5 z + 0.2, 0.3), encoder q_φ(z | x) = N(0.4 x − 0.1, 0.6²).
 */
export const EXAMPLE_VAE: Readonly<LinearGaussianVae> = {
  w: 1.5,
  b: 0.2,
  decoderVariance: 0.3,
  m: 0.4,
  c: -0.1,
  encoderStd: 0.6,
};

/** A Gaussian's mean and variance. */
export interface Gaussian1d {
  mean: number;
  variance: number;
}

function checkVae(vae: LinearGaussianVae, action: string): void {
  for (const k of ["w", "b", "m", "c"] as const) assertFinite(vae[k], action, `the VAE's ${k}`);
  assertPositive(vae.decoderVariance, action, "the decoder variance");
  assertPositive(vae.encoderStd, action, "the encoder standard deviation");
}

/**
 * The encoder q_φ(z | x) = N(m x + c, s²): μ_φ(x) and σ_φ(x)².
 *
 * @example
 * ```ts
 * import { vaeEncoder } from "./vae.ts";
 * const q = vaeEncoder({ w: 1, b: 0, decoderVariance: 1, m: 2, c: 1, encoderStd: 0.5 }, 3);
 * if (q.mean !== 7 || q.variance !== 0.25) throw new Error();
 * ```
 */
export function vaeEncoder(vae: LinearGaussianVae, x: number): Gaussian1d {
  checkVae(vae, "evaluate the VAE's encoder");
  assertFinite(x, "evaluate the VAE's encoder", "x");
  return { mean: vae.m * x + vae.c, variance: vae.encoderStd ** 2 };
}

/** log p(z) = log N(z; 0, 1), the VAE's prior. */
export function vaePriorLogPdf(z: number): number {
  return gaussianLogPdf(z, 0, 1);
}

/** log p_θ(x | z) = log N(x; w z + b, v), the decoder. */
export function vaeDecoderLogPdf(vae: LinearGaussianVae, x: number, z: number): number {
  checkVae(vae, "evaluate the VAE's decoder");
  return gaussianLogPdf(x, vae.w * z + vae.b, vae.decoderVariance);
}

/** log q_φ(z | x), the encoder's density. */
export function vaeEncoderLogPdf(vae: LinearGaussianVae, z: number, x: number): number {
  const q = vaeEncoder(vae, x);
  return gaussianLogPdf(z, q.mean, q.variance);
}

/**
 * The reparameterised code z = μ_φ(x) + σ_φ(x) ε: a draw from q_φ(z | x) made from a standard
 * normal ε. Implements `eq:reparameterisation` (σ, not σ²).
 *
 * @example
 * ```ts
 * import { vaeReparameterise } from "./vae.ts";
 * const vae = { w: 1, b: 0, decoderVariance: 1, m: 1, c: 0, encoderStd: 0.5 };
 * if (vaeReparameterise(vae, 2, 2) !== 3) throw new Error("2 + 0.5 * 2");
 * ```
 */
export function vaeReparameterise(vae: LinearGaussianVae, x: number, eps: number): number {
  assertFinite(eps, "reparameterise the VAE's code", "epsilon");
  const q = vaeEncoder(vae, x);
  return q.mean + Math.sqrt(q.variance) * eps;
}

/** KL(q_φ(z | x) ‖ p(z)), the prior-matching term, by the closed Gaussian form. */
export function vaeKl(vae: LinearGaussianVae, x: number): number {
  const q = vaeEncoder(vae, x);
  return klDiagGaussians(q.mean, q.variance, 0, 1);
}

/**
 * E_{q_φ(z | x)}[log p_θ(x | z)], the reconstruction term: the log-density is quadratic in z, so
 * its mean is log N(x; w μ_φ + b, v) − w² σ_φ² / (2v).
 */
export function vaeReconstruction(vae: LinearGaussianVae, x: number): number {
  const q = vaeEncoder(vae, x);
  return gaussianLogPdf(x, vae.w * q.mean + vae.b, vae.decoderVariance) -
    (vae.w * vae.w * q.variance) / (2 * vae.decoderVariance);
}

/**
 * The ELBO, reconstruction minus prior matching. Implements `eq:vae-elbo-kl`.
 *
 * @example
 * ```ts
 * import { vaeElbo, vaeLogEvidence, vaePosterior } from "./vae.ts";
 * // with the true posterior as encoder the bound is tight
 * const vae = { w: 1.5, b: 0.2, decoderVariance: 0.3, m: 0, c: 0, encoderStd: 1 };
 * const p = vaePosterior(vae, 1.1);
 * const exact = { ...vae, m: 1.5 / (2.25 + 0.3), c: -0.2 * 1.5 / 2.55, encoderStd: Math.sqrt(p.variance) };
 * if (Math.abs(vaeElbo(exact, 1.1) - vaeLogEvidence(vae, 1.1)) > 1e-14) throw new Error();
 * ```
 */
export function vaeElbo(vae: LinearGaussianVae, x: number): number {
  return vaeReconstruction(vae, x) - vaeKl(vae, x);
}

/** log p(x) = log N(x; b, w² + v), the evidence. */
export function vaeLogEvidence(vae: LinearGaussianVae, x: number): number {
  checkVae(vae, "evaluate the VAE's evidence");
  return gaussianLogPdf(x, vae.b, vae.w * vae.w + vae.decoderVariance);
}

/** The true posterior p(z | x) = N(w (x − b) / (w² + v), v / (w² + v)). */
export function vaePosterior(vae: LinearGaussianVae, x: number): Gaussian1d {
  checkVae(vae, "evaluate the VAE's posterior");
  const s = vae.w * vae.w + vae.decoderVariance;
  return { mean: (vae.w * (x - vae.b)) / s, variance: vae.decoderVariance / s };
}

/**
 * A Markovian hierarchical linear-Gaussian VAE with L levels. Arrays are indexed by level l = 1..L
 * (index 0 unused): the decoder step of level l is p_θ(z_{l-1} | z_l) = N(a[l] z_l + b[l], v[l])
 * (z_0 = x), the encoder step q_φ(z_l | z_{l-1}) = N(m[l] z_{l-1} + c[l], s[l]²).
 */
export interface LinearGaussianHvae {
  levels: number;
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  v: ArrayLike<number>;
  m: ArrayLike<number>;
  c: ArrayLike<number>;
  s: ArrayLike<number>;
}

/**
 * An example three-level hierarchical VAE, shared by the unit tests and Chapter 4's
 * printed-equation checks (weights of both signs, unequal variances at every level).
 */
export const EXAMPLE_HVAE: Readonly<LinearGaussianHvae> = {
  levels: 3,
  a: [0, 1.2, -0.6, 0.9],
  b: [0, 0.1, 0.4, -0.3],
  v: [0, 0.2, 0.5, 0.7],
  m: [0, 0.5, 1.1, -0.8],
  c: [0, 0.2, -0.1, 0.3],
  s: [0, 0.4, 0.7, 0.3],
};

function checkLevel(h: LinearGaussianHvae, l: number, action: string): void {
  if (!Number.isInteger(l) || l < 1 || l > h.levels) {
    throw new RangeError(
      `Cannot ${action} as the level must be 1..${h.levels}: current value is ${l}`,
    );
  }
  assertPositive(h.v[l], action, `v[${l}]`);
  assertPositive(h.s[l], action, `s[${l}]`);
}

/** log p_θ(z_{l-1} | z_l), one decoder step (z_0 = x). */
export function hvaeDecoderStepLogPdf(
  h: LinearGaussianHvae,
  l: number,
  lower: number,
  upper: number,
): number {
  checkLevel(h, l, "evaluate a decoder step");
  return gaussianLogPdf(lower, h.a[l] * upper + h.b[l], h.v[l]);
}

/** log q_φ(z_l | z_{l-1}), one encoder step (z_0 = x). */
export function hvaeEncoderStepLogPdf(
  h: LinearGaussianHvae,
  l: number,
  upper: number,
  lower: number,
): number {
  checkLevel(h, l, "evaluate an encoder step");
  return gaussianLogPdf(upper, h.m[l] * lower + h.c[l], h.s[l] ** 2);
}

/**
 * Codes z_1, …, z_L drawn up the encoder chain from x (index l; index 0 holds x).
 *
 * @example
 * ```ts
 * import { hvaeEncode } from "./vae.ts";
 * import { createRng } from "./rng.ts";
 * const h = { levels: 2, a: [0, 1, 1], b: [0, 0, 0], v: [0, 1, 1], m: [0, 2, 3], c: [0, 1, 0], s: [0, 1e-9, 1e-9] };
 * const z = hvaeEncode(h, 1, createRng(0));
 * if (Math.abs(z[2] - 9) > 1e-6) throw new Error("z_1 = 2 + 1, z_2 = 3 z_1");
 * ```
 */
export function hvaeEncode(h: LinearGaussianHvae, x: number, rng: Rng): Float64Array {
  assertFinite(x, "encode with the hierarchical VAE", "x");
  const z = new Float64Array(h.levels + 1); // [L + 1], z[0] = x
  z[0] = x;
  for (let l = 1; l <= h.levels; l++) {
    checkLevel(h, l, "encode with the hierarchical VAE");
    z[l] = h.m[l] * z[l - 1] + h.c[l] + h.s[l] * rng.normal();
  }
  return z;
}

/**
 * log N(y; mean, cov) for a full covariance matrix (row-major n × n), by its Cholesky factor.
 */
function fullGaussianLogPdf(y: ArrayLike<number>, mean: Float64Array, cov: Float64Array): number {
  const n = mean.length;
  const L = new Float64Array(n * n); // [n, n] lower triangle, row-major
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = cov[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new RangeError(
            `Cannot evaluate a joint Gaussian density as its covariance is not positive definite: pivot ${i} is ${s}`,
          );
        }
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const u = new Float64Array(n); // [n] solves L u = y - mean
  let logDet = 0, quad = 0;
  for (let i = 0; i < n; i++) {
    let s = y[i] - mean[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * u[k];
    u[i] = s / L[i * n + i];
    quad += u[i] * u[i];
    logDet += Math.log(L[i * n + i]);
  }
  return -0.5 * n * LOG_2PI - logDet - 0.5 * quad;
}

/**
 * The mean and covariance of a linear-Gaussian chain y_0 = start (mean m0, variance v0),
 * y_k = g[k] y_{k-1} + d[k] + noise of variance e[k], k = 1..n−1.
 */
function chainMoments(
  m0: number,
  v0: number,
  g: number[],
  d: number[],
  e: number[],
): { mean: Float64Array; cov: Float64Array } {
  const n = g.length;
  const mean = new Float64Array(n), cov = new Float64Array(n * n); // [n], [n, n]
  mean[0] = m0;
  cov[0] = v0;
  for (let k = 1; k < n; k++) {
    mean[k] = g[k] * mean[k - 1] + d[k];
    for (let i = 0; i < k; i++) {
      cov[k * n + i] = cov[i * n + k] = g[k] * cov[(k - 1) * n + i]; // Cov(y_k, y_i), i < k
    }
    cov[k * n + k] = g[k] * g[k] * cov[(k - 1) * n + (k - 1)] + e[k];
  }
  return { mean, cov };
}

/**
 * log p(x, z_{1:L}) of the generative chain, from its joint Gaussian (mean vector and covariance of
 * (z_L, …, z_1, x)), not from its factors. Implements the left side of `eq:hvae-joint`.
 *
 * @param h the hierarchical VAE
 * @param z x and the codes: z[0] = x, z[l] = z_l
 * @example
 * ```ts
 * import { hvaeDecoderStepLogPdf, hvaeJointLogPdf } from "./vae.ts";
 * import { gaussianLogPdf } from "./gaussian.ts";
 * const h = { levels: 1, a: [0, 2], b: [0, 1], v: [0, 0.5], m: [0, 1], c: [0, 0], s: [0, 1] };
 * const f = gaussianLogPdf(0.3, 0, 1) + hvaeDecoderStepLogPdf(h, 1, 1.2, 0.3);
 * if (Math.abs(hvaeJointLogPdf(h, [1.2, 0.3]) - f) > 1e-14) throw new Error();
 * ```
 */
export function hvaeJointLogPdf(h: LinearGaussianHvae, z: ArrayLike<number>): number {
  const L = h.levels;
  if (z.length !== L + 1) {
    throw new RangeError(
      `Cannot evaluate p(x, z_{1:L}) as it needs x and ${L} codes: current length is ${z.length}`,
    );
  }
  // order (z_L, z_{L-1}, ..., z_0 = x): step k goes from z_{L-k+1} down to z_{L-k}
  const g = [0], d = [0], e = [0];
  for (let k = 1; k <= L; k++) {
    const l = L - k + 1;
    checkLevel(h, l, "evaluate p(x, z_{1:L})");
    g.push(h.a[l]);
    d.push(h.b[l]);
    e.push(h.v[l]);
  }
  const { mean, cov } = chainMoments(0, 1, g, d, e);
  const y = Array.from({ length: L + 1 }, (_, k) => z[L - k]);
  return fullGaussianLogPdf(y, mean, cov);
}

/**
 * log q_φ(z_{1:L} | x) of the encoder chain, from its joint Gaussian given x (not from its
 * factors). Implements the left side of the second statement of `eq:hvae-joint`.
 *
 * @param h the hierarchical VAE
 * @param z x and the codes: z[0] = x, z[l] = z_l
 */
export function hvaeEncoderLogPdf(h: LinearGaussianHvae, z: ArrayLike<number>): number {
  const L = h.levels;
  if (z.length !== L + 1) {
    throw new RangeError(
      `Cannot evaluate q(z_{1:L} | x) as it needs x and ${L} codes: current length is ${z.length}`,
    );
  }
  checkLevel(h, 1, "evaluate q(z_{1:L} | x)");
  const g = [0], d = [0], e = [0];
  for (let l = 2; l <= L; l++) {
    checkLevel(h, l, "evaluate q(z_{1:L} | x)");
    g.push(h.m[l]);
    d.push(h.c[l]);
    e.push(h.s[l] ** 2);
  }
  const { mean, cov } = chainMoments(h.m[1] * z[0] + h.c[1], h.s[1] ** 2, g, d, e);
  return fullGaussianLogPdf(Array.from({ length: L }, (_, k) => z[k + 1]), mean, cov);
}
