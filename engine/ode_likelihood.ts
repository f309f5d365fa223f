/**
 * Exact log-likelihoods through the probability-flow ODE (Chapter 6): the instantaneous change of
 * variables d log p(x(tau)) / dtau = -div v(x(tau), tau) along the ODE's path, integrated with RK4
 * together with the path, gives log p_0(x_0) = log p_1(x_1) + integral_0^1 div v dtau. The
 * divergence is exact: for mixture data it is the Laplacian of log q_tau in closed form.
 *
 * @module
 */
import { type Mixture, mixtureResponsibilities, mixtureScore } from "./mixture.ts";
import { probabilityFlowDrift, type TimeScore, vpBeta, type VpSde } from "./sde.ts";

/**
 * div s(x) = Laplacian of log p(x) for a mixture: sum_k r_k (||(mu_k - x)/v_k||^2 - dim / v_k) - ||s||^2.
 *
 * @example
 * ```ts
 * import { createMixture } from "./mixture.ts";
 * import { mixtureScoreDivergence } from "./ode_likelihood.ts";
 * // one Gaussian N(mu, v I) in 2-D: the score is (mu - x)/v, its divergence -2/v everywhere
 * const m = createMixture({ weights: [1], means: [[1, 2]], variances: 0.25 });
 * if (Math.abs(mixtureScoreDivergence(m, [0.3, -1]) + 8) > 1e-12) throw new Error();
 * ```
 */
export function mixtureScoreDivergence(m: Mixture, x: ArrayLike<number>): number {
  const r = mixtureResponsibilities(m, x), s = mixtureScore(m, x);
  let total = 0;
  for (let k = 0; k < r.length; k++) {
    const v = m.variances[k];
    let d2 = 0;
    for (let i = 0; i < m.dim; i++) d2 += ((m.means[k][i] - x[i]) / v) ** 2;
    total += r[k] * (d2 - m.dim / v);
  }
  let s2 = 0;
  for (let i = 0; i < m.dim; i++) s2 += s[i] * s[i];
  return total - s2;
}

/**
 * The divergence of the probability-flow velocity, `eq:flow-divergence`:
 * div v = -1/2 beta(tau) (dim + div s).
 *
 * @example
 * ```ts
 * import { flowDivergence } from "./ode_likelihood.ts";
 * import { linearVpSde } from "./sde.ts";
 * // N(0, I) in 2-D: div s = -2 and the flow is still
 * if (flowDivergence(linearVpSde(), 0.4, 2, -2) !== 0) throw new Error();
 * ```
 */
export function flowDivergence(
  sde: VpSde,
  tau: number,
  dim: number,
  scoreDivergence: number,
): number {
  return -0.5 * vpBeta(sde, tau) * (dim + scoreDivergence);
}

/** Options of {@link odeLogLikelihood}. */
export interface OdeLikelihoodOptions {
  sde: VpSde;
  /** The score s(x, tau). */
  score: TimeScore;
  /** Its divergence div_x s(x, tau). */
  scoreDivergence: (x: Float64Array, tau: number) => number;
  /** log p_1 at the end of the path (N(0, I), or the exact q_1 for a check). */
  priorLogPdf: (x: Float64Array) => number;
  /** The data point x_0. */
  x0: ArrayLike<number>;
  /** RK4 steps from tau = 0 to 1 (200). */
  steps?: number;
}

/** What {@link odeLogLikelihood} returns. */
export interface OdeLikelihood {
  /** log p_0(x_0) = log p_1(x_1) + integral of div v. */
  logLikelihood: number;
  /** The end of the path x(1). */
  x1: Float64Array;
  /** integral_0^1 div v dtau (the log-volume change). */
  divergenceIntegral: number;
}

/**
 * log p_0(x_0) through the probability-flow ODE, `eq:ode-likelihood`: RK4 on the pair
 * (x, integral of div v) from tau = 0 to 1.
 *
 * @example
 * ```ts
 * import { createMixture, mixtureLogPdf } from "./mixture.ts";
 * import { linearVpSde, vpMixtureMarginal } from "./sde.ts";
 * import { mixtureScoreDivergence, odeLogLikelihood } from "./ode_likelihood.ts";
 * import { mixtureScore } from "./mixture.ts";
 * const m = createMixture({ weights: [1, 2], means: [[-1, 0], [1, 0.5]], variances: [0.2, 0.3] });
 * const sde = linearVpSde(), q = (tau: number) => vpMixtureMarginal(m, sde, tau);
 * const r = odeLogLikelihood({ sde, x0: [0.8, 0.2],
 *   score: (x, tau) => mixtureScore(q(tau), x), scoreDivergence: (x, tau) => mixtureScoreDivergence(q(tau), x),
 *   priorLogPdf: (x) => mixtureLogPdf(q(1), x) });
 * if (Math.abs(r.logLikelihood - mixtureLogPdf(m, [0.8, 0.2])) > 1e-5) throw new Error(`${r.logLikelihood}`);
 * ```
 */
export function odeLogLikelihood(opts: OdeLikelihoodOptions): OdeLikelihood {
  const { sde, score, scoreDivergence, priorLogPdf, steps = 200 } = opts;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(
      `Cannot integrate the ODE likelihood as steps must be a positive integer: current value is ${steps}`,
    );
  }
  const dim = opts.x0.length, h = 1 / steps;
  const rhs = (x: Float64Array, tau: number) => ({
    v: probabilityFlowDrift(sde, tau, x, score(x, tau)), // [dim] dx/d\tau
    div: flowDivergence(sde, tau, dim, scoreDivergence(x, tau)), // div v
  });
  let x = Float64Array.from(opts.x0), integral = 0;
  for (let k = 0; k < steps; k++) {
    const tau = k / steps, mid = (k + 0.5) / steps, next = (k + 1) / steps;
    const k1 = rhs(x, tau);
    const k2 = rhs(x.map((u, j) => u + 0.5 * h * k1.v[j]), mid);
    const k3 = rhs(x.map((u, j) => u + 0.5 * h * k2.v[j]), mid);
    const k4 = rhs(x.map((u, j) => u + h * k3.v[j]), next);
    x = x.map((u, j) => u + (h / 6) * (k1.v[j] + 2 * k2.v[j] + 2 * k3.v[j] + k4.v[j]));
    integral += (h / 6) * (k1.div + 2 * k2.div + 2 * k3.div + k4.div);
    if (!Number.isFinite(integral) || !x.every(Number.isFinite)) {
      throw new RangeError(
        `Cannot integrate the ODE likelihood as the path left the finite numbers at tau = ${tau}: current value is ${integral}; use more steps`,
      );
    }
  }
  return { logLikelihood: priorLogPdf(x) + integral, x1: x, divergenceIntegral: integral };
}
