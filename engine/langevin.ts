/**
 * Langevin dynamics on a score function (Chapter 6): the unadjusted Langevin step
 * x <- x + (delta/2) grad log p(x) + sqrt(delta) z, a chain of them over many points, and annealed
 * Langevin over a ladder of noise levels (NCSN). Plain float64; a score is a function of one point.
 *
 * @module
 */
import type { Rng } from "./rng.ts";
import { assertPositive } from "./vector.ts";

/** A score function of one point: grad_x log p(x), same length as x. */
export type PointScore = (x: Float64Array) => ArrayLike<number>;

/**
 * One unadjusted Langevin step, `eq:langevin-step`:
 * x' = x + (delta / 2) s(x) + noiseScale sqrt(delta) z. `noiseScale = 1` is Langevin dynamics;
 * `0` is gradient ascent on log p (every point climbs to a mode).
 *
 * @param score The score s(x) = grad log p(x).
 * @param x The current point.
 * @param delta Step size delta > 0.
 * @param z Standard normal draws, one per coordinate.
 * @param noiseScale Multiplies the injected noise (1).
 * @returns The next point.
 * @example
 * ```ts
 * import { langevinStep } from "./langevin.ts";
 * // p = N(0, 1): s(x) = -x, so x' = (1 - delta/2) x + sqrt(delta) z
 * const x = langevinStep((x) => x.map((v) => -v), Float64Array.of(2), 0.5, [1]);
 * if (Math.abs(x[0] - (0.75 * 2 + Math.sqrt(0.5))) > 1e-15) throw new Error("one step");
 * ```
 */
export function langevinStep(
  score: PointScore,
  x: Float64Array,
  delta: number,
  z: ArrayLike<number>,
  noiseScale = 1,
): Float64Array {
  assertPositive(delta, "take a Langevin step", "delta");
  const s = score(x); // [dim] \nabla \log p(x)
  const root = noiseScale * Math.sqrt(delta);
  return x.map((v, i) => v + 0.5 * delta * s[i] + root * z[i]); // [dim]
}

/** Options of {@link langevinChain}. */
export interface LangevinChainOptions {
  /** The score of the target. */
  score: PointScore;
  /** Start points, flat [n, dim]; updated in place. */
  x: Float64Array;
  /** Dimension of a point. */
  dim: number;
  /** Step size delta > 0. */
  delta: number;
  /** Number of steps. */
  steps: number;
  /** Random numbers. */
  rng: Rng;
  /** Multiplies the injected noise (1). */
  noiseScale?: number;
}

/**
 * Runs `steps` Langevin steps (`eq:langevin-step`) from every start point, in place. A run that
 * leaves the finite numbers (a step size too large for the score's curvature) stops with an error
 * that says which step and what to lower.
 *
 * @returns The same array `x`, moved.
 * @example
 * ```ts
 * import { langevinChain } from "./langevin.ts";
 * import { createRng } from "./rng.ts";
 * const x = new Float64Array(2000).fill(5); // 2000 points at 5, target N(0, 1)
 * langevinChain({ score: (p) => p.map((v) => -v), x, dim: 1, delta: 0.05, steps: 400, rng: createRng(1) });
 * const mean = x.reduce((a, b) => a + b) / x.length;
 * if (Math.abs(mean) > 0.15) throw new Error(`forgot the start: ${mean}`);
 * ```
 */
export function langevinChain(opts: LangevinChainOptions): Float64Array {
  const { score, x, dim, delta, steps, rng, noiseScale = 1 } = opts;
  assertPositive(delta, "run a Langevin chain", "delta");
  if (!Number.isInteger(dim) || dim < 1 || x.length % dim !== 0) {
    throw new RangeError(
      `Cannot run a Langevin chain as x must be flat [n, dim]: current value is length ${x.length}, dim ${dim}`,
    );
  }
  const root = noiseScale * Math.sqrt(delta), p = new Float64Array(dim);
  for (let step = 0; step < steps; step++) {
    for (let i = 0; i < x.length; i += dim) {
      for (let j = 0; j < dim; j++) p[j] = x[i + j];
      const s = score(p); // [dim]
      for (let j = 0; j < dim; j++) {
        const next = p[j] + 0.5 * delta * s[j] + root * rng.normal(); // eq:langevin-step
        if (!Number.isFinite(next)) {
          throw new RangeError(
            `Cannot continue the Langevin chain as a point left the finite numbers at step ${
              step + 1
            }: current value is delta = ${delta}; lower the step size`,
          );
        }
        x[i + j] = next;
      }
    }
  }
  return x;
}

/**
 * The exact stationary variance of the unadjusted Langevin chain for a Gaussian target N(0, s2),
 * `eq:langevin-gaussian-bias`: the chain is x' = (1 - delta/(2 s2)) x + sqrt(delta) z, an AR(1)
 * process, whose stationary variance delta / (1 - (1 - delta/(2 s2))^2) simplifies to
 * s2 / (1 - delta/(4 s2)). It exceeds s2 for every delta > 0 and exists only for delta < 4 s2.
 *
 * @param s2 The target's variance.
 * @param delta Step size, 0 < delta < 4 s2.
 * @returns The chain's stationary variance.
 * @example
 * ```ts
 * import { langevinGaussianVariance } from "./langevin.ts";
 * if (Math.abs(langevinGaussianVariance(1, 0.4) - 1 / 0.9) > 1e-15) throw new Error("1 / (1 - 0.1)");
 * ```
 */
export function langevinGaussianVariance(s2: number, delta: number): number {
  assertPositive(s2, "compute the Langevin stationary variance", "s2");
  assertPositive(delta, "compute the Langevin stationary variance", "delta");
  if (!(delta < 4 * s2)) {
    throw new RangeError(
      `Cannot compute the Langevin stationary variance as the chain diverges unless delta < 4 s2 = ${
        4 * s2
      }: current value is ${delta}`,
    );
  }
  return s2 / (1 - delta / (4 * s2));
}

/** Options of {@link annealedLangevin}. */
export interface AnnealedLangevinOptions {
  /** Score of the data smoothed with N(0, sigma^2 I): s(x, sigma). */
  score: (x: Float64Array, sigma: number) => ArrayLike<number>;
  /** Noise levels, largest first (sigma_1 > ... > sigma_L). */
  sigmas: readonly number[];
  /** Base step size epsilon: level i uses delta_i = epsilon sigma_i^2 / sigma_L^2. */
  epsilon: number;
  /** Langevin steps per level. */
  stepsPerLevel: number;
  /** Start points, flat [n, dim]; updated in place. */
  x: Float64Array;
  /** Dimension of a point. */
  dim: number;
  /** Random numbers. */
  rng: Rng;
}

/**
 * Annealed Langevin dynamics (Song & Ermon, 2019), `eq:annealed-step`: Langevin steps on the
 * smoothed density q_sigma for each noise level from the largest to the smallest, with step size
 * delta_i = epsilon sigma_i^2 / sigma_L^2, so that every level takes steps of the same size relative
 * to its own width.
 *
 * @returns The same array `x`, moved.
 * @example
 * ```ts
 * import { annealedLangevin } from "./langevin.ts";
 * import { createRng } from "./rng.ts";
 * // Target N(0, 1): smoothed with sigma it is N(0, 1 + sigma^2), score -x / (1 + sigma^2)
 * const x = new Float64Array(1000).fill(8);
 * annealedLangevin({ score: (p, s) => p.map((v) => -v / (1 + s * s)), sigmas: [3, 1, 0.3], epsilon: 0.02,
 *   stepsPerLevel: 100, x, dim: 1, rng: createRng(2) });
 * const mean = x.reduce((a, b) => a + b) / x.length;
 * if (Math.abs(mean) > 0.2) throw new Error(`${mean}`);
 * ```
 */
export function annealedLangevin(opts: AnnealedLangevinOptions): Float64Array {
  const { sigmas, epsilon } = opts;
  if (sigmas.length < 1) {
    throw new RangeError(
      "Cannot run annealed Langevin as it needs at least one noise level: current value is 0",
    );
  }
  const last = sigmas[sigmas.length - 1];
  assertPositive(last, "run annealed Langevin", "the smallest sigma");
  for (const sigma of sigmas) {
    const delta = annealedStepSize(epsilon, sigma, last);
    langevinChain({
      score: (p) => opts.score(p, sigma),
      x: opts.x,
      dim: opts.dim,
      delta,
      steps: opts.stepsPerLevel,
      rng: opts.rng,
    });
  }
  return opts.x;
}

/**
 * The step size of one level of annealed Langevin dynamics, `eq:annealed-step`:
 * delta_i = epsilon sigma_i^2 / sigma_L^2.
 *
 * @param epsilon the base step size (the smallest level's)
 * @param sigma this level's noise sigma_i
 * @param smallest the smallest noise sigma_L
 * @returns delta_i
 * @example
 * ```ts
 * import { annealedStepSize } from "./langevin.ts";
 * if (annealedStepSize(0.02, 3, 0.3) !== 0.02 * 100) throw new Error("ten times the width");
 * ```
 */
export function annealedStepSize(epsilon: number, sigma: number, smallest: number): number {
  return epsilon * (sigma / smallest) ** 2; // \delta_i = \epsilon \sigma_i^2 / \sigma_L^2
}
