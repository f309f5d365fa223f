import { linearChainJoint, linearChainPosterior } from "./linear_chain_posterior.ts";
import { createMixture, multiplyByGaussian } from "./mixture.ts";
import { gaussianChainMarginals, type LinearGaussianReverse } from "./elbo.ts";
import { logPPath } from "./path.ts";
import { linearSchedule, scheduleFromBetas } from "./schedule.ts";
import { createRng } from "./rng.ts";
import { gaussianLogPdf } from "./gaussian.ts";

function randomReverse(T: number, seed: number): LinearGaussianReverse {
  const rng = createRng(seed);
  const a = new Float64Array(T + 1), b = new Float64Array(T + 1), v = new Float64Array(T + 1);
  for (let t = 1; t <= T; t++) {
    a[t] = 0.3 + rng.uniform();
    b[t] = rng.uniform() - 0.5;
    v[t] = 0.05 + rng.uniform();
  }
  return { a, b, variance: v };
}

Deno.test("linearChainPosterior: log p(x_{0:T}) = log p(x_0) + log p(x_{1:T} | x_0) on random paths", () => {
  for (const s of [scheduleFromBetas([0.3]), linearSchedule(5, 0.05, 0.4), linearSchedule(12)]) {
    const reverse = randomReverse(s.T, s.T);
    const { means, variances } = gaussianChainMarginals(s, reverse);
    const rng = createRng(7);
    for (let k = 0; k < 5; k++) {
      const path = Array.from({ length: s.T + 1 }, () => 2 * rng.normal()); // [T + 1]
      const joint = logPPath(
        s,
        path.map((x) => [x]),
        (xt, t) => [reverse.a[t] * xt[0] + reverse.b[t]],
        {
          variance: reverse.variance,
        },
      );
      const split = gaussianLogPdf(path[0], means[0], variances[0]) +
        linearChainPosterior(s, path[0], reverse).logPdf(path.slice(1));
      if (Math.abs(joint - split) > 1e-10 * (1 + Math.abs(joint))) {
        throw new Error(`T=${s.T}: joint ${joint} vs split ${split}`);
      }
    }
  }
});

Deno.test("linearChainPosterior: a non-positive variance or a wrong path length says why", () => {
  const s = scheduleFromBetas([0.5]);
  let msg = "";
  try {
    linearChainPosterior(s, 0, { a: [0, 1], b: [0, 0], variance: [0, 0] });
  } catch (e) {
    msg = (e as Error).message;
  }
  if (!/positive variance/.test(msg)) throw new Error(msg);
  const p = linearChainPosterior(s, 0, { a: [0, 1], b: [0, 0], variance: [0, 1] });
  try {
    p.logPdf([1, 2]);
    msg = "";
  } catch (e) {
    msg = (e as Error).message;
  }
  if (!/T = 1/.test(msg)) throw new Error(msg);
});

Deno.test("linearChainJoint: marginals match the chain's recursion; the bump multiplies p(x_0)", () => {
  const s = linearSchedule(6, 0.05, 0.4), reverse = randomReverse(6, 3), n = 7;
  const { means, variances } = gaussianChainMarginals(s, reverse);
  const j = linearChainJoint(s, reverse);
  for (let t = 0; t <= 6; t++) {
    if (
      Math.abs(j.mean[t] - means[t]) > 1e-12 || Math.abs(j.cov[t * n + t] - variances[t]) > 1e-12
    ) {
      throw new Error(`t=${t}: ${j.mean[t]}, ${j.cov[t * n + t]} vs ${means[t]}, ${variances[t]}`);
    }
  }
  // x_0's marginal under p(x_{0:T}) r(x_0) / Z is N(m, v) times the bump, renormalised
  const m = createMixture({ weights: [1], means: [means[0]], variances: variances[0] });
  const want = multiplyByGaussian(m, 1, 0.3);
  const b = linearChainJoint(s, reverse, { center: 1, width: 0.3 });
  if (
    Math.abs(b.mean[0] - want.means[0][0]) > 1e-12 || Math.abs(b.cov[0] - want.variances[0]) > 1e-12
  ) {
    throw new Error(`${b.mean[0]}, ${b.cov[0]} vs ${want.means[0][0]}, ${want.variances[0]}`);
  }
});
