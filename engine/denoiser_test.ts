import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import {
  applyToFeatures,
  createDenoiser,
  denoiserConfig,
  inputDim,
  inputFeatures,
  timeEmbeddingTable,
} from "./denoiser.ts";

await initBackend(["wasm"]);

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** float32 tensors against float64 arithmetic: about 1e-5 relative. */
const FLOAT32_TOL = 1e-5;

Deno.test("numParams by hand", () => {
  const cases: [Parameters<typeof createDenoiser>[0], number][] = [
    // (58 * 128 + 128) + 2 (128 * 128 + 128) + (128 * 2 + 2)
    [{ parameterisation: "eps", T: 100, seed: 0 }, 7552 + 33024 + 258],
    // + (3 + 1) * 128 label rows
    [{ parameterisation: "eps", T: 100, seed: 0, numClasses: 3 }, 7552 + 33024 + 258 + 512],
    // in = 2 + 0 + 4 = 6: (6 * 16 + 16) + (16 * 16 + 16) + (16 * 2 + 2)
    [{
      parameterisation: "x0",
      T: 10,
      seed: 0,
      hidden: 16,
      layers: 2,
      fourierOctaves: 0,
      timeEmbedDim: 4,
    }, 112 + 272 + 34],
  ];
  for (const [opts, expected] of cases) {
    const d = createDenoiser(opts);
    assert(d.numParams === expected, `numParams ${d.numParams}, expected ${expected}`);
    d.dispose();
  }
});

Deno.test("output has shape [B, 2], is deterministic for a seed and depends on it", () => {
  const before = tf.memory().numTensors;
  const a = createDenoiser({ parameterisation: "eps", T: 100, seed: 3 });
  const b = createDenoiser({ parameterisation: "eps", T: 100, seed: 3 });
  const c = createDenoiser({ parameterisation: "eps", T: 100, seed: 4 });
  const x = tf.tensor2d([0.1, -0.2, 1.5, 0.3, -2, 2], [3, 2]);
  const t = tf.tensor1d([1, 50, 100], "int32");
  const [oa, ob, oc] = [a, b, c].map((d) => tf.tidy(() => d.apply(x, t)));
  assert(oa.shape.join() === "3,2", `shape ${oa.shape}`);
  const va = oa.dataSync(), vb = ob.dataSync(), vc = oc.dataSync();
  assert(va.every((v, i) => v === vb[i]), "same seed, same output");
  assert(va.some((v, i) => Math.abs(v - vc[i]) > 1e-4), "different seed, different output");
  [oa, ob, oc, x, t].forEach((z) => z.dispose());
  [a, b, c].forEach((d) => d.dispose());
  assert(tf.memory().numTensors === before, `leaked ${tf.memory().numTensors - before} tensors`);
});

Deno.test("forward pass equals a float64 re-implementation from the weights", async () => {
  const opts = {
    parameterisation: "eps" as const,
    T: 10,
    seed: 5,
    hidden: 5,
    layers: 2,
    fourierOctaves: 2,
    timeEmbedDim: 4,
    numClasses: 2,
  };
  const d = createDenoiser(opts);
  const c = denoiserConfig(opts);
  const w = await d.getWeights();
  const points = [[0.3, -0.7], [1.1, 0.2]], times = [1, 10], labels = [1, 2];
  const x = tf.tensor2d(points.flat(), [2, 2]);
  const t = tf.tensor1d(times, "int32");
  const y = tf.tensor1d(labels, "int32");
  const out = tf.tidy(() => d.apply(x, t, y));
  const got = out.dataSync();
  for (let b = 0; b < 2; b++) {
    const [x1, x2] = points[b];
    const s = times[b] / c.T;
    // Features: raw, sin(2^k x_i) for i, k, cos(...), then [sin(omega_j s), cos(omega_j s)].
    const feats = [x1, x2];
    for (const fn of [Math.sin, Math.cos]) {
      for (const xi of [x1, x2]) for (let k = 0; k < 2; k++) feats.push(fn(2 ** k * xi));
    }
    feats.push(Math.sin(s), Math.sin(100 * s), Math.cos(s), Math.cos(100 * s));
    assert(feats.length === inputDim(c), "feature count");
    let h = feats;
    for (let l = 0; l < 2; l++) {
      const K = w[`dense${l}/kernel`], bias = w[`dense${l}/bias`];
      const next: number[] = [];
      for (let j = 0; j < 5; j++) {
        let z = bias[j];
        for (let i = 0; i < h.length; i++) z += h[i] * K[i * 5 + j];
        if (l === 0) z += w["label/kernel"][labels[b] * 5 + j];
        next.push(z / (1 + Math.exp(-z))); // SiLU
      }
      h = next;
    }
    for (let o = 0; o < 2; o++) {
      let z = w["out/bias"][o];
      for (let i = 0; i < 5; i++) z += h[i] * w["out/kernel"][i * 2 + o];
      assert(
        Math.abs(got[2 * b + o] - z) < FLOAT32_TOL * (1 + Math.abs(z)),
        `${got[2 * b + o]} vs ${z}`,
      );
    }
  }
  [out, x, t, y].forEach((z) => z.dispose());
  d.dispose();
});

Deno.test("a missing label means the null label; labels change the output", () => {
  const d = createDenoiser({ parameterisation: "eps", T: 10, seed: 2, numClasses: 3 });
  const values = tf.tidy(() => {
    const x = tf.tensor2d([0.5, 0.5], [1, 2]);
    const t = tf.tensor1d([4], "int32");
    return [undefined, 3, 0].map((label) =>
      d.apply(x, t, label === undefined ? undefined : tf.tensor1d([label], "int32")).arraySync()[0]
    );
  });
  assert(values[0][0] === values[1][0] && values[0][1] === values[1][1], "null label = 3");
  assert(values[0][0] !== values[2][0], "label 0 differs from the null label");
  d.dispose();
});

Deno.test("setWeights / getWeights round trip and size check", async () => {
  const a = createDenoiser({ parameterisation: "score", T: 20, seed: 1, hidden: 8 });
  const b = createDenoiser({ parameterisation: "score", T: 20, seed: 2, hidden: 8 });
  b.setWeights(await a.getWeights());
  const wa = await a.getWeights(), wb = await b.getWeights();
  for (const name of a.weightNames) {
    assert(wa[name].every((v, i) => v === wb[name][i]), `weight ${name} copied`);
  }
  let message = "";
  try {
    b.setWeights({ ...wa, "out/bias": new Float32Array(3) });
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("current length is 3"), message);
  a.dispose();
  b.dispose();
});

Deno.test("time embedding table: row t holds sin and cos of omega t / T", () => {
  const e = timeEmbeddingTable(50, 6); // omega = 1, 10, 100
  const t = 20, s = t / 50;
  const expected = [
    Math.sin(s),
    Math.sin(10 * s),
    Math.sin(100 * s),
    Math.cos(s),
    Math.cos(10 * s),
  ];
  expected.forEach((v, j) => assert(Math.abs(e[t * 6 + j] - v) < 1e-6, `entry ${j}`));
});

Deno.test("bad options are rejected with the current value", () => {
  let message = "";
  try {
    createDenoiser({ parameterisation: "eps", T: 100, seed: 0, timeEmbedDim: 5 });
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("current value is 5"), message);
});

Deno.test("inputFeatures + applyToFeatures equal apply (features computed in TypeScript)", () => {
  const before = tf.memory().numTensors;
  const d = createDenoiser({ parameterisation: "eps", T: 100, seed: 7 });
  const x = [0.1, -0.2, 1.5, 0.3, -2, 2, 3.7, -0.01];
  const t = [1, 50, 100, 0];
  const features = inputFeatures(d.config, x, t);
  assert(features.length === 4 * inputDim(d.config), `length ${features.length}`);
  const viaFeatures = tf.tidy(() =>
    applyToFeatures(d, tf.tensor2d(features, [4, inputDim(d.config)])).dataSync()
  );
  const viaApply = tf.tidy(() =>
    d.apply(tf.tensor2d(x, [4, 2]), tf.tensor1d(t, "int32")).dataSync()
  );
  viaApply.forEach((v, i) => {
    assert(
      Math.abs(v - viaFeatures[i]) <= FLOAT32_TOL * (1 + Math.abs(v)),
      `output ${i}: ${viaFeatures[i]} vs ${v}`,
    );
  });
  let error: unknown;
  try {
    inputFeatures(d.config, x, [1, 2, 3, 101]);
  } catch (e) {
    error = e;
  }
  assert(error instanceof RangeError && /current value is 101/.test(error.message), String(error));
  d.dispose();
  assert(tf.memory().numTensors === before, `leaked ${tf.memory().numTensors - before} tensors`);
});

Deno.test("inputFeatures: sin and cos of every octave equal Math.sin / Math.cos to float32 rounding", () => {
  const c = createDenoiser({
    parameterisation: "eps",
    T: 10,
    seed: 1,
    hidden: 4,
    fourierOctaves: 8,
  });
  const K = 8;
  const xs = [0, 1e-6, -0.3, 1, Math.PI, -4.2, 17.5, -40];
  const features = inputFeatures(c.config, xs, xs.map(() => 1).slice(0, xs.length / 2));
  const D = inputDim(c.config);
  // Angle doubling in float64 at most doubles the error per octave (2^8 * 1e-16 here); storing in
  // float32 rounds to within 2^-24 of values in [-1, 1].
  const tol = 2 ** -24 + 2 ** K * 1e-16;
  for (let b = 0; b < xs.length / 2; b++) {
    for (let i = 0; i < 2; i++) {
      const xi = Math.fround(xs[2 * b + i]);
      for (let k = 0; k < K; k++) {
        const sin = features[b * D + 2 + i * K + k], cos = features[b * D + 2 + 2 * K + i * K + k];
        assert(Math.abs(sin - Math.sin(xi * 2 ** k)) <= tol, `sin(2^${k} * ${xi}) = ${sin}`);
        assert(Math.abs(cos - Math.cos(xi * 2 ** k)) <= tol, `cos(2^${k} * ${xi}) = ${cos}`);
      }
    }
  }
  c.dispose();
});
