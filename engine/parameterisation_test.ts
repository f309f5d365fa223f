import assert from "node:assert/strict";
import { klDiagGaussians } from "./gaussian.ts";
import {
  epsFromScore,
  epsFromX0,
  lossWeight,
  reverseMeanFromEps,
  reverseMeanFromScore,
  reverseMeanFromX0,
  reverseVariance,
  scoreFromEps,
  scoreFromX0,
  x0FromEps,
  x0FromScore,
} from "./parameterisation.ts";
import { posteriorMean } from "./posterior.ts";
import { cosineSchedule, linearSchedule, scheduleFromBetas } from "./schedule.ts";

// float64 with a few operations and coefficients up to ~1/sqrt(alphaBar_T): relative 1e-12
const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: ${a} vs ${b} (tol ${tol})`);

const s = linearSchedule(100);
const TIMES = [1, 2, 50, 100];

Deno.test("eq:x0-from-eps: x0FromEps and epsFromX0 invert each other and recover forward samples", () => {
  for (const t of TIMES) {
    const x0 = 0.7, eps = -1.3;
    const xt = Math.sqrt(s.alphaBars[t]) * x0 + Math.sqrt(1 - s.alphaBars[t]) * eps;
    close(x0FromEps(s, xt, eps, t), x0, 1e-12, `x0 at t = ${t}`);
    close(epsFromX0(s, xt, x0, t), eps, 1e-12, `eps at t = ${t}`);
  }
});

Deno.test("eq:score-from-eps: the score of q(x_t | x_0) is -eps / sqrt(1 - alphaBar_t); inverses agree", () => {
  for (const t of TIMES) {
    const x0 = [0.2, -2], eps = [0.5, 1.5];
    const xt = x0.map((x, i) =>
      Math.sqrt(s.alphaBars[t]) * x + Math.sqrt(1 - s.alphaBars[t]) * eps[i]
    );
    // grad log N(x_t; sqrt(aBar) x_0, 1 - aBar) = -(x_t - sqrt(aBar) x_0) / (1 - aBar), worked by hand
    const score = xt.map((x, i) => -(x - Math.sqrt(s.alphaBars[t]) * x0[i]) / (1 - s.alphaBars[t]));
    const g = scoreFromEps(s, xt, eps, t), g2 = scoreFromX0(s, xt, x0, t);
    for (let i = 0; i < 2; i++) {
      close(g[i], score[i], 1e-12, `scoreFromEps t = ${t}`);
      close(g2[i], score[i], 1e-12, `scoreFromX0 t = ${t}`);
      close(epsFromScore(s, xt, score, t)[i], eps[i], 1e-12);
      close(x0FromScore(s, xt, score, t)[i], x0[i], 1e-12);
    }
  }
});

Deno.test("the three reverse means agree when their predictions describe the same x_0 (t = 1 and t = T too)", () => {
  const c = cosineSchedule(40);
  for (const t of [1, 2, 20, 40]) {
    const xt = 0.9, x0 = -0.4;
    const eps = epsFromX0(c, xt, x0, t), score = scoreFromX0(c, xt, x0, t);
    const ref = posteriorMean(c, xt, x0, t);
    close(reverseMeanFromX0(c, xt, x0, t), ref, 1e-10, `x0 t = ${t}`);
    close(reverseMeanFromEps(c, xt, eps, t), ref, 1e-10, `eps t = ${t}`);
    close(reverseMeanFromScore(c, xt, score, t), ref, 1e-10, `score t = ${t}`);
  }
});

Deno.test("lossWeight: KL(q(x_{t-1}|x_t,x_0) || p_theta) = lambda_t ||pred - target||^2 for each target", () => {
  for (const t of [2, 30, 100]) {
    for (const variance of ["betaTilde", "beta"] as const) {
      const sigma2 = reverseVariance(s, t, variance), bTilde = s.betaTildes[t];
      const constant = Math.log(sigma2 / bTilde) + bTilde / sigma2 - 1; // KL at equal means, 2 coordinates
      const xt = [0.3, -0.8], x0 = [1, 0.5];
      const eps = epsFromX0(s, xt, x0, t), score = scoreFromX0(s, xt, x0, t);
      const muTilde = posteriorMean(s, xt, x0, t);
      const cases = [
        ["eps", eps, (p: Float64Array) => reverseMeanFromEps(s, xt, p, t)],
        ["x0", Float64Array.from(x0), (p: Float64Array) => reverseMeanFromX0(s, xt, p, t)],
        ["score", score, (p: Float64Array) => reverseMeanFromScore(s, xt, p, t)],
      ] as const;
      for (const [kind, target, mean] of cases) {
        const pred = target.map((v, i) => v + (i ? -0.2 : 0.1)); // ||pred - target||^2 = 0.05
        const kl = klDiagGaussians(muTilde, bTilde, mean(pred), sigma2);
        close(
          kl - constant,
          lossWeight(s, t, kind, variance) * 0.05,
          1e-9,
          `${kind} ${variance} t = ${t}`,
        );
      }
    }
  }
});

Deno.test("lossWeight by hand with sigma^2 = beta (the weights train.ts's elboWeight uses)", () => {
  const t = 7, b = s.betas[t], a = s.alphas[t], ab = s.alphaBars[t];
  close(lossWeight(s, t, "eps"), b / (2 * a * (1 - ab)), 1e-14);
  close(lossWeight(s, t, "score"), b / (2 * a), 1e-14);
  close(lossWeight(s, t, "x0"), s.posteriorCoefX0[t] ** 2 / (2 * b), 1e-14);
  close(
    lossWeight(s, 1, "eps"),
    1 / (2 * a * 0 + 2 * s.alphas[1]),
    1e-12,
    "t = 1: 1 / (2 alpha_1)",
  );
  close(lossWeight(s, 7, "eps", 0.5), b * b / (a * (1 - ab)), 1e-12, "numeric sigma^2 = 0.5");
});

Deno.test("reverseVariance: beta, betaTilde (beta_1 at t = 1), numbers; bad choices throw", () => {
  assert.equal(reverseVariance(s, 1, "betaTilde"), s.betas[1]);
  assert.equal(reverseVariance(s, 100, "betaTilde"), s.betaTildes[100]);
  assert.equal(reverseVariance(s, 100, "beta"), s.betas[100]);
  assert.equal(reverseVariance(s, 3, 0.25), 0.25);
  assert.throws(
    () => reverseVariance(s, 3, -1),
    /sigma_t\^2 must be finite and > 0: current value is -1/,
  );
  assert.throws(() => reverseVariance(s, 3, "nope" as never), /current value is nope/);
  assert.throws(() => lossWeight(s, 3, "v" as never), /parameterisation must be/);
  assert.throws(() => x0FromEps(s, 1, 1, 0), RangeError);
  const noSignal = scheduleFromBetas([0.5, 1]); // alphaBar_2 = 0: x_2 carries nothing of x_0
  assert.throws(() => x0FromEps(noSignal, 1, 1, 2), /alphaBar_t must be > 0: current value is 0/);
  assert.throws(() => x0FromScore(noSignal, 1, 1, 2), RangeError);
  assert.equal(epsFromScore(noSignal, 1, -1, 2), 1, "no division by alphaBar: still defined");
  const noNoise = scheduleFromBetas([1e-20]); // 1 - alphaBar_1 rounds to 0
  assert.throws(
    () => epsFromX0(noNoise, 1, 1, 1),
    /1 - alphaBar_t must be > 0: current value is 0/,
  );
  assert.throws(() => lossWeight(noNoise, 1, "eps"), /1 - alphaBar_t must be > 0/);
  assert.throws(() => scoreFromEps(s, 1, NaN, 2), /eps must be finite: current value is NaN/);
});
