/**
 * Multiplying distributions (Sohl-Dickstein et al., 2015): sampling p(x_0) r(x_0) with a trained
 * reverse chain by nudging each Gaussian reverse step. Implements `eq:perturbed-step`: a Gaussian
 * step N(mu, Sigma) multiplied by a smooth r is approximately N(mu + Sigma grad log r(mu), Sigma),
 * exactly so when log r is linear. Plain float64; the tfjs sampler (`ddpmStepTensor`) does the same
 * on tensors.
 *
 * @module
 */
import { type Like, map2, type Partner, type Value } from "./vector.ts";

/**
 * The mean of the perturbed reverse step, mu + Sigma grad log r(mu), for a diagonal Sigma.
 *
 * @param mean The step's mean mu (a number or one value per coordinate).
 * @param variance The step's variance: one number for every coordinate, or one per coordinate.
 * @param gradLogR grad log r evaluated at mu, shaped like `mean`.
 * @returns The shifted mean.
 * @example
 * ```ts
 * import { perturbedStepMean } from "./multiply.ts";
 * // N(1, 0.5) times e^{2x} is N(1 + 0.5 * 2, 0.5)
 * if (perturbedStepMean(1, 0.5, 2) !== 2) throw new Error("mu + Sigma g");
 * ```
 */
export function perturbedStepMean<X extends Value>(
  mean: X,
  variance: Value,
  gradLogR: Partner<X>,
): Like<X> {
  const action = "perturb a reverse step";
  if (typeof variance === "number") {
    if (!(variance >= 0 && Number.isFinite(variance))) {
      throw new RangeError(
        `Cannot ${action} as the variance must be finite and >= 0: current value is ${variance}`,
      );
    }
    return map2(action, ["mean", "grad log r"], mean, gradLogR, (m, g) => m + variance * g); // \mu + \Sigma \nabla \log r
  }
  const len = typeof mean === "number" ? 1 : mean.length;
  if (variance.length !== len) {
    throw new RangeError(
      `Cannot ${action} as the variance must have length ${len}: current value is ${variance.length}`,
    );
  }
  let i = 0;
  return map2(action, ["mean", "grad log r"], mean, gradLogR, (m, g) => m + variance[i++] * g);
}
