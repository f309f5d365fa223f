import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import { createRng } from "./rng.ts";
import {
  type Region,
  regionDistance,
  regionLogR,
  regionLogRGrad,
  regionLogRGradTensor,
  shareInside,
} from "./region.ts";
import { ddpmSample, type EpsModel } from "./samplers.ts";
import { linearSchedule } from "./schedule.ts";

await initBackend(["wasm"]);

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** Central differences of a float64 function: error O(h^2) ~ 1e-8 at h = 1e-4, plus rounding. */
const FINITE_DIFFERENCE_TOL = 1e-6;
/** float32 tensors against float64 arithmetic. */
const FLOAT32_TOL = 1e-5;

const region: Region = { centres: [0, 0, 1.5, 0.5, -1, 1], radius: 0.4 };

Deno.test("d(x): zero inside, distance to the nearest disc's edge outside (by hand)", () => {
  assert(regionDistance(region, 1.6, 0.4) === 0, "inside the second disc");
  assert(Math.abs(regionDistance(region, 0, -1) - 0.6) < 1e-15, "below the first disc: 1 - 0.4");
  assert(Math.abs(regionDistance(region, -1, 2) - 0.6) < 1e-15, "above the third disc");
  let threw = false;
  try {
    regionDistance({ centres: [], radius: 1 }, 0, 0);
  } catch (e) {
    threw = e instanceof RangeError && /at least one disc/.test(e.message);
  }
  assert(threw, "an empty region is refused");
});

Deno.test("grad log r equals central differences of log r at random points", () => {
  const rng = createRng(3);
  const lambda = 3.5, h = 1e-4;
  for (let i = 0; i < 200; i++) {
    const x = 4 * rng.uniform() - 2, y = 4 * rng.uniform() - 2;
    const [gx, gy] = regionLogRGrad(region, lambda, [x, y]);
    const fx = (regionLogR(region, lambda, x + h, y) - regionLogR(region, lambda, x - h, y)) /
      (2 * h);
    const fy = (regionLogR(region, lambda, x, y + h) - regionLogR(region, lambda, x, y - h)) /
      (2 * h);
    assert(Math.abs(gx - fx) < FINITE_DIFFERENCE_TOL * (1 + Math.abs(fx)), `x at (${x}, ${y})`);
    assert(Math.abs(gy - fy) < FINITE_DIFFERENCE_TOL * (1 + Math.abs(fy)), `y at (${x}, ${y})`);
  }
});

Deno.test("the tensor gradient matches the float64 one and leaks nothing", () => {
  const rng = createRng(4);
  const points = Float32Array.from({ length: 2 * 300 }, () => 5 * rng.uniform() - 2.5);
  const before = tf.memory().numTensors;
  const grad = regionLogRGradTensor(region, 2);
  const x = tf.tensor2d(points, [300, 2]);
  const got = grad(x);
  const values = got.dataSync();
  x.dispose();
  got.dispose();
  assert(tf.memory().numTensors === before, "no leaks");
  const want = regionLogRGrad(region, 2, points);
  for (let i = 0; i < want.length; i++) {
    assert(Math.abs(values[i] - want[i]) <= FLOAT32_TOL * (1 + Math.abs(want[i])), `entry ${i}`);
  }
});

Deno.test("shareInside counts points on the discs, edges included", () => {
  const single = { centres: [0, 0], radius: 1 };
  assert(shareInside(single, [1, 0, 0, 0, 0, 1.01, 3, 3]) === 0.5, "two of four");
  assert(shareInside(single, []) === 0, "no points");
});

Deno.test("multiplying a mixture by r moves the samples into the region (exact eps model)", async () => {
  // Data: two tight Gaussians at (-1.5, 0) and (1.5, 0), equal weights; the region covers the
  // right one. Without r about half the samples land there; with a strong r nearly all do.
  const schedule = linearSchedule(100);
  const means = [-1.5, 0, 1.5, 0], std = 0.1;
  const model: EpsModel = (x, t) => {
    const a = Math.sqrt(schedule.alphaBars[t]), v = a * a * std * std + 1 - a * a;
    const xs = x.dataSync(), out = new Float32Array(xs.length);
    for (let i = 0; i < xs.length / 2; i++) {
      const l = [0, 1].map((k) =>
        -((xs[2 * i] - a * means[2 * k]) ** 2 + (xs[2 * i + 1] - a * means[2 * k + 1]) ** 2) /
        (2 * v)
      );
      const m = Math.max(...l), w = l.map((li) => Math.exp(li - m)), z = w[0] + w[1];
      for (let d = 0; d < 2; d++) {
        const score = (w[0] * (a * means[d] - xs[2 * i + d]) +
          w[1] * (a * means[2 + d] - xs[2 * i + d])) / (z * v); // \nabla \log q_t
        out[2 * i + d] = -Math.sqrt(1 - a * a) * score; // \epsilon = -\sqrt{1-\bar\alpha_t} s
      }
    }
    return tf.tensor2d(out, x.shape as [number, number]);
  };
  const right: Region = { centres: [1.5, 0], radius: 0.5 };
  const before = tf.memory().numTensors;
  const n = 1000;
  const plain = await ddpmSample({ model, schedule, n, seed: 1 });
  const multiplied = await ddpmSample({
    model,
    schedule,
    n,
    seed: 1,
    logRGrad: regionLogRGradTensor(right, 8),
  });
  assert(tf.memory().numTensors === before, "no leaks");
  const p0 = shareInside(right, plain.samples), p1 = shareInside(right, multiplied.samples);
  const se = Math.sqrt(0.25 / n);
  assert(Math.abs(p0 - 0.5) < 4 * se, `unconditioned share ${p0} should be about 1/2`);
  assert(p1 > 0.95, `conditioned share ${p1} should be near 1`);
});
