import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import {
  applyToFeatures,
  createDenoiser,
  type Denoiser,
  inputDim,
  inputFeatures,
} from "./denoiser.ts";
import { denoiserLossAndGrads } from "./denoiser_grad.ts";
import { createFlatLossAndGrads } from "./denoiser_grad_flat.ts";
import { createRng } from "./rng.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const T = 20;
const B = 13; // not a multiple of 4: the TypeScript kernels' remainder rows run too

/** A minibatch of random points, times, targets, positive weights and labels. */
function batch(numClasses: number, seed: number) {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: 2 * B }, () => rng.normal());
  const t = Int32Array.from({ length: B }, () => 1 + rng.int(T));
  return {
    x,
    t,
    target: Float32Array.from({ length: 2 * B }, () => rng.normal()),
    weights: Float32Array.from({ length: B }, () => 0.5 + rng.uniform()),
    labels: numClasses > 0
      ? Int32Array.from({ length: B }, () => rng.int(numClasses + 1)) // the null label too
      : undefined,
  };
}

type Batch = ReturnType<typeof batch>;

/** The independent route: tfjs's automatic gradient of the same loss through applyToFeatures. */
function autodiff(d: Denoiser, b: Batch) {
  return tf.tidy(() => {
    const features = tf.tensor2d(inputFeatures(d.config, b.x, b.t), [B, inputDim(d.config)]);
    const labels = b.labels ? tf.tensor1d(b.labels, "int32") : undefined;
    const { value, grads } = tf.variableGrads(() => {
      const out = applyToFeatures(d, features, labels); // [B, 2]
      const perExample = tf.sum(tf.square(tf.sub(tf.tensor2d(b.target, [B, 2]), out)), 1); // [B]
      return tf.mean(tf.mul(tf.tensor1d(b.weights), perExample)) as tf.Scalar;
    }, d.variables);
    return {
      loss: value.dataSync()[0],
      grads: d.variables.map((v) => grads[v.name].dataSync() as Float32Array),
    };
  });
}

function byHand(d: Denoiser, b: Batch) {
  return tf.tidy(() => {
    const features = inputFeatures(d.config, b.x, b.t);
    const D = inputDim(d.config);
    const { value, grads } = denoiserLossAndGrads(d, {
      features: tf.tensor2d(features, [B, D]),
      target: tf.tensor2d(b.target, [B, 2]),
      weights: tf.tensor1d(b.weights),
      labels: b.labels ? tf.tensor1d(b.labels, "int32") : undefined,
    });
    return {
      loss: value.dataSync()[0],
      grads: grads.map((g, i) => {
        assert(g.shape.join() === d.variables[i].shape.join(), `shape of gradient ${i}`);
        return g.dataSync() as Float32Array;
      }),
    };
  });
}

async function flat(d: Denoiser, b: Batch) {
  const weights = await d.getWeights();
  const theta = new Float32Array(d.numParams);
  let offset = 0;
  for (const name of d.weightNames) {
    theta.set(weights[name], offset);
    offset += weights[name].length;
  }
  const grad = new Float32Array(d.numParams);
  const loss = createFlatLossAndGrads(d.config, B)(theta, {
    features: inputFeatures(d.config, b.x, b.t),
    target: b.target,
    weights: b.weights,
    labels: b.labels,
  }, grad);
  const grads: Float32Array[] = [];
  offset = 0;
  for (const v of d.variables) {
    grads.push(grad.slice(offset, offset + v.size));
    offset += v.size;
  }
  return { loss, grads, theta };
}

// float32 sums over at most 128 terms, three layers deep: relative agreement to 1e-4 of the
// largest gradient entry of each weight (entries near zero are compared on that scale).
const TOL = 1e-4;

function same(
  a: { loss: number; grads: Float32Array[] },
  b: { loss: number; grads: Float32Array[] },
  what: string,
) {
  assert(
    Math.abs(a.loss - b.loss) <= TOL * Math.abs(b.loss),
    `${what} loss ${a.loss} vs ${b.loss}`,
  );
  b.grads.forEach((g, i) => {
    const scale = Math.max(...g.map(Math.abs));
    assert(scale > 0, `${what}: gradient ${i} is not all zero`);
    g.forEach((x, j) => {
      assert(
        Math.abs(a.grads[i][j] - x) <= TOL * scale,
        `${what}: gradient ${i}[${j}] ${a.grads[i][j]} vs ${x}`,
      );
    });
  });
}

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`${backend}: the gradient by hand equals tfjs's automatic gradient, with and without labels`, async () => {
    await initBackend([backend]);
    const before = tf.memory().numTensors;
    for (const numClasses of [0, 3]) {
      const d = createDenoiser({ parameterisation: "eps", T, seed: 5, hidden: 24, numClasses });
      const b = batch(numClasses, 6);
      same(byHand(d, b), autodiff(d, b), `${backend}, ${numClasses} classes`);
      d.dispose();
    }
    assert(tf.memory().numTensors === before, `leaked ${tf.memory().numTensors - before}`);
  });
}

Deno.test("the TypeScript gradient on flat arrays equals tfjs's automatic gradient", async () => {
  await initBackend(["cpu"]);
  for (const numClasses of [0, 3]) {
    const d = createDenoiser({ parameterisation: "eps", T, seed: 7, hidden: 24, numClasses });
    const b = batch(numClasses, 8);
    same(await flat(d, b), autodiff(d, b), `flat, ${numClasses} classes`);
    d.dispose();
  }
});

Deno.test("the flat gradient matches central finite differences of its own loss", async () => {
  await initBackend(["cpu"]);
  const d = createDenoiser({ parameterisation: "eps", T, seed: 9, hidden: 8, numClasses: 2 });
  const b = batch(2, 10);
  const { grads, theta } = await flat(d, b);
  const lossAt = createFlatLossAndGrads(d.config, B);
  const scratch = new Float32Array(d.numParams);
  const f = { features: inputFeatures(d.config, b.x, b.t), ...b };
  const all = grads.flatMap((g) => Array.from(g));
  const rng = createRng(11);
  const h = 1e-2;
  for (let n = 0; n < 40; n++) {
    const i = rng.int(d.numParams);
    const saved = theta[i];
    theta[i] = saved + h;
    const up = lossAt(theta, f, scratch);
    theta[i] = saved - h;
    const down = lossAt(theta, f, scratch);
    theta[i] = saved;
    const fd = (up - down) / (2 * h); // error O(h^2 L''') + float32 rounding ~ 2^-24 L / h
    const tol = 1e-3 * (1 + Math.abs(all[i])) + (4 * 2 ** -24 * Math.abs(up)) / h;
    assert(Math.abs(fd - all[i]) <= tol, `theta[${i}]: finite difference ${fd} vs ${all[i]}`);
  }
  d.dispose();
});

Deno.test("the flat gradient rejects a batch of the wrong size, naming the lengths", () => {
  const d = createDenoiser({ parameterisation: "eps", T, seed: 1, hidden: 4 });
  let message = "";
  try {
    createFlatLossAndGrads(d.config, 2)(new Float32Array(d.numParams), {
      features: new Float32Array(inputDim(d.config)),
      target: new Float32Array(2),
      weights: new Float32Array(1),
    }, new Float32Array(d.numParams));
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("must hold 2 rows: current lengths are features 58"), message);
  d.dispose();
});
