import { classFidelity, regionOf, spread } from "./guidance_metrics.ts";
import { createMixture, mixtureSample } from "./mixture.ts";
import { createRng } from "./rng.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

// Two equal classes on the x-axis, one of them with two components.
const m = createMixture({
  weights: [1, 1, 2],
  means: [[-2, 0], [0, 2], [2, 0]],
  variances: 0.25,
  labels: [0, 0, 1],
});

Deno.test("regionOf: the boundary of two equal Gaussians is their perpendicular bisector", () => {
  const two = createMixture({
    weights: [1, 1],
    means: [[-1, 0], [1, 0]],
    variances: 0.3,
    labels: [0, 1],
  });
  assert(regionOf(two, [-1e-6, 9]) === 0, "just left of x = 0 is class 0");
  assert(regionOf(two, [1e-6, -9]) === 1, "just right of x = 0 is class 1");
  // Unequal weights move the boundary towards the lighter class by v log(w1 / w0) / (mu1 - mu0).
  const heavy = createMixture({
    weights: [3, 1],
    means: [[-1, 0], [1, 0]],
    variances: 0.3,
    labels: [0, 1],
  });
  const shift = (0.3 * Math.log(3)) / 2; // \frac{v \log(w_0 / w_1)}{\mu_1 - \mu_0}
  assert(regionOf(heavy, [shift - 1e-6, 0]) === 0, "left of the shifted boundary");
  assert(regionOf(heavy, [shift + 1e-6, 0]) === 1, "right of the shifted boundary");
});

Deno.test("classFidelity of exact class samples is near the classifier's accuracy", () => {
  // Class 1 alone (one component at (2, 0), sd 0.5): its region ends near x = 0.9, about 2.2 sd
  // away, so almost all of its samples fall inside; samples of the whole mixture, half as many.
  const n = 4000;
  const all = mixtureSample(m, n, createRng(3)).x;
  const only1 = createMixture({ weights: [1], means: [[2, 0]], variances: 0.25, labels: [1] });
  const x1 = mixtureSample(only1, n, createRng(4)).x;
  const f1 = classFidelity(m, x1, 1), fAll = classFidelity(m, all, 1);
  const se = Math.sqrt(0.25 / n);
  assert(f1 > 0.97, `class-1 samples in class 1's region: ${f1}`);
  assert(Math.abs(fAll - 0.5) < 0.05 + 4 * se, `mixture samples in class 1's region: ${fAll}`);
});

Deno.test("classFidelity rejects a class without a component and an odd array", () => {
  let threw = 0;
  for (const f of [() => classFidelity(m, [0, 0], 2), () => classFidelity(m, [0, 0, 1], 0)]) {
    try {
      f();
    } catch (e) {
      if (e instanceof RangeError && e.message.startsWith("Cannot compute the fidelity")) threw++;
    }
  }
  assert(threw === 2, "both calls must throw a RangeError");
});

Deno.test("spread: zero for one repeated point, scales with the points, shift-invariant", () => {
  assert(spread([1, 2, 1, 2, 1, 2]) === 0, "no spread");
  const rng = createRng(9);
  const x = Float64Array.from({ length: 200 }, () => rng.normal());
  const s = spread(x);
  const scaled = spread(x.map((v) => 3 * v + 5));
  assert(Math.abs(scaled - 3 * s) < 1e-12, `3x the points, 3x the spread: ${scaled} vs ${3 * s}`);
  // 100 standard normal points in 2-D: spread^2 is about 2 (with divisor n: 2 (n - 1) / n).
  assert(Math.abs(s * s - 2) < 0.6, `spread^2 ${s * s} near 2`);
});
