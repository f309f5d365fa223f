// The `initial` option of the samplers: start from a given x_T, the seed driving only the noise.
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import { createRng } from "./rng.ts";
import { ddimSample, ddpmSample, type EpsModel } from "./samplers.ts";
import { linearSchedule } from "./schedule.ts";

await initBackend(["wasm"]);

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const schedule = linearSchedule(20);
// The exact eps model of N(0, I) data: eps = sqrt(1 - alphaBar_t) x_t.
const model: EpsModel = (x, t) => tf.mul(x, Math.sqrt(1 - schedule.alphaBars[t]));
const n = 50;
const rng = createRng(11);
const xT = Float32Array.from({ length: 2 * n }, () => rng.normal()); // [n, 2]

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

Deno.test("initial x_T: the first trajectory state is x_T itself", async () => {
  const r = await ddpmSample({ model, schedule, n, seed: 1, initial: xT, trajectory: true });
  assert(maxDiff(r.trajectory![0], xT) === 0, "x_T is the given points");
});

Deno.test("drawing x_T from the seed equals passing the same normals as initial", async () => {
  const own = createRng(5);
  const same = Float32Array.from({ length: 2 * n }, () => own.normal());
  const a = await ddimSample({ model, schedule, n, seed: 5, steps: 10 });
  // With eta = 0 the seed is not used after x_T, so any seed gives the same chain.
  const b = await ddimSample({ model, schedule, n, seed: 99, steps: 10, initial: same });
  assert(maxDiff(a.samples, b.samples) === 0, "same x_T, same deterministic chain");
});

Deno.test("from one x_T: DDIM eta = 0 repeats itself, DDPM and DDIM eta = 1 do not", async () => {
  const before = tf.memory().numTensors;
  const ddim = (seed: number, eta: number) =>
    ddimSample({ model, schedule, n, seed, steps: 10, eta, initial: xT });
  const ddpm = (seed: number) => ddpmSample({ model, schedule, n, seed, initial: xT });
  const [d1, d2] = [await ddim(1, 0), await ddim(2, 0)];
  const [s1, s2] = [await ddim(1, 1), await ddim(2, 1)];
  const [p1, p2] = [await ddpm(1), await ddpm(2)];
  assert(maxDiff(d1.samples, d2.samples) === 0, "eta = 0 is deterministic given x_T");
  assert(maxDiff(s1.samples, s2.samples) > 0.1, "eta = 1 adds fresh noise");
  assert(maxDiff(p1.samples, p2.samples) > 0.1, "DDPM adds fresh noise");
  assert(maxDiff(p1.samples, (await ddpm(1)).samples) === 0, "the same seed repeats DDPM");
  assert(tf.memory().numTensors === before, "no leaks");
});

Deno.test("initial of the wrong length is refused with its length", async () => {
  let message = "";
  try {
    await ddpmSample({ model, schedule, n, seed: 1, initial: new Float32Array(3) });
  } catch (e) {
    message = (e as Error).message;
  }
  assert(/current length is 3/.test(message), `got: ${message}`);
});
