import assert from "node:assert/strict";
import { binomialKernel, binomialMarginal, binomialMarginalLogProb } from "./binomial.ts";
import {
  heartbeatPatterns,
  nearestPatternAgreement,
  patternPosterior,
  reverseBitProbabilities,
  reverseStepSample,
} from "./binomial_reverse.ts";
import { binaryHeartbeat } from "./datasets.ts";
import { createRng } from "./rng.ts";
import { linearSchedule, sohlDicksteinSchedule } from "./schedule.ts";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

Deno.test("heartbeatPatterns lists exactly the sequences binaryHeartbeat draws", () => {
  const patterns = heartbeatPatterns(20, 5).map((p) => p.join(""));
  assert.equal(new Set(patterns).size, 5);
  const drawn = binaryHeartbeat(200, 20, createRng(3));
  const seen = new Set<string>();
  for (let j = 0; j < 200; j++) seen.add(drawn.slice(j * 20, j * 20 + 20).join(""));
  assert.deepEqual([...seen].sort(), [...patterns].sort());
  assert.throws(() => heartbeatPatterns(4, 5), /current value is 5/);
});

Deno.test("patternPosterior is Bayes' rule with binomialMarginalLogProb and a uniform prior", () => {
  const s = sohlDicksteinSchedule(40), patterns = heartbeatPatterns(20, 5), rng = createRng(5);
  for (const t of [1, 7, 40]) {
    const xt = Uint8Array.from({ length: 20 }, () => (rng.uniform() < 0.3 ? 1 : 0));
    const w = patternPosterior(s, xt, t, patterns);
    const logs = patterns.map((p) => binomialMarginalLogProb(s, xt, p, t));
    const top = Math.max(...logs), z = logs.reduce((a, l) => a + Math.exp(l - top), 0);
    logs.forEach((l, k) => close(w[k], Math.exp(l - top) / z, 1e-13, `t = ${t}, pattern ${k}`));
  }
});

Deno.test("reverseBitProbabilities equals brute-force Bayes over every x_{t-1} (eq:bayes-reverse)", () => {
  // 6 bits, period 3: enumerate all 64 values of x_{t-1};
  // q(x_{t-1} | x_t) is proportional to q(x_t | x_{t-1}) q(x_{t-1}), q(x_{t-1}) = mean_p q(x_{t-1} | x_0 = p)
  const n = 6, patterns = heartbeatPatterns(n, 3), s = linearSchedule(12, 0.05, 0.4);
  const rng = createRng(11);
  for (const t of [1, 2, 6, 12]) {
    const xt = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
    const marginal1 = new Float64Array(n);
    let total = 0;
    for (let code = 0; code < 2 ** n; code++) {
      const prev = Array.from({ length: n }, (_, i) => (code >> i) & 1);
      let like = 1;
      for (let i = 0; i < n; i++) {
        const p1 = binomialKernel(prev[i], s.betas[t]);
        like *= xt[i] ? p1 : 1 - p1;
      }
      let prior = 0;
      for (const p of patterns) {
        let q = 1;
        for (let i = 0; i < n; i++) {
          const p1 = binomialMarginal(s, p[i], t - 1);
          q *= prev[i] ? p1 : 1 - p1;
        }
        prior += q / patterns.length;
      }
      total += like * prior;
      for (let i = 0; i < n; i++) if (prev[i]) marginal1[i] += like * prior;
    }
    const got = reverseBitProbabilities(s, xt, t, patterns);
    for (let i = 0; i < n; i++) close(got[i], marginal1[i] / total, 1e-13, `t = ${t}, bit ${i}`);
  }
});

Deno.test("reverseStepSample: bit frequencies match reverseBitProbabilities (4 SE)", () => {
  const s = sohlDicksteinSchedule(40), patterns = heartbeatPatterns(20, 5), rng = createRng(9);
  const xt = Uint8Array.from({ length: 20 }, (_, i) => (i % 5 === 2 || i === 7 ? 1 : 0));
  const t = 20, draws = 20_000, ones = new Float64Array(20);
  for (let j = 0; j < draws; j++) {
    reverseStepSample(s, xt, t, patterns, rng).forEach((b, i) => (ones[i] += b));
  }
  const p = reverseBitProbabilities(s, xt, t, patterns);
  for (let i = 0; i < 20; i++) {
    close(ones[i] / draws, p[i], 4 * Math.sqrt((p[i] * (1 - p[i])) / draws) + 1e-12, `bit ${i}`);
  }
});

Deno.test("the exact reverse chain from fair coins ends on heartbeats, every phase about equally often", () => {
  const s = sohlDicksteinSchedule(40), patterns = heartbeatPatterns(20, 5), rng = createRng(13);
  const runs = 2000, counts = new Float64Array(5);
  for (let j = 0; j < runs; j++) {
    let x: Uint8Array = Uint8Array.from({ length: 20 }, () => (rng.uniform() < 0.5 ? 1 : 0));
    for (let t = 40; t >= 1; t--) x = reverseStepSample(s, x, t, patterns, rng);
    assert.equal(nearestPatternAgreement(x, patterns), 20, `run ${j} is a heartbeat`);
    counts[x.indexOf(1)]++;
  }
  // q(x_T) is not exactly fair coins (alphaBar_T > 0), but it is close: each phase ~ 1/5
  for (const c of counts) {
    close(c / runs, 0.2, 4 * Math.sqrt(0.2 * 0.8 / runs) + 0.01, "phase share");
  }
});

Deno.test("bad input is refused with its value", () => {
  const s = sohlDicksteinSchedule(10), patterns = heartbeatPatterns(10, 5);
  assert.throws(() => patternPosterior(s, new Uint8Array(10), 0, patterns), /current value is 0/);
  assert.throws(() => patternPosterior(s, new Uint8Array(10), 11, patterns), /current value is 11/);
  assert.throws(() => patternPosterior(s, new Uint8Array(9), 3, patterns), /current value is 10/);
  assert.throws(() => patternPosterior(s, [0, 0, 2, 0, 0, 0, 0, 0, 0, 0], 3, patterns), /is 2/);
  assert.throws(() => nearestPatternAgreement([1], []), /current value is 0/);
});
