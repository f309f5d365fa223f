/**
 * The continuous-time diffusion loss of Kingma et al. (2021), Chapter 6: as T grows, the ELBO's
 * denoising terms become L = -1/2 integral_0^1 SNR'(tau) E_eps ||x_0 - xHat(z_tau, tau)||^2 dtau, and
 * the substitution v = SNR(tau) turns it into 1/2 integral_{SNR_min}^{SNR_max} E ||x_0 - xHat(z_v, v)||^2 dv:
 * the schedule matters only through its two endpoints.
 *
 * @module
 */
import type { Mixture } from "./mixture.ts";
import { trapezoid } from "./quadrature.ts";
import { vpBeta, vpBetaIntegral, type VpSde } from "./sde.ts";
import { assertPositive } from "./vector.ts";

/** A monotone decreasing signal-to-noise ratio on tau in [0, 1] and its derivative. */
export interface SnrSchedule {
  snr(tau: number): number;
  dSnr(tau: number): number;
}

/**
 * The VP SDE's SNR(tau) = alphaBar / (1 - alphaBar) = 1 / (e^{B(tau)} - 1), with
 * SNR'(tau) = -beta(tau) e^B / (e^B - 1)^2.
 *
 * @example
 * ```ts
 * import { vpSnrSchedule } from "./continuous_elbo.ts";
 * import { linearVpSde, vpAlphaBar } from "./sde.ts";
 * const a = vpAlphaBar(linearVpSde(), 0.2);
 * if (Math.abs(vpSnrSchedule(linearVpSde()).snr(0.2) - a / (1 - a)) > 1e-12) throw new Error();
 * ```
 */
export function vpSnrSchedule(sde: VpSde): SnrSchedule {
  return {
    snr: (tau) => 1 / Math.expm1(vpBetaIntegral(sde, tau)),
    dSnr: (tau) => {
      const b = vpBetaIntegral(sde, tau), e = Math.expm1(b);
      return -vpBeta(sde, tau) * (e + 1) / (e * e);
    },
  };
}

/**
 * log SNR falling linearly from log snrMax at tau = 0 to log snrMin at tau = 1 (the "linear
 * log-SNR" schedule).
 *
 * @example
 * ```ts
 * import { logLinearSnrSchedule } from "./continuous_elbo.ts";
 * const s = logLinearSnrSchedule(100, 0.01);
 * if (Math.abs(s.snr(0.5) - 1) > 1e-12) throw new Error("geometric midpoint");
 * ```
 */
export function logLinearSnrSchedule(snrMax: number, snrMin: number): SnrSchedule {
  assertPositive(snrMin, "build a log-linear SNR schedule", "snrMin");
  if (!(snrMax > snrMin)) {
    throw new RangeError(
      `Cannot build a log-linear SNR schedule as snrMax must exceed snrMin = ${snrMin}: current value is ${snrMax}`,
    );
  }
  const lo = Math.log(snrMin), hi = Math.log(snrMax);
  const snr = (tau: number) => Math.exp(hi + tau * (lo - hi));
  return { snr, dSnr: (tau) => snr(tau) * (lo - hi) };
}

/**
 * The VP SDE's SNR endpoints, [SNR(1), SNR(tauMin)] (SNR(0) is infinite).
 *
 * @example
 * ```ts
 * import { vpSnrEndpoints } from "./continuous_elbo.ts";
 * import { linearVpSde } from "./sde.ts";
 * const [lo, hi] = vpSnrEndpoints(linearVpSde(), 1e-3);
 * if (!(lo < 1e-4 && hi > 1e3)) throw new Error(`${lo} ${hi}`);
 * ```
 */
export function vpSnrEndpoints(sde: VpSde, tauMin: number): [number, number] {
  const s = vpSnrSchedule(sde);
  return [s.snr(1), s.snr(tauMin)];
}

/**
 * E[x_0 | z] for mixture data observed as z = alpha x_0 + sigma eps with alpha^2 = SNR/(1 + SNR),
 * sigma^2 = 1/(1 + SNR) (the variance-preserving pair at that SNR): the exact denoiser xHat*(z, SNR).
 *
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * import { mixtureDenoiserAtSnr } from "./continuous_elbo.ts";
 * // N(0, 1) data at SNR 1: alpha^2 = sigma^2 = 1/2, E[x_0 | z] = alpha z / (alpha^2 + sigma^2) = z / sqrt 2
 * const m = createMixture({ weights: [1], means: [0], variances: [1] });
 * if (Math.abs(mixtureDenoiserAtSnr(m, 1, [1])[0] - Math.SQRT1_2) > 1e-15) throw new Error();
 * ```
 */
export function mixtureDenoiserAtSnr(m: Mixture, snr: number, z: ArrayLike<number>): Float64Array {
  assertPositive(snr, "denoise at an SNR", "snr");
  const a2 = snr / (1 + snr), s2 = 1 / (1 + snr), a = Math.sqrt(a2);
  // responsibilities under q(z) = sum_k w_k N(a mu_k, (a2 v_k + s2) I)
  const logs = m.weights.map((w, k) => {
    const v = a2 * m.variances[k] + s2;
    let d2 = 0;
    for (let i = 0; i < m.dim; i++) d2 += (z[i] - a * m.means[k][i]) ** 2;
    return Math.log(w) - 0.5 * m.dim * Math.log(v) - d2 / (2 * v);
  });
  const top = Math.max(...logs);
  const r = logs.map((l) => Math.exp(l - top));
  const total = r.reduce((x, y) => x + y, 0);
  const out = new Float64Array(m.dim);
  for (let k = 0; k < r.length; k++) {
    const post = 1 / (1 / m.variances[k] + a2 / s2); // posterior variance of x_0 in component k
    for (let i = 0; i < m.dim; i++) {
      out[i] += (r[k] / total) * post * (m.means[k][i] / m.variances[k] + (a * z[i]) / s2);
    }
  }
  return out;
}

/**
 * E_eps ||x_0 - xHat(alpha x_0 + sigma eps, SNR)||^2 for a 1-D point, by the trapezoid rule over eps on
 * [-10, 10] (n points): the denoising error at one SNR.
 *
 * @example
 * ```ts
 * import { denoisingError1D } from "./continuous_elbo.ts";
 * // xHat = z / alpha: error sigma^2 / alpha^2 = 1 / SNR
 * const e = denoisingError1D(0.3, 4, (z, snr) => z * Math.sqrt((1 + snr) / snr));
 * if (Math.abs(e - 0.25) > 1e-12) throw new Error(`${e}`);
 * ```
 */
export function denoisingError1D(
  x0: number,
  snr: number,
  denoise: (z: number, snr: number) => number,
  n = 401,
): number {
  const a = Math.sqrt(snr / (1 + snr)), s = Math.sqrt(1 / (1 + snr));
  const phi = (e: number) => Math.exp(-0.5 * e * e) / Math.sqrt(2 * Math.PI);
  return trapezoid((e) => phi(e) * (x0 - denoise(a * x0 + s * e, snr)) ** 2, -10, 10, n);
}

/**
 * The continuous-time diffusion loss over tau in [tauMin, 1], `eq:continuous-elbo`:
 * -1/2 integral SNR'(tau) err(SNR(tau)) dtau by the trapezoid rule with n points, where err(v) is
 * E_eps ||x_0 - xHat(z_v, v)||^2.
 *
 * @example
 * ```ts
 * import { continuousDiffusionLoss, logLinearSnrSchedule } from "./continuous_elbo.ts";
 * // err = 1 everywhere: the loss is (SNR_max - SNR_min) / 2
 * const l = continuousDiffusionLoss(logLinearSnrSchedule(10, 0.1), () => 1, 0, 20001);
 * if (Math.abs(l - 4.95) > 1e-6) throw new Error(`${l}`);
 * ```
 */
export function continuousDiffusionLoss(
  schedule: SnrSchedule,
  err: (snr: number) => number,
  tauMin: number,
  n: number,
): number {
  return 0.5 * trapezoid((tau) => -schedule.dSnr(tau) * err(schedule.snr(tau)), tauMin, 1, n);
}

/**
 * The same loss written over the SNR itself, `eq:elbo-snr-invariance`:
 * 1/2 integral_{snrMin}^{snrMax} err(v) dv, by the trapezoid rule in log v (n points).
 *
 * @example
 * ```ts
 * import { snrDiffusionLoss } from "./continuous_elbo.ts";
 * const l = snrDiffusionLoss(() => 1, 0.1, 10, 20001);
 * if (Math.abs(l - 4.95) > 1e-6) throw new Error(`${l}`);
 * ```
 */
export function snrDiffusionLoss(
  err: (snr: number) => number,
  snrMin: number,
  snrMax: number,
  n: number,
): number {
  assertPositive(snrMin, "integrate over the SNR", "snrMin");
  return 0.5 *
    trapezoid((l) => Math.exp(l) * err(Math.exp(l)), Math.log(snrMin), Math.log(snrMax), n);
}
