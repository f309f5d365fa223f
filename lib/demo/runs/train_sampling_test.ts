import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../engine/backend.ts";
import { DEFAULT_CONFIG } from "../config.ts";
import { DEFAULT_REGION } from "../region_brush.ts";
import { createTrainRun } from "./train.ts";
import type {
  FlowRequest,
  FlowResult,
  InpaintResult,
  LikelihoodResult,
  MultiplyRequest,
  MultiplyResult,
  TrajectoriesRequest,
  TrajectoriesResult,
} from "./train_types.ts";

await initBackend(["wasm"]);

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Chapter 2's questions to a small swiss-roll run. */
function createSmall() {
  const config = { ...DEFAULT_CONFIG, T: 20, samplerSteps: 10, stepBudget: 30, batchSize: 64 };
  const run = createTrainRun({ config, hidden: 16 });
  return {
    train: (steps: number) => run.train(steps).then(([loss]) => loss),
    trajectories: (request: TrajectoriesRequest) =>
      run.ask!({ kind: "trajectories", request }, 0) as Promise<TrajectoriesResult>,
    multiply: (request: MultiplyRequest) =>
      run.ask!({ kind: "multiply", request }, 0) as Promise<MultiplyResult>,
    flow: (request: FlowRequest) => run.ask!({ kind: "flow", request }, 0) as Promise<FlowResult>,
    likelihood: () => run.ask!({ kind: "likelihood" }, 7) as Promise<LikelihoodResult>,
    dispose: () => run.dispose(),
  };
}

Deno.test("trajectories: shared x_T, paths of the right shape, DDIM eta = 0 ignores the run seed", async () => {
  const before = tf.memory().numTensors;
  const model = createSmall();
  const loss = await model.train(30);
  assert(loss > 0 && Number.isFinite(loss), `loss ${loss}`);
  const request = { noiseSeed: 3, runSeed: 1, eta: 0, ddimSteps: 5, n: 40, paths: 4 };
  const a = await model.trajectories(request);
  const b = await model.trajectories({ ...request, runSeed: 2 });
  assert(a.ddpm.points.length === 80 && a.ddim.points.length === 80, "n points each");
  assert(a.ddpm.pathCount === 4 && a.ddpm.pathLength === 6, "DDPM: x_T and every 4th of 20");
  assert(a.ddim.pathLength === 6, "DDIM: x_T and 5 steps");
  assert(a.ddim.paths.length === 4 * 6 * 2, "[k, L, 2]");
  // Both samplers start from the same x_T: the first point of every path agrees.
  for (let k = 0; k < 4; k++) {
    assert(a.ddpm.paths[k * 6 * 2] === a.ddim.paths[k * 6 * 2], `shared x_T, path ${k}`);
  }
  // The last point of a path is its sample.
  assert(a.ddim.paths[(6 - 1) * 2] === a.ddim.points[0], "paths end at x_0");
  assert(maxDiff(a.ddim.points, b.ddim.points) === 0, "DDIM eta = 0: same x_0 for any run seed");
  assert(maxDiff(a.ddpm.points, b.ddpm.points) > 0.01, "DDPM: fresh noise per run seed");
  model.dispose();
  assert(tf.memory().numTensors === before, "dispose frees everything");
});

Deno.test("multiply: lambda = 0 gives the plain samples; the shares are counted on the region", async () => {
  const before = tf.memory().numTensors;
  const model = createSmall();
  await model.train(5);
  const request = { region: DEFAULT_REGION, lambda: 0, n: 200, seed: 4, paths: 3 };
  const zero = await model.multiply(request);
  assert(maxDiff(zero.plain, zero.multiplied.points) === 0, "r = 1 changes nothing");
  assert(zero.plainShare === zero.multipliedShare, "same samples, same share");
  const strong = await model.multiply({ ...request, lambda: 8 });
  assert(maxDiff(zero.plain, strong.plain) === 0, "the plain samples are cached and unchanged");
  assert(
    strong.multipliedShare > zero.plainShare,
    `a strong r pulls samples in: ${strong.multipliedShare} vs ${zero.plainShare}`,
  );
  assert(strong.multiplied.pathCount === 3 && strong.multiplied.pathLength === 6, "T/4 + 1");
  let message = "";
  try {
    await model.multiply({ ...request, n: 0 });
  } catch (e) {
    message = (e as Error).message;
  }
  assert(/current value is 0/.test(message), message);
  model.dispose();
  assert(tf.memory().numTensors === before, "dispose frees everything");
});

Deno.test("flow: the SDE and the ODE share x_T; the ODE ignores the run seed and its paths do not swap", async () => {
  const before = tf.memory().numTensors;
  const model = createSmall();
  await model.train(30);
  const request = { noiseSeed: 5, runSeed: 1, n: 60, paths: 3 };
  const a = await model.flow(request);
  const b = await model.flow({ ...request, runSeed: 2 });
  assert(a.T === 20 && a.sde.pathLength === 21 && a.ode.pathLength === 21, "x_T and T steps each");
  assert(a.sde.paths[0] === a.ode.paths[0] && a.sde.paths[1] === a.ode.paths[1], "shared x_T");
  assert(maxDiff(a.ode.points, b.ode.points) === 0, "the ODE is deterministic given x_T");
  assert(maxDiff(a.sde.points, b.sde.points) > 0.01, "the SDE draws fresh noise per run seed");
  assert(a.crossingPaths === 60, "crossings among all 60 paths");
  assert(a.sde.crossings > a.ode.crossings, `SDE ${a.sde.crossings} vs ODE ${a.ode.crossings}`);
  assert(Number.isFinite(a.sde.mmd2) && Number.isFinite(a.ode.mmd2), "both scored");
  model.dispose();
  assert(tf.memory().numTensors === before, "dispose frees everything");
});

Deno.test("likelihood: the ODE log-likelihood beside the ELBO on the ELBO's points, mixture data", async () => {
  const before = tf.memory().numTensors;
  const config = {
    ...DEFAULT_CONFIG,
    dataset: "mixture" as const,
    T: 10,
    samplerSteps: 10,
    stepBudget: 20,
  };
  const run = createTrainRun({ config, hidden: 16, samples: false });
  await run.train(20);
  const r = await run.ask!({ kind: "likelihood" }, 20) as LikelihoodResult;
  assert(r.step === 20 && r.n === 256, `${r.step} ${r.n}`);
  for (const v of [r.odeLogLikelihood, r.elbo, r.logQ]) assert(Number.isFinite(v), `${v}`);
  assert(r.aboveElbo >= 0 && r.aboveElbo <= 1, `share ${r.aboveElbo}`);
  // A barely trained model: far below the data's own density.
  assert(r.logQ > r.odeLogLikelihood && r.logQ > r.elbo, JSON.stringify(r));
  run.dispose();
  assert(tf.memory().numTensors === before, "dispose frees everything");
});

Deno.test("inpaint: the replacement method pins the observed coordinate exactly; both slices lie in the band", async () => {
  const before = tf.memory().numTensors;
  const config = { ...DEFAULT_CONFIG, T: 20, samplerSteps: 10, stepBudget: 10, batchSize: 64 };
  const run = createTrainRun({ config, hidden: 16, samples: false });
  await run.train(10);
  const request = { coordinate: 1 as const, value: 0.5, n: 50, seed: 3 };
  const r = await run.ask!({ kind: "inpaint", request }, 10) as InpaintResult;
  assert(r.pinned.length === 100, "n points");
  for (let i = 0; i < 50; i++) assert(r.pinned[2 * i + 1] === 0.5, `x_2 pinned, point ${i}`);
  assert(new Set(Array.from({ length: 50 }, (_, i) => r.pinned[2 * i])).size > 40, "x_1 varies");
  for (const s of [r.modelSlice, r.dataSlice]) {
    for (let i = 1; i < s.length; i += 2) assert(Math.abs(s[i] - 0.5) <= r.band, `in the band`);
  }
  assert(r.dataSlice.length > 0 && Number.isFinite(r.pinnedMmd2), `${r.pinnedMmd2}`);
  let message = "";
  await (run.ask!({ kind: "inpaint", request: { ...request, coordinate: 2 } }, 10) as Promise<
    unknown
  >).catch((e) => (message = (e as Error).message));
  assert(/coordinate 0 or 1/.test(message), message);
  run.dispose();
  assert(tf.memory().numTensors === before, "dispose frees everything");
});
