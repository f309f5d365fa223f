import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import { twoMoons } from "./datasets.ts";
import { createDenoiser } from "./denoiser.ts";
import { mmd2 } from "./metrics.ts";
import { createRng } from "./rng.ts";
import { ddpmSample, ddpmStepMean, epsModelFromDenoiser } from "./samplers.ts";
import { linearSchedule } from "./schedule.ts";
import { createTrainer, DivergenceError, elboWeight } from "./train.ts";

await initBackend(["wasm"]);

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const schedule = linearSchedule(100);

Deno.test("2,000 steps on two moons: MMD^2 of DDPM samples < 2e-3 and 5x below untrained; no leaks", async () => {
  const before = tf.memory().numTensors;
  const steps = 2000;
  const pool = Float32Array.from(twoMoons(50_000, createRng(1)));
  const reference = twoMoons(2000, createRng(2));
  const denoiser = createDenoiser({ parameterisation: "eps", T: 100, seed: 3 });
  const trainer = createTrainer(denoiser, schedule, { seed: 4, totalSteps: steps });
  const sample = async () => {
    const model = epsModelFromDenoiser(trainer.emaDenoiser(), schedule);
    const { samples } = await ddpmSample({ model, schedule, n: 2000, seed: 5 });
    return mmd2(samples, reference);
  };
  const untrained = await sample();
  const t0 = performance.now();
  let last = { step: 0, loss: NaN };
  for (let done = 0; done < steps; done += 250) last = await trainer.trainSteps(pool, 250);
  const seconds = (performance.now() - t0) / 1000;
  const trained = await sample();
  console.log(
    `MMD^2 untrained ${untrained.toExponential(2)}, after ${steps} steps ` +
      `${trained.toExponential(2)}; loss ${last.loss.toFixed(3)}; ` +
      `${(steps / seconds).toFixed(1)} steps/s`,
  );
  assert(last.step === steps, `step ${last.step}`);
  assert(trained * 5 <= untrained, `untrained ${untrained}, trained ${trained}`);
  assert(trained < 2e-3, `trained ${trained} is not "good" (docs/quality.md: < 2e-3)`);
  trainer.dispose();
  denoiser.dispose();
  assert(tf.memory().numTensors === before, `leaked ${tf.memory().numTensors - before} tensors`);
});

Deno.test("lr = 1e3 diverges and throws DivergenceError within one call", async () => {
  const before = tf.memory().numTensors;
  const pool = Float32Array.from(twoMoons(1000, createRng(1)));
  const denoiser = createDenoiser({ parameterisation: "eps", T: 100, seed: 3, hidden: 32 });
  const trainer = createTrainer(denoiser, schedule, { seed: 4, lr: 1e3, batchSize: 64 });
  let error: unknown;
  try {
    await trainer.trainSteps(pool, 100);
  } catch (e) {
    error = e;
  }
  assert(error instanceof DivergenceError, `expected DivergenceError, got ${error}`);
  assert(error.step >= 1 && error.step <= 100, `step ${error.step}`);
  assert(error.message.includes(`at step ${error.step}`), error.message);
  trainer.dispose();
  denoiser.dispose();
  assert(tf.memory().numTensors === before, "no leaks after a divergence");
});

Deno.test("a NaN in the data is reported with its step and value", async () => {
  const denoiser = createDenoiser({ parameterisation: "eps", T: 100, seed: 3, hidden: 8 });
  const trainer = createTrainer(denoiser, schedule, { seed: 4, batchSize: 16 });
  const pool = Float32Array.from(twoMoons(100, createRng(1)));
  await trainer.trainSteps(pool, 3);
  pool.fill(NaN);
  let message = "";
  try {
    await trainer.trainSteps(pool, 5);
  } catch (e) {
    assert(e instanceof DivergenceError, "DivergenceError");
    message = e.message;
  }
  assert(
    message ===
      "Cannot continue training as the loss is not finite at step 4: current value is NaN",
    message,
  );
  trainer.dispose();
  denoiser.dispose();
});

Deno.test("ELBO weights equal KL(q(x_{t-1}|x_t,x_0) || p_theta) / squared error (sigma^2 = beta)", () => {
  // Build mu_q from the posterior coefficients and mu_theta from each parameterisation, then
  // KL = ||mu_q - mu_theta||^2 / (2 beta_t), and compare with lambda_t * squared error.
  const x0 = [0.3, -1.2], eps = [0.8, 0.1], epsHat = [0.5, -0.4];
  for (const t of [1, 2, 50, 100]) {
    const aBar = schedule.alphaBars[t], beta = schedule.betas[t];
    const xt = x0.map((v, i) => Math.sqrt(aBar) * v + Math.sqrt(1 - aBar) * eps[i]);
    const muQ = x0.map((v, i) =>
      schedule.posteriorCoefX0[t] * v + schedule.posteriorCoefXt[t] * xt[i]
    );
    const muTheta = ddpmStepMean(schedule, xt, epsHat, t);
    const kl = muQ.reduce((s, m, i) => s + (m - muTheta[i]) ** 2, 0) / (2 * beta);
    const sq = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
    const x0Hat = xt.map((v, i) => (v - Math.sqrt(1 - aBar) * epsHat[i]) / Math.sqrt(aBar));
    const score = eps.map((e) => -e / Math.sqrt(1 - aBar));
    const scoreHat = epsHat.map((e) => -e / Math.sqrt(1 - aBar));
    const cases: [number, number][] = [
      [elboWeight(schedule, "eps", t) * sq(eps, epsHat), kl],
      [elboWeight(schedule, "x0", t) * sq(x0, x0Hat), kl],
      [elboWeight(schedule, "score", t) * sq(score, scoreHat), kl],
    ];
    for (const [got, expected] of cases) {
      assert(Math.abs(got - expected) < 1e-10 * (1 + expected), `t = ${t}: ${got} vs ${expected}`);
    }
  }
});

Deno.test("cosine learning-rate decay: lr at 0, half way and the end", () => {
  const denoiser = createDenoiser({ parameterisation: "eps", T: 100, seed: 0, hidden: 4 });
  const trainer = createTrainer(denoiser, schedule, { seed: 0, lr: 2e-3, totalSteps: 1000 });
  assert(trainer.learningRate(0) === 2e-3, "peak");
  assert(Math.abs(trainer.learningRate(500) - 1e-3) < 1e-15, "half");
  assert(trainer.learningRate(1000) === 0 && trainer.learningRate(2000) === 0, "end");
  trainer.dispose();
  denoiser.dispose();
});

Deno.test("linear warm-up scales the cosine rate by min(1, k / warmupSteps)", () => {
  const denoiser = createDenoiser({ parameterisation: "eps", T: 100, seed: 0, hidden: 4 });
  const trainer = createTrainer(denoiser, schedule, {
    seed: 0,
    lr: 2e-3,
    totalSteps: 1000,
    warmupSteps: 100,
  });
  assert(trainer.learningRate(0) === 0, "zero at k = 0");
  const cosine = (k: number) => 2e-3 * 0.5 * (1 + Math.cos((Math.PI * k) / 1000));
  assert(Math.abs(trainer.learningRate(50) - 0.5 * cosine(50)) < 1e-15, "half way up");
  assert(Math.abs(trainer.learningRate(500) - 1e-3) < 1e-15, "the plain cosine after warm-up");
  trainer.dispose();
  denoiser.dispose();
});

Deno.test("adamBeta2 changes the steps after the first; both update paths agree on it", async () => {
  const pool = Float32Array.from(twoMoons(1000, createRng(1)));
  const run = async (fusedUpdate: boolean, adamBeta2?: number) => {
    const denoiser = createDenoiser({ parameterisation: "eps", T: 100, seed: 3, hidden: 16 });
    const trainer = createTrainer(denoiser, schedule, {
      seed: 4,
      batchSize: 32,
      fusedUpdate,
      adamBeta2,
    });
    const { losses } = await trainer.trainSteps(pool, 10);
    trainer.dispose();
    denoiser.dispose();
    return losses;
  };
  const [plain, fused, tensor] = [await run(true), await run(true, 0.99), await run(false, 0.99)];
  // Bias-corrected Adam's first step is about lr g / |g| whatever beta2 is; later ones differ.
  assert(plain[0] === fused[0], "the same first minibatch and weights");
  assert(Math.abs(plain[1] - fused[1]) <= 1e-5 * plain[1], "about the same first step");
  assert(Math.abs(plain[9] - fused[9]) > 1e-5 * plain[9], "beta2 = 0.99 trains other weights");
  fused.forEach((l, i) => assert(Math.abs(l - tensor[i]) <= 1e-4 * l, `loss ${i}`));
});

Deno.test("x0, score and conditional models train without leaks; EMA differs from raw weights", async () => {
  const before = tf.memory().numTensors;
  const pool = Float32Array.from(twoMoons(500, createRng(1)));
  const labels = Int32Array.from({ length: 500 }, (_, i) => (i < 250 ? 0 : 1));
  for (const parameterisation of ["x0", "score"] as const) {
    for (const loss of ["simple", "elbo"] as const) {
      const d = createDenoiser({ parameterisation, T: 100, seed: 1, hidden: 16, numClasses: 2 });
      const trainer = createTrainer(d, schedule, { seed: 2, batchSize: 32, loss });
      const r = await trainer.trainSteps(pool, 20, labels);
      assert(Number.isFinite(r.loss) && r.losses.length === 20, `${parameterisation}/${loss}`);
      const raw = await d.getWeights(), ema = await trainer.emaDenoiser().getWeights();
      assert(raw["out/bias"][0] !== ema["out/bias"][0], "EMA lags the raw weights");
      trainer.dispose();
      d.dispose();
    }
  }
  assert(tf.memory().numTensors === before, `leaked ${tf.memory().numTensors - before}`);
});

Deno.test("a conditional model without labels is rejected", async () => {
  const d = createDenoiser({ parameterisation: "eps", T: 100, seed: 1, hidden: 4, numClasses: 2 });
  const trainer = createTrainer(d, schedule, { seed: 2 });
  let message = "";
  try {
    await trainer.trainSteps(new Float32Array(10), 1);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("current length is missing"), message);
  trainer.dispose();
  d.dispose();
});

Deno.test("the fused CPU-side update and the tensor update train the same weights", async () => {
  const before = tf.memory().numTensors;
  const pool = Float32Array.from(twoMoons(1000, createRng(1)));
  const run = async (fusedUpdate: boolean) => {
    const denoiser = createDenoiser({ parameterisation: "eps", T: 100, seed: 3, hidden: 16 });
    const trainer = createTrainer(denoiser, schedule, { seed: 4, batchSize: 32, fusedUpdate });
    const { losses } = await trainer.trainSteps(pool, 30);
    const weights = await denoiser.getWeights();
    const ema = await trainer.emaDenoiser().getWeights();
    trainer.dispose();
    denoiser.dispose();
    return { losses, weights, ema };
  };
  const fused = await run(true);
  const tensor = await run(false);
  // float32 arithmetic in a different order: agreement to about 1e-4 after 30 steps.
  const TOL = 1e-4;
  fused.losses.forEach((l, i) => {
    assert(
      Math.abs(l - tensor.losses[i]) <= TOL * Math.abs(l),
      `loss ${i}: ${l} vs ${tensor.losses[i]}`,
    );
  });
  for (const [name, w] of Object.entries(fused.weights)) {
    const v = tensor.weights[name], e = fused.ema[name], f = tensor.ema[name];
    const moved = w.some((x, j) => x !== fused.ema[name][j]);
    assert(moved, `${name}: EMA differs from the weights`);
    w.forEach((x, j) => {
      assert(Math.abs(x - v[j]) <= TOL * (1 + Math.abs(x)), `${name}[${j}]: ${x} vs ${v[j]}`);
      assert(Math.abs(e[j] - f[j]) <= TOL * (1 + Math.abs(e[j])), `EMA ${name}[${j}]`);
    });
  }
  assert(tf.memory().numTensors === before, `leaked ${tf.memory().numTensors - before} tensors`);
});

Deno.test("the TypeScript kernels and the tfjs kernels train the same weights (conditional, ELBO loss)", async () => {
  const before = tf.memory().numTensors;
  const pool = Float32Array.from(twoMoons(1000, createRng(1)));
  const labels = Int32Array.from({ length: 1000 }, (_, i) => i % 2);
  const run = async (kernels: "tfjs" | "typescript") => {
    const denoiser = createDenoiser({
      parameterisation: "eps",
      T: 100,
      seed: 3,
      hidden: 16,
      numClasses: 2,
    });
    const trainer = createTrainer(denoiser, schedule, {
      seed: 4,
      batchSize: 30, // not a multiple of 4: the kernels' remainder rows run too
      loss: "elbo",
      kernels,
    });
    const { losses } = await trainer.trainSteps(pool, 30, labels);
    const weights = await denoiser.getWeights();
    trainer.dispose();
    denoiser.dispose();
    return { losses, weights };
  };
  const ts = await run("typescript");
  const tfjs = await run("tfjs");
  // float32 arithmetic in a different order: agreement to about 1e-4 after 30 steps.
  const TOL = 1e-4;
  ts.losses.forEach((l, i) => {
    assert(
      Math.abs(l - tfjs.losses[i]) <= TOL * Math.abs(l),
      `loss ${i}: ${l} vs ${tfjs.losses[i]}`,
    );
  });
  for (const [name, w] of Object.entries(ts.weights)) {
    const v = tfjs.weights[name];
    w.forEach((x, j) => {
      assert(Math.abs(x - v[j]) <= TOL * (1 + Math.abs(x)), `${name}[${j}]: ${x} vs ${v[j]}`);
    });
  }
  assert(tf.memory().numTensors === before, `leaked ${tf.memory().numTensors - before} tensors`);
});

Deno.test("typescript kernels without the fused update are rejected", () => {
  const d = createDenoiser({ parameterisation: "eps", T: 100, seed: 1, hidden: 4 });
  let message = "";
  try {
    createTrainer(d, schedule, { seed: 2, kernels: "typescript", fusedUpdate: false });
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("current value of fusedUpdate is false"), message);
  d.dispose();
});
