import assert from "node:assert/strict";
import {
  configFromQuery,
  configToQuery,
  DATASETS,
  DEFAULT_CONFIG,
  isMixtureDataset,
  sameTraining,
  type TrainConfig,
  validateConfig,
} from "./config.ts";

Deno.test("the defaults are docs/quality.md's fast recipe", () => {
  assert.equal(DEFAULT_CONFIG.T, 100);
  assert.equal(DEFAULT_CONFIG.schedule, "linear");
  assert.equal(DEFAULT_CONFIG.parameterisation, "eps");
  assert.equal(DEFAULT_CONFIG.lr, 1e-2);
  assert.equal(DEFAULT_CONFIG.batchSize, 512);
  assert.equal(DEFAULT_CONFIG.stepBudget, 4000);
  assert.equal(DEFAULT_CONFIG.sampler, "ddim");
  assert.equal(DEFAULT_CONFIG.samplerSteps, 50);
  assert.equal(DEFAULT_CONFIG.eta, 1);
  assert.deepEqual(validateConfig(DEFAULT_CONFIG), []);
});

Deno.test("every setting survives the URL round trip, other query keys are kept", () => {
  const c: TrainConfig = {
    ...DEFAULT_CONFIG,
    dataset: "ring",
    schedule: "cosine",
    T: 250,
    parameterisation: "score",
    sampler: "ddim",
    eta: 0.3,
    samplerSteps: 25,
    lr: 0.0005,
    seed: 123456,
  };
  const params = configToQuery(c, new URLSearchParams("backend=wasm"));
  assert.equal(params.get("backend"), "wasm");
  const { config, ignored } = configFromQuery(`?${params}`);
  assert.deepEqual(config, c);
  assert.deepEqual(ignored, []);
});

Deno.test("bad URL values are ignored one by one, with a message naming the value", () => {
  const { config, ignored } = configFromQuery(
    "dataset=mnist&T=5&lr=-1&seed=1.5&eta=2&steps=&param=x0",
  );
  assert.deepEqual(config, { ...DEFAULT_CONFIG, parameterisation: "x0" });
  assert.equal(ignored.length, 6);
  assert.ok(ignored.includes("Cannot use dataset from the URL: current value is mnist"));
  assert.ok(ignored.includes("Cannot use T from the URL: current value is 5"));
});

Deno.test("an absurd learning rate is allowed (the divergence demo), DDIM steps are capped at T", () => {
  assert.equal(configFromQuery("lr=1000").config.lr, 1000);
  const { config } = configFromQuery("T=20&steps=40");
  assert.equal(config.T, 20);
  assert.equal(config.samplerSteps, 20);
  assert.deepEqual(validateConfig(config), []);
  assert.match(
    validateConfig({ ...DEFAULT_CONFIG, T: 20, samplerSteps: 40 })[0],
    /Cannot use samplerSteps as it must be at most T = 20: current value is 40/,
  );
});

Deno.test("sampler settings do not change the training, everything else does", () => {
  const base = DEFAULT_CONFIG;
  assert.ok(sameTraining(base, { ...base, sampler: "ddim", eta: 1, samplerSteps: 10 }));
  for (const patch of [{ T: 50 }, { lr: 1e-3 }, { dataset: "moons" as const }, { seed: 2 }]) {
    assert.ok(!sameTraining(base, { ...base, ...patch }), JSON.stringify(patch));
  }
});

Deno.test("the mixture and drawn data sets round-trip through the URL; ForwardChain's list is unchanged", () => {
  for (const dataset of ["mixture", "drawn"] as const) {
    const c = { ...DEFAULT_CONFIG, dataset };
    const back = configFromQuery(configToQuery(c, new URLSearchParams())).config;
    assert.equal(back.dataset, dataset);
    assert.ok(isMixtureDataset(dataset));
  }
  assert.deepEqual([...DATASETS], ["swissroll", "moons", "ring"]);
  assert.equal(configFromQuery("?dataset=nope").ignored.length, 1);
});
