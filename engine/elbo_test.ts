import assert from "node:assert/strict";
import {
  elboTerms,
  exactElboGaussian,
  exactGaussianReverse,
  exactLogLikelihoodGaussianChain,
  exactPathKlGaussian,
  gaussianChainMarginals,
  type LinearGaussianReverse,
  linearReverseMean,
  sdBoundEntropies,
} from "./elbo.ts";
import { klDiagGaussians } from "./gaussian.ts";
import { reverseVariance } from "./parameterisation.ts";
import { posteriorMean } from "./posterior.ts";
import { logPathWeight, logPPath, logQPath, sampleForwardPath } from "./path.ts";
import { createRng } from "./rng.ts";
import { linearSchedule, type Schedule, scheduleFromBetas } from "./schedule.ts";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

function stats(xs: number[]) {
  const n = xs.length, mean = xs.reduce((a, b) => a + b, 0) / n;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(v / n) };
}

/** An arbitrary (imperfect) linear reverse chain with sigma_t^2 from a choice. */
function someReverse(s: Schedule, choice: "beta" | "betaTilde"): LinearGaussianReverse {
  const T = s.T,
    a = new Float64Array(T + 1),
    b = new Float64Array(T + 1),
    v = new Float64Array(T + 1);
  for (let t = 1; t <= T; t++) {
    a[t] = 0.9 + 0.01 * t;
    b[t] = 0.05 * Math.sin(t);
    v[t] = reverseVariance(s, t, choice);
  }
  return { a, b, variance: v };
}

Deno.test("eq:elbo-terms: the Monte Carlo terms average to the closed forms (4 SE per term), point and Gaussian data", () => {
  const s = linearSchedule(6, 0.05, 0.4), rng = createRng(21), n = 20_000;
  for (const choice of ["beta", "betaTilde"] as const) {
    const rev = someReverse(s, choice), mean = linearReverseMean(rev);
    for (const data of [{ mean: 0.7, variance: 0 }, { mean: -0.3, variance: 0.5 }]) {
      const exact = exactElboGaussian(s, data, rev);
      const draws = Array.from({ length: n }, () => {
        const x0 = data.mean + Math.sqrt(data.variance) * rng.normal();
        return elboTerms(s, [x0], mean, rng, { variance: choice });
      });
      const what = `${choice} ${JSON.stringify(data)}`;
      for (const key of ["prior", "reconstruction", "elbo"] as const) {
        const st = stats(draws.map((d) => d[key]));
        close(st.mean, exact[key], 4 * st.se + 1e-12, `${key} ${what}`);
      }
      for (let t = 2; t <= 6; t++) {
        const st = stats(draws.map((d) => d.denoising[t]));
        close(st.mean, exact.denoising[t], 4 * st.se + 1e-12, `denoising[${t}] ${what}`);
      }
      assert.equal(exact.denoising[0] + exact.denoising[1], 0);
      close(
        exact.elbo,
        exact.reconstruction - exact.prior - exact.denoising.reduce((a, b) => a + b),
        1e-12,
      );
    }
  }
});

Deno.test("eq:elbo-identity: log p(x_0) = ELBO + KL(q(x_{1:T}|x_0) || p(x_{1:T}|x_0)) to 1e-10, T = 1, 2, 5, 20", () => {
  // three independent routes: the chain's marginal (recursion), the ELBO's terms, the dense T-dim KL
  for (const T of [1, 2, 5, 20]) {
    const s = linearSchedule(T, 0.02, 0.5);
    const reverses = [
      someReverse(s, "beta"),
      exactGaussianReverse(s, { mean: 0.4, variance: 0.3 }),
    ];
    for (const rev of reverses) {
      for (const x0 of [-1.2, 0, 0.8]) {
        const logP = exactLogLikelihoodGaussianChain(s, { mean: x0, variance: 0 }, rev);
        const elbo = exactElboGaussian(s, { mean: x0, variance: 0 }, rev).elbo;
        const kl = exactPathKlGaussian(s, x0, rev);
        assert.ok(kl >= -1e-12, `KL >= 0 (T = ${T})`);
        close(logP, elbo + kl, 1e-10 * (1 + Math.abs(logP)), `T = ${T}, x0 = ${x0}`);
        assert.ok(elbo <= logP + 1e-12, "ELBO <= log p");
      }
    }
  }
});

Deno.test("the path KL equals the Monte Carlo mean of log q(x_{1:T}|x_0) - log p(x_{1:T}|x_0) (4 SE)", () => {
  const s = linearSchedule(4, 0.1, 0.5),
    rev = someReverse(s, "betaTilde"),
    x0 = 0.5,
    rng = createRng(3);
  const mean = linearReverseMean(rev),
    logP = exactLogLikelihoodGaussianChain(s, { mean: x0, variance: 0 }, rev);
  const draws = Array.from({ length: 20_000 }, () => {
    const path = sampleForwardPath(s, x0, rng);
    return logQPath(s, path) - (logPPath(s, path, mean, { variance: "betaTilde" }) - logP);
  });
  const st = stats(draws);
  close(st.mean, exactPathKlGaussian(s, x0, rev), 4 * st.se, "4 SE");
});

Deno.test("the ELBO is the expected log path weight (eq:path-integral's log, MC 4 SE)", () => {
  const s = linearSchedule(5, 0.05, 0.3),
    rev = someReverse(s, "beta"),
    x0 = -0.4,
    rng = createRng(4);
  const mean = linearReverseMean(rev);
  const st = stats(
    Array.from({ length: 20_000 }, () => logPathWeight(s, sampleForwardPath(s, x0, rng), mean)),
  );
  close(st.mean, exactElboGaussian(s, { mean: x0, variance: 0 }, rev).elbo, 4 * st.se, "4 SE");
});

Deno.test("with the true reverse kernels of N(0, 1) data the chain is exact: ELBO = log p, every term by hand", () => {
  // N(0, 1) is stationary, so q(x_T) = N(0, 1) = p(x_T) and p(x_{0:T}) = q(x_{0:T})
  const s = linearSchedule(8, 0.05, 0.3), rev = exactGaussianReverse(s, { mean: 0, variance: 1 });
  for (let t = 1; t <= 8; t++) {
    close(rev.a[t], Math.sqrt(s.alphas[t]), 1e-14);
    close(rev.variance[t], s.betas[t], 1e-14);
  }
  const data = { mean: 0, variance: 1 };
  const e = exactElboGaussian(s, data, rev), logP = exactLogLikelihoodGaussianChain(s, data, rev);
  close(logP, -0.5 * Math.log(2 * Math.PI) - 0.5, 1e-13, "E log N(x; 0, 1) = -log(2 pi)/2 - 1/2");
  close(
    e.prior,
    -0.5 * Math.log(1 - s.alphaBars[8]),
    1e-14,
    "E KL(N(sqrt(aBar) x_0, 1 - aBar) || N(0, 1))",
  );
  close(e.elbo, logP, 1e-12, "p(x_{0:T}) = q(x_{0:T}): no gap");
  for (const x0 of [-2, 0.5]) close(exactPathKlGaussian(s, x0, rev), 0, 1e-12, `KL at x_0 = ${x0}`);
  const m = gaussianChainMarginals(s, rev);
  for (let t = 0; t <= 8; t++) close(m.variances[t], 1, 1e-13, `p(x_${t}) = N(0, 1)`);
});

Deno.test("eq:sd-bound: K = -sum_t E KL + H_q(X_T|X_0) - H_q(X_1|X_0) - H_p(X_T) exactly when E x_0^2 = 1", () => {
  const s = scheduleFromBetas([0.1, 0.2, 0.3, 0.4, 0.5]);
  const rev = someReverse(s, "betaTilde");
  const a = Float64Array.from(rev.a),
    b = Float64Array.from(rev.b),
    v = Float64Array.from(rev.variance);
  a[1] = Math.sqrt(s.alphas[1]); // p(x_0 | x_1) = the forward kernel run backwards
  b[1] = 0;
  v[1] = s.betas[1];
  const sd = { a, b, variance: v }, ent = sdBoundEntropies(s, 1);
  const data = { mean: 0.6, variance: 0.64 }; // E x_0^2 = 0.36 + 0.64 = 1
  const e = exactElboGaussian(s, data, sd);
  const sumKl = e.denoising.reduce((x, y) => x + y, 0);
  close(e.elbo, -sumKl + ent.total, 1e-12);
  // with E x_0^2 != 1 the entropy form is only an approximation
  const off = exactElboGaussian(s, { mean: 1.5, variance: 0.64 }, sd);
  assert.ok(Math.abs(off.elbo - (-off.denoising.reduce((x, y) => x + y, 0) + ent.total)) > 1e-3);
  close(ent.total, ent.hqT - ent.hq1 - ent.hpT, 1e-15);
  close(sdBoundEntropies(s, 3).total, 3 * ent.total, 1e-13);
});

Deno.test("gaussianChainMarginals by hand for T = 2", () => {
  const s = scheduleFromBetas([0.5, 0.5]);
  const r = gaussianChainMarginals(s, { a: [0, 2, 3], b: [0, 1, -1], variance: [0, 0.5, 2] });
  // x_2 ~ N(0, 1); x_1 = 3 x_2 - 1 + N(0, 2): N(-1, 11); x_0 = 2 x_1 + 1 + N(0, .5): N(-1, 44.5)
  assert.deepEqual([r.means[1], r.variances[1], r.means[0], r.variances[0]], [-1, 11, -1, 44.5]);
});

Deno.test("elboTerms: zero denoising KL for the oracle mean; t = 1 reconstruction uses beta_1 under betaTilde", () => {
  const s = linearSchedule(10), x0 = [0.3, -0.2];
  const oracle = (xt: Float64Array, t: number) => posteriorMean(s, xt, x0, t);
  const r = elboTerms(s, x0, oracle, createRng(1), { variance: "betaTilde" });
  assert.equal(r.denoising.length, 11);
  assert.ok(r.denoising.every((d) => Math.abs(d) < 1e-12), "KL of a Gaussian with itself");
  const rBeta = elboTerms(s, x0, oracle, createRng(1), { variance: "beta" });
  close(r.reconstruction, rBeta.reconstruction, 0, "same draws, same sigma_1^2 = beta_1");
  assert.ok(
    rBeta.denoising.slice(2).every((d) => d > 0),
    "sigma^2 = beta != tilde beta costs a little",
  );
  close(
    r.prior,
    klDiagGaussians(x0.map((x) => Math.sqrt(s.alphaBars[10]) * x), 1 - s.alphaBars[10], [0, 0], 1),
    1e-15,
  );
});

Deno.test("bad inputs throw with the current value", () => {
  const s = linearSchedule(3), rev = someReverse(s, "beta");
  assert.throws(
    () => exactElboGaussian(s, { mean: 0, variance: -1 }, rev),
    /data variance must be finite and >= 0: current value is -1/,
  );
  assert.throws(
    () => exactElboGaussian(s, { mean: NaN, variance: 1 }, rev),
    /data mean must be finite/,
  );
  assert.throws(
    () => exactElboGaussian(s, { mean: 0, variance: 1 }, { ...rev, a: [0, 1] }),
    /reverse.a must have length T \+ 1 = 4: current value is 2/,
  );
  assert.throws(
    () => exactPathKlGaussian(s, 0, { ...rev, variance: [0, 1, 0, 1] }),
    /reverse.variance\[2\] must be finite and > 0: current value is 0/,
  );
  assert.throws(
    () => exactGaussianReverse(s, { mean: 0, variance: 0 }),
    /data variance must be finite and > 0/,
  );
  assert.throws(() => elboTerms(s, [NaN], (x) => x, createRng(0)), /x_0\[0\] must be finite/);
  assert.throws(
    () => elboTerms(s, [1], () => [NaN], createRng(0)),
    /reverseMean\(x_2, 2\)\[0\] must be finite: current value is NaN/,
  );
});
