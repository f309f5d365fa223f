import { perturbedStepMean } from "./multiply.ts";
import { densityMoments } from "./quadrature.ts";

Deno.test("perturbedStepMean is the exact mean of N(mu, v) e^{g x} (quadrature)", () => {
  const mu = -0.4, v = 0.3, g = 1.7;
  const m = densityMoments((x) => -((x - mu) ** 2) / (2 * v) + g * x, -8, 8, 3201);
  const shifted = perturbedStepMean(mu, v, g);
  if (Math.abs(shifted - m.mean) > 1e-12) throw new Error(`${shifted} vs ${m.mean}`);
  if (Math.abs(shifted - (mu + v * g)) > 1e-15) throw new Error("mu + v g by hand");
});

Deno.test("perturbedStepMean uses one variance per coordinate", () => {
  const out = perturbedStepMean([1, 2], [0.5, 0.25], [2, -4]);
  if (out[0] !== 2 || out[1] !== 1) throw new Error(`got ${out}`);
});

Deno.test("perturbedStepMean rejects a negative variance with the current value", () => {
  let message = "";
  try {
    perturbedStepMean(0, -1, 0);
  } catch (e) {
    message = (e as Error).message;
  }
  if (!message.includes("current value is -1")) throw new Error(message);
});
