import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import { labelledRing } from "./datasets.ts";
import { mmd2 } from "./metrics.ts";
import { createRng } from "./rng.ts";
import { linearSchedule, type Schedule } from "./schedule.ts";
import {
  classifierFreeEpsModel,
  classifierGuidedEpsModel,
  ddimSample,
  ddimStep,
  ddimStepTensor,
  ddimTimesteps,
  ddpmSample,
  ddpmSigma,
  ddpmStepMean,
  ddpmStepTensor,
  type EpsModel,
} from "./samplers.ts";

await initBackend(["wasm"]);

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** float32 tensors against float64 arithmetic. */
const FLOAT32_TOL = 1e-5;
/** MMD^2 noise floor for 2,000 vs 2,000 points (docs/quality.md: data vs data ~ +-2e-4). */
const MMD_FLOOR = 1e-3;

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) {
  assert(a.length === b.length, `${what}: lengths ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    assert(
      Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])),
      `${what}[${i}]: ${a[i]} vs ${b[i]}`,
    );
  }
}

/**
 * Exact quantities of an isotropic 2-D Gaussian mixture under the forward process, derived here:
 * q_t(x) = sum_k pi_k N(x; sqrt(alphaBar_t) mu_k, v_t I), v_t = alphaBar_t s^2 + 1 - alphaBar_t,
 * grad log q_t(x) = sum_k r_k(x) (sqrt(alphaBar_t) mu_k - x) / v_t, E[eps | x_t] = -sqrt(1 - alphaBar_t)
 * grad log q_t(x_t). Restricting the sum to the components of class y gives q_t(x | y).
 */
function mixtureScore(
  schedule: Schedule,
  means: Float64Array,
  std: number,
  t: number,
  x: ArrayLike<number>,
  keep?: (k: number) => boolean,
): Float64Array {
  const a = Math.sqrt(schedule.alphaBars[t]),
    v = schedule.alphaBars[t] * std * std + 1 - schedule.alphaBars[t];
  const K = means.length / 2, n = x.length / 2;
  const out = new Float64Array(2 * n);
  const logw = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      if (keep && !keep(k)) {
        logw[k] = -Infinity;
        continue;
      }
      const dx = x[2 * i] - a * means[2 * k], dy = x[2 * i + 1] - a * means[2 * k + 1];
      logw[k] = -(dx * dx + dy * dy) / (2 * v);
      max = Math.max(max, logw[k]);
    }
    let total = 0, gx = 0, gy = 0;
    for (let k = 0; k < K; k++) {
      const r = Math.exp(logw[k] - max);
      total += r;
      gx += r * (a * means[2 * k] - x[2 * i]) / v;
      gy += r * (a * means[2 * k + 1] - x[2 * i + 1]) / v;
    }
    out[2 * i] = gx / total;
    out[2 * i + 1] = gy / total;
  }
  return out;
}

function exactEpsModel(
  schedule: Schedule,
  means: Float64Array,
  std: number,
  keep?: (k: number) => boolean,
): EpsModel {
  return (x, t) => {
    const score = mixtureScore(schedule, means, std, t, x.dataSync(), keep);
    const c = -Math.sqrt(1 - schedule.alphaBars[t]);
    return tf.tensor2d(Float32Array.from(score, (s) => c * s), x.shape as [number, number]);
  };
}

const schedule = linearSchedule(100);
const ring = labelledRing(2000, createRng(42), 2);

Deno.test("float64 DDIM with eta = 1 and tPrev = t - 1 is DDPM with sigma^2 = betaTilde", () => {
  const xt = [0.4, -1.3], eps = [0.2, 0.9], z = [1.1, -0.5];
  for (const t of [1, 2, 50, 100]) {
    const mean = ddpmStepMean(schedule, xt, eps, t);
    const sigma = ddpmSigma(schedule, t, "betaTilde");
    const ddpm = mean.map((m, i) => m + sigma * z[i]);
    close(ddimStep(schedule, xt, eps, t, t - 1, 1, z), ddpm, 1e-12, `t = ${t}`);
  }
});

Deno.test("float64 DDPM mean equals the posterior mean at x0Hat (by hand)", () => {
  // mu_theta = coefX0 x0Hat + coefXt x_t, x0Hat = (x_t - sqrt(1 - alphaBar) eps) / sqrt(alphaBar).
  const xt = [0.7], eps = [-0.4];
  for (const t of [1, 37, 100]) {
    const aBar = schedule.alphaBars[t];
    const x0Hat = (xt[0] - Math.sqrt(1 - aBar) * eps[0]) / Math.sqrt(aBar);
    const expected = schedule.posteriorCoefX0[t] * x0Hat + schedule.posteriorCoefXt[t] * xt[0];
    close(ddpmStepMean(schedule, xt, eps, t), [expected], 1e-12, `t = ${t}`);
  }
});

Deno.test("tensor DDPM and DDIM steps equal the float64 steps at t = 1, middle, T", () => {
  const before = tf.memory().numTensors;
  const xt = [0.4, -1.3, 2.2, 0.1], eps = [0.2, 0.9, -1.5, 0.3], z = [1.1, -0.5, 0.3, 0.8];
  for (const t of [1, 50, 100]) {
    const sigma = ddpmSigma(schedule, t, "beta");
    const got = tf.tidy(() =>
      ddpmStepTensor(
        schedule,
        tf.tensor2d(xt, [2, 2]),
        tf.tensor2d(eps, [2, 2]),
        t,
        sigma,
        tf.tensor2d(z, [2, 2]),
      )
        .dataSync()
    );
    const mean = ddpmStepMean(schedule, xt, eps, t);
    close(got, mean.map((m, i) => m + sigma * z[i]), FLOAT32_TOL, `DDPM t = ${t}`);
    for (const [tPrev, eta] of [[0, 0], [t - 1, 0.5], [Math.floor(t / 3), 1]]) {
      const g = tf.tidy(() =>
        ddimStepTensor(
          schedule,
          tf.tensor2d(xt, [2, 2]),
          tf.tensor2d(eps, [2, 2]),
          t,
          tPrev,
          eta,
          tf.tensor2d(z, [2, 2]),
        )
          .dataSync()
      );
      close(g, ddimStep(schedule, xt, eps, t, tPrev, eta, z), FLOAT32_TOL, `DDIM ${t} -> ${tPrev}`);
    }
  }
  assert(tf.memory().numTensors === before, "no leaks");
});

/** A linear eps model eps = 0.5 x + 0.1, used to replay whole chains in float64. */
const linearModel: EpsModel = (x) => tf.add(tf.mul(x, 0.5), 0.1);
const linearEps = (x: ArrayLike<number>) => Array.from(x, (v) => 0.5 * v + 0.1);

Deno.test("whole DDPM chain equals a float64 replay with the documented noise stream", async () => {
  const small = linearSchedule(5, 0.05, 0.3);
  const n = 3, seed = 9;
  const { samples } = await ddpmSample({ model: linearModel, schedule: small, n, seed });
  const rng = createRng(seed);
  let x: ArrayLike<number> = Array.from({ length: 2 * n }, () => Math.fround(rng.normal()));
  for (let t = 5; t >= 1; t--) {
    const mean = ddpmStepMean(small, x, linearEps(x), t);
    const sigma = ddpmSigma(small, t, "beta");
    const z = t > 1 ? Array.from({ length: 2 * n }, () => Math.fround(rng.normal())) : null;
    x = mean.map((m, i) => (z ? m + sigma * z[i] : m));
  }
  close(samples, x, 1e-4, "DDPM chain");
});

Deno.test("whole DDIM chain (3 of 6 steps, eta = 0.5) equals a float64 replay", async () => {
  const small = linearSchedule(6, 0.05, 0.3);
  const n = 2, seed = 10;
  const { samples } = await ddimSample({
    model: linearModel,
    schedule: small,
    n,
    seed,
    steps: 3,
    eta: 0.5,
  });
  const rng = createRng(seed);
  let x: ArrayLike<number> = Array.from({ length: 2 * n }, () => Math.fround(rng.normal()));
  const times = [6, 4, 2, 0];
  for (let i = 0; i < 3; i++) {
    const z = times[i + 1] > 0
      ? Array.from({ length: 2 * n }, () => Math.fround(rng.normal()))
      : undefined;
    x = ddimStep(small, x, linearEps(x), times[i], times[i + 1], 0.5, z);
  }
  close(samples, x, 1e-4, "DDIM chain");
});

Deno.test("trajectories have the right length and end at the samples", async () => {
  const before = tf.memory().numTensors;
  const model: EpsModel = (x, t) => tf.mul(x, Math.sqrt(1 - schedule.alphaBars[t]));
  const full = await ddpmSample({ model, schedule, n: 5, seed: 1, trajectory: true });
  assert(full.trajectory!.length === 101, `DDPM full: ${full.trajectory!.length}`);
  assert(full.trajectory![100].every((v, i) => v === full.samples[i]), "last state is x_0");
  // Stride 30: x_T, then t = 90, 60, 30, 0.
  const strided = await ddpmSample({ model, schedule, n: 5, seed: 1, trajectory: 30 });
  assert(strided.trajectory!.length === 5, `DDPM stride 30: ${strided.trajectory!.length}`);
  close(strided.trajectory![1], full.trajectory![10], 0, "x_90 is the same state");
  const ddim = await ddimSample({ model, schedule, n: 5, seed: 1, steps: 10, trajectory: true });
  assert(ddim.trajectory!.length === 11, `DDIM 10 steps: ${ddim.trajectory!.length}`);
  const ddim3 = await ddimSample({ model, schedule, n: 5, seed: 1, steps: 10, trajectory: 3 });
  assert(ddim3.trajectory!.length === 5, `DDIM stride 3: ${ddim3.trajectory!.length}`);
  const none = await ddpmSample({ model, schedule, n: 5, seed: 1 });
  assert(none.trajectory === undefined, "no trajectory unless asked");
  assert(tf.memory().numTensors === before, "no leaks");
});

Deno.test("ddimTimesteps: evenly spaced, includes T, checks a given list", () => {
  assert(ddimTimesteps(100, 3).join() === "33,67,100", ddimTimesteps(100, 3).join());
  assert(ddimTimesteps(10).length === 10, "all steps by default");
  let message = "";
  try {
    ddimTimesteps(10, [5, 3]);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("current value is 5,3"), message);
});

Deno.test("with the exact eps model, DDPM and DDIM reach the mixture (MMD^2 at the noise floor)", async () => {
  const before = tf.memory().numTensors;
  const model = exactEpsModel(schedule, ring.means, ring.std);
  const data = labelledRing(2000, createRng(43), 2).data;
  const ddpm = await ddpmSample({ model, schedule, n: 2000, seed: 5 });
  const ddim = await ddimSample({ model, schedule, n: 2000, seed: 7, eta: 0 });
  const untrained: EpsModel = (x) => tf.zerosLike(x);
  const bad = await ddimSample({ model: untrained, schedule, n: 2000, seed: 8, steps: 20 });
  const values = [ddpm, ddim, bad].map((r) => mmd2(r.samples, data));
  assert(values[0] < MMD_FLOOR, `DDPM (sigma^2 = beta) ${values[0]}`);
  assert(values[1] < MMD_FLOOR, `DDIM eta = 0 ${values[1]}`);
  assert(values[2] > 10 * MMD_FLOOR, `a zero eps model must fail: ${values[2]}`);
  assert(tf.memory().numTensors === before, "no leaks");
});

Deno.test("sigma^2 = betaTilde: under-dispersed at T = 100 (measured ~1.7e-3), at the floor at T = 1000", async () => {
  // The Gaussian reverse step is only an approximation; with 100 coarse steps the smaller
  // variance betaTilde leaves the ring's components visibly too tight. 1,000 finer steps fix it.
  const data = labelledRing(2000, createRng(43), 2).data;
  const fine = linearSchedule(1000, 1e-4, 0.02);
  const tilde100 = await ddpmSample({
    model: exactEpsModel(schedule, ring.means, ring.std),
    schedule,
    n: 2000,
    seed: 6,
    sigma: "betaTilde",
  });
  const tilde1000 = await ddpmSample({
    model: exactEpsModel(fine, ring.means, ring.std),
    schedule: fine,
    n: 2000,
    seed: 6,
    sigma: "betaTilde",
  });
  const coarse = mmd2(tilde100.samples, data), exact = mmd2(tilde1000.samples, data);
  assert(coarse < 3e-3, `T = 100: ${coarse}`);
  assert(exact < MMD_FLOOR, `T = 1000: ${exact}`);
});

Deno.test("DDIM with eta = 1 over all steps is DDPM with sigma^2 = betaTilde (same noise stream)", async () => {
  const model = exactEpsModel(schedule, ring.means, ring.std);
  const a = await ddimSample({ model, schedule, n: 50, seed: 21, eta: 1 });
  const b = await ddpmSample({ model, schedule, n: 50, seed: 21, sigma: "betaTilde" });
  close(a.samples, b.samples, 1e-4, "DDIM eta = 1 vs DDPM betaTilde");
});

Deno.test("classifier guidance at scale 1 with the exact noisy classifier is the conditional model", () => {
  const y = 1;
  const inClass = (k: number) => ring.componentClass[k] === y;
  const uncond = exactEpsModel(schedule, ring.means, ring.std);
  const cond = exactEpsModel(schedule, ring.means, ring.std, inClass);
  // grad log p(y | x_t) = grad log q_t(x | y) - grad log q_t(x), computed in float64.
  const classifierGrad = (x: tf.Tensor2D, t: number) => {
    const v = x.dataSync();
    const a = mixtureScore(schedule, ring.means, ring.std, t, v, inClass);
    const b = mixtureScore(schedule, ring.means, ring.std, t, v);
    return tf.tensor2d(Float32Array.from(a, (ai, i) => ai - b[i]), x.shape as [number, number]);
  };
  const guided = classifierGuidedEpsModel(uncond, schedule, classifierGrad, 1);
  const points = Array.from(ring.data.subarray(0, 40));
  for (const t of [1, 30, 100]) {
    const [g, c] = tf.tidy(() => {
      const x = tf.tensor2d(points, [20, 2]);
      return [guided(x, t).dataSync(), cond(x, t).dataSync()];
    });
    close(g, c, 1e-4, `t = ${t}`);
  }
});

Deno.test("classifier-free guidance: (1 + w) eps_c - w eps_u, w = 0 is conditional", () => {
  const cond: EpsModel = (x) => tf.mul(x, 2);
  const uncond: EpsModel = (x) => tf.add(x, 1);
  const x = [0.5, -1];
  const run = (w: number) =>
    tf.tidy(() => classifierFreeEpsModel(cond, uncond, w)(tf.tensor2d(x, [1, 2]), 3).dataSync());
  close(run(0), [1, -2], FLOAT32_TOL, "w = 0");
  // w = 2: 3 * (1, -2) - 2 * (1.5, 0) = (0, -6)
  close(run(2), [0, -6], FLOAT32_TOL, "w = 2");
});

Deno.test("guided sampling puts the samples on the chosen class", async () => {
  const y = 0;
  const inClass = (k: number) => ring.componentClass[k] === y;
  const uncond = exactEpsModel(schedule, ring.means, ring.std);
  const cond = exactEpsModel(schedule, ring.means, ring.std, inClass);
  const classifierGrad = (x: tf.Tensor2D, t: number) => {
    const v = x.dataSync();
    const a = mixtureScore(schedule, ring.means, ring.std, t, v, inClass);
    const b = mixtureScore(schedule, ring.means, ring.std, t, v);
    return tf.tensor2d(Float32Array.from(a, (ai, i) => ai - b[i]), x.shape as [number, number]);
  };
  const onClass = (s: Float32Array) => {
    let hits = 0;
    for (let i = 0; i < s.length / 2; i++) {
      let best = 0, bestD = Infinity;
      for (let k = 0; k < 8; k++) {
        const d = Math.hypot(s[2 * i] - ring.means[2 * k], s[2 * i + 1] - ring.means[2 * k + 1]);
        if (d < bestD) [best, bestD] = [k, d];
      }
      if (ring.componentClass[best] === y) hits++;
    }
    return hits / (s.length / 2);
  };
  const cg = await ddpmSample({
    model: uncond,
    schedule,
    n: 500,
    seed: 11,
    classifierGrad,
    guidanceScale: 1,
  });
  const cfg = await ddimSample({
    model: cond,
    uncondModel: uncond,
    guidanceWeight: 1,
    schedule,
    n: 500,
    seed: 12,
    steps: 50,
  });
  const plain = await ddpmSample({ model: uncond, schedule, n: 500, seed: 13 });
  assert(onClass(cg.samples) > 0.98, `classifier guidance ${onClass(cg.samples)}`);
  assert(onClass(cfg.samples) > 0.98, `classifier-free guidance ${onClass(cfg.samples)}`);
  // Unguided: half the components belong to class 0 (binomial sd sqrt(0.25 / 500) ~ 0.022).
  assert(Math.abs(onClass(plain.samples) - 0.5) < 0.1, `unguided ${onClass(plain.samples)}`);
});

Deno.test("multiplying by r(x): mean shift sigma_t^2 grad log r, checked by a Gaussian recursion", async () => {
  // Data N(0, I): exact eps = sqrt(1 - alphaBar_t) x_t, so the DDPM mean is k_t x_t with
  // k_t = (1 - beta_t) / sqrt(alpha_t) = sqrt(alpha_t).
  // r(x) = exp(-||x - c||^2 / (2 rho^2)), c = (2, 0), rho = 1: grad log r(mu) = c - mu, so
  // mu' = (1 - sigma^2) mu + sigma^2 c. Per axis, mean m and variance v follow
  // m <- (1 - s2) k m + s2 c, v <- ((1 - s2) k)^2 v + s2 (noise only for t > 1).
  const model: EpsModel = (x, t) => tf.mul(x, Math.sqrt(1 - schedule.alphaBars[t]));
  const logRGrad = (x: tf.Tensor2D) => tf.sub(tf.tensor2d([2, 0], [1, 2]), x) as tf.Tensor2D;
  const n = 4000;
  const { samples } = await ddpmSample({ model, schedule, n, seed: 3, logRGrad });
  let m = 0, v = 1;
  for (let t = schedule.T; t >= 1; t--) {
    const s2 = schedule.betas[t];
    const k = Math.sqrt(schedule.alphas[t]); // k_t
    m = (1 - s2) * k * m + s2 * 2;
    v = ((1 - s2) * k) ** 2 * v + (t > 1 ? s2 : 0);
  }
  let mx = 0, my = 0, vx = 0;
  for (let i = 0; i < n; i++) {
    mx += samples[2 * i] / n;
    my += samples[2 * i + 1] / n;
  }
  for (let i = 0; i < n; i++) vx += (samples[2 * i] - mx) ** 2 / (n - 1);
  const se = Math.sqrt(v / n);
  assert(Math.abs(mx - m) < 4 * se, `mean_x ${mx} vs recursion ${m}`);
  assert(Math.abs(my) < 4 * se, `mean_y ${my}`);
  assert(Math.abs(vx - v) < 4 * v * Math.sqrt(2 / n), `var_x ${vx} vs recursion ${v}`);
  // The exact product N(0, I) r is N((1, 0), I / 2): the perturbation is an approximation
  // (Sohl-Dickstein et al. assume a smooth r); here it overshoots to m ~ 1.35.
  assert(m > 1 && m < 1.6, `recursion mean ${m}`);
});
