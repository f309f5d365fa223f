/**
 * The model densities of an exact toy: a 1-D linear-Gaussian reverse chain
 * p(x_T) = N(0, 1), p_θ(x_{t-1} | x_t) = N(a_t x_t + b_t, σ_t²) (engine `LinearGaussianReverse`),
 * where every model marginal p_θ(x_s) is Gaussian by recursion (`gaussianChainMarginals`), the
 * path density is the engine's `logPPath` and the model's posterior over paths p_θ(x_{1:T} | x_0)
 * is the engine's `linearChainPosterior`. A chapter binds it by setting `BookContext.reverse`.
 *
 * @module
 */
import type { Arg, DensityArgs, Point } from "./binding.ts";
import { exact, type Num } from "./num.ts";
import type { Schedule } from "../../../engine/schedule.ts";
import { gaussianChainMarginals, type LinearGaussianReverse } from "../../../engine/elbo.ts";
import { gaussianLogPdf } from "../../../engine/gaussian.ts";
import { logPPath } from "../../../engine/path.ts";
import { linearChainPosterior } from "../../../engine/linear_chain_posterior.ts";

/** A density from its log, good to 1e-12 relative (the log's terms cancel to a few units). */
const fromLog = (logp: number): Num => exact(Math.exp(logp), 1e-12);

function pathAt(point: Point, from: number, to: number): number[] {
  const xs: number[] = [];
  for (let s = from; s <= to; s++) {
    const v = point.get(`x@${s}`);
    if (!v) throw new Error(`Cannot evaluate a model path density as x_${s} has no value here`);
    xs.push(v.v);
  }
  return xs;
}

function stepOf(a: Arg, what: string): { index: number; value: number } {
  const v = a.variable;
  if (!v || v.name !== "x" || v.index === undefined) {
    throw new Error(`Cannot read ${what} as its argument is not a step variable x_s`);
  }
  return { index: v.index, value: a.value.v };
}

/**
 * p(…) and p_θ(…) of the linear-Gaussian chain, by the pattern of their subscripts:
 * p(x_{0:T}), p_θ(x_{1:T} | x_0), p_θ(x_s) (a model marginal, s = T the prior) and
 * p_θ(x_{t-1} | x_t).
 *
 * @param args the density as written
 * @param schedule the chain's length T
 * @param reverse the chain's a_t, b_t, σ_t²
 * @param point the sample point (a path density reads every step from it)
 * @returns the density with its error bound
 * @example
 * ```ts
 * import { linearModelDensity } from "./linear_model_density.ts";
 * import { exact } from "./num.ts";
 * import { scheduleFromBetas } from "../../../engine/schedule.ts";
 * // T = 1, p(x_0 | x_1) = N(x_1, 1): the marginal p(x_0) is N(0, 2)
 * const r = { a: [0, 1], b: [0, 0], variance: [0, 1] };
 * const x0 = { value: exact(0, 0), variable: { name: "x", index: 0 } };
 * const p = linearModelDensity({ targets: [x0], given: [], params: [] }, scheduleFromBetas([0.5]), r, new Map());
 * if (Math.abs(p.v - 1 / Math.sqrt(4 * Math.PI)) > 1e-12) throw new Error(String(p.v));
 * ```
 */
export function linearModelDensity(
  args: DensityArgs,
  schedule: Schedule,
  reverse: LinearGaussianReverse,
  point: Point,
): Num {
  const T = schedule.T;
  const [target] = args.targets;
  const range = target.variable?.path;
  if (range) {
    const given = args.given.map((g) => stepOf(g, "p(x_{1:T} | x_s)"));
    if (range.from === 0 && range.to === T && given.length === 0) {
      const mean = (xt: Float64Array, t: number) => [reverse.a[t] * xt[0] + reverse.b[t]];
      const path = pathAt(point, 0, T).map((x) => [x]);
      return fromLog(logPPath(schedule, path, mean, { variance: reverse.variance }));
    }
    if (range.from === 1 && range.to === T && given.length === 1 && given[0].index === 0) {
      const post = linearChainPosterior(schedule, given[0].value, reverse);
      return fromLog(post.logPdf(pathAt(point, 1, T)));
    }
    throw new Error(`Cannot bind p(x_{${range.from}:${range.to}} | …) for the linear chain`);
  }
  const a = stepOf(target, "p(x_a …)");
  const given = args.given.map((g) => stepOf(g, "p(… | x_b)"));
  if (given.length === 0) {
    const { means, variances } = gaussianChainMarginals(schedule, reverse);
    return fromLog(gaussianLogPdf(a.value, means[a.index], variances[a.index]));
  }
  if (given.length === 1 && a.index === given[0].index - 1) {
    const t = given[0].index, m = reverse.a[t] * given[0].value + reverse.b[t];
    return fromLog(gaussianLogPdf(a.value, m, reverse.variance[t]));
  }
  throw new Error(`Cannot bind p(x_${a.index} | …) for the linear chain`);
}
