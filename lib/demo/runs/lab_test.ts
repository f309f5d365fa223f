import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../engine/backend.ts";
import { createGuidanceRun, type GuidanceMethod } from "./guidance.ts";
import {
  createParameterisationsRun,
  type ParameterisationsView,
  TARGETS,
} from "./parameterisations.ts";
import { PROBE_COUNT } from "../tweedie.ts";

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

await initBackend(["wasm", "cpu"]);

Deno.test("Parameterisations: three models train on one stream; Tweedie and samples come back; no tensor leaks", async () => {
  const baseline = tf.memory().numTensors;
  const run = createParameterisationsRun({ seed: 3, budget: 40, samples: 40 });
  const losses = await run.train(20);
  assert(losses.length === 3 && losses.every(Number.isFinite), `losses ${losses}`);
  // The score target -eps / sqrt(1 - alphaBar_t) is far larger than eps at small t, so is its loss.
  assert(losses[2] > losses[0], `score loss ${losses[2]} above eps loss ${losses[0]}`);
  const asked = await run.ask!({ kind: "tweedie", t: 2 }, 20) as ParameterisationsView;
  assert(asked.kind === "tweedie" && asked.t === 2, "the question sets t");
  const reports = await run.render(true, 20);
  const tw = reports.find((r) => r.kind === "tweedie") as Extract<
    ParameterisationsView,
    { kind: "tweedie" }
  >;
  assert(tw && tw.t === 2 && tw.learned.length === 3, "one learned denoiser per model");
  assert(tw.learned.every((l) => l.length === 2 * PROBE_COUNT), "probe-sized outputs");
  assert(tw.rms.every((r) => Number.isFinite(r) && r >= 0), `rms ${tw.rms}`);
  const models = reports.find((r) => r.kind === "models") as Extract<
    ParameterisationsView,
    { kind: "models" }
  >;
  assert(models.models.map((m) => m.target).join() === TARGETS.join(), "eps, x0, score");
  assert(models.models.every((m) => m.points.length === 80 && Number.isFinite(m.mmd2)), "samples");
  assert(tf.memory().numTensors > baseline, "the run holds its weights");
  run.dispose();
  assert(tf.memory().numTensors === baseline, `${tf.memory().numTensors} vs ${baseline}`);
});

Deno.test("Guidance: the exact classifier raises fidelity even for a barely trained model; no leaks", async () => {
  const baseline = tf.memory().numTensors;
  const run = createGuidanceRun({ seed: 5, budget: 40, samples: 200 });
  await run.train(10);
  const at = async (gamma: number, method: GuidanceMethod) => {
    await run.ask!({ kind: "guide", y: 2, gamma, method }, 10);
    const [r] = await run.render(false, 10);
    assert(r.kind === "guided" && r.points.length === 400, "200 guided samples");
    assert(r.view.gamma === gamma && r.view.y === 2, "the view is echoed");
    return r;
  };
  const plain = await at(0, "classifier"), guided = await at(6, "classifier");
  // With gamma = 0 the samples ignore y (about 1/3 in class 2's region); gamma = 6 with the exact
  // noisy classifier pushes nearly all of them there, whatever the network has learned so far.
  assert(guided.fidelity > plain.fidelity + 0.3, `${plain.fidelity} -> ${guided.fidelity}`);
  const cfg = await at(1, "cfg");
  assert(cfg.fidelity >= 0 && cfg.fidelity <= 1 && cfg.diversity > 0, "cfg numbers");
  run.dispose();
  assert(tf.memory().numTensors === baseline, `${tf.memory().numTensors} vs ${baseline}`);
});
