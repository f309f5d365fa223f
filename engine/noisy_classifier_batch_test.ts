import { createMixture, noisyClassifierGradient } from "./mixture.ts";
import { noisyClassifierGradients } from "./noisy_classifier_batch.ts";
import { createRng } from "./rng.ts";
import { linearSchedule } from "./schedule.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const m = createMixture({
  weights: [1, 2, 1],
  means: [[-1, 0], [1, 0.5], [0, 1.5]],
  variances: [0.2, 0.3, 0.1],
  labels: [0, 1, 0],
});
const s = linearSchedule(100);

Deno.test("the batch matches noisyClassifierGradient point by point, at t = 1, T and 0", () => {
  const rng = createRng(4);
  const pts = Float64Array.from({ length: 40 }, () => 2 * rng.normal());
  for (const t of [0, 1, 37, 100]) {
    for (const y of [0, 1]) {
      const g = noisyClassifierGradients(m, s, t, pts, y);
      for (let i = 0; i < 40; i += 2) {
        const one = noisyClassifierGradient(m, s, t, [pts[i], pts[i + 1]], y);
        const err = Math.max(Math.abs(g[i] - one[0]), Math.abs(g[i + 1] - one[1]));
        assert(err < 1e-12, `t ${t}, y ${y}, point ${i / 2}: error ${err}`);
      }
    }
  }
});

Deno.test("the gradients of all classes, weighted by p(y | x_t), sum to zero", () => {
  // sum_y p(y | x) grad log p(y | x) = grad sum_y p(y | x) = 0; with two classes p0 g0 + p1 g1 = 0,
  // so g0 and g1 point in opposite directions.
  const g0 = noisyClassifierGradients(m, s, 20, [0.3, 0.2], 0);
  const g1 = noisyClassifierGradients(m, s, 20, [0.3, 0.2], 1);
  const cross = g0[0] * g1[1] - g0[1] * g1[0];
  assert(Math.abs(cross) < 1e-12 && g0[0] * g1[0] + g0[1] * g1[1] < 0, "opposite directions");
});

Deno.test("an odd-length array is refused", () => {
  let message = "";
  try {
    noisyClassifierGradients(m, s, 3, [1, 2, 3], 0);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.startsWith("Cannot compute classifier gradients"), message);
});
