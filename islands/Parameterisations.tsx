import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { LAB_T, labPool, labSchedule, radialSpread, ringMixture } from "../lib/demo/mixtures.ts";
import { drawLayers, drawTweedie } from "../lib/demo/draw_layers.ts";
import type { ModelSamples, ParameterisationsView } from "../lib/demo/runs/parameterisations.ts";
import { TrainBar } from "../lib/demo/train_bar.tsx";
import { useDemoRun } from "../lib/demo/use_demo_run.ts";
import { tweedieProbe } from "../lib/demo/tweedie.ts";
import { PARAMETERISATIONS_BUDGET } from "../lib/demo/budgets.ts";
import { paletteOf } from "../lib/demo/draw.ts";
import {
  formatLoss,
  formatMmd2,
  formatPowerOfTen,
  formatPrecision,
  isGoodMmd2,
} from "../lib/demo/format.ts";
import { MMD2_THRESHOLD } from "../lib/demo/config.ts";

interface Props {
  /** The demo worker's module URL (ChapterView passes it: `needsWorker`). */
  workerUrl?: string;
  /** Folder URL of tfjs's `.wasm` files. */
  wasmPaths?: string;
}

type Tweedie = Extract<ParameterisationsView, { kind: "tweedie" }>;

type Target = "eps" | "x0" | "score";

const TARGETS: readonly Target[] = ["eps", "x0", "score"];
const TARGET_NAMES: Record<Target, string> = {
  eps: "noise ε",
  x0: "clean x₀",
  score: "score ∇log q",
};
const SEED = 1;

/**
 * Three small networks, predicting the noise, the clean point and the score, trained side by side
 * on the same minibatches of a six-blob mixture, in the demo worker (`lib/demo/runs/parameterisations.ts`). The
 * island shows each model's loss, samples and MMD², and Tweedie's denoiser at a step t chosen
 * with a slider: the exact E[x₀ | x_t] of the mixture (computed here, from `engine/`) against what
 * each network implies.
 */
export default function Parameterisations(props: Props) {
  const [models, setModels] = useState<ModelSamples[] | undefined>(undefined);
  const [learned, setLearned] = useState<Tweedie | undefined>(undefined);
  const [t, setT] = useState(10);
  const [shown, setShown] = useState<Target>("eps");
  const run = useDemoRun({
    workerUrl: props.workerUrl,
    wasmPaths: props.wasmPaths,
    slot: "parameterisations",
    run: "parameterisations",
    onViews: (views) => {
      for (const v of views as ParameterisationsView[]) {
        if (v.kind === "models") setModels(v.models);
        else setLearned(v);
      }
    },
  });
  const { hydrated } = run;
  const { status, progress } = run.state;
  const tweedieCanvas = useRef<HTMLCanvasElement>(null);
  const sampleCanvases = [
    useRef<HTMLCanvasElement>(null),
    useRef<HTMLCanvasElement>(null),
    useRef<HTMLCanvasElement>(null),
    useRef<HTMLCanvasElement>(null),
  ];

  const mixture = useMemo(() => ringMixture(), []);
  const schedule = useMemo(() => labSchedule(), []);
  const data = useMemo(() => labPool(mixture, 800, 11).x, []);
  const dataSpread = useMemo(() => radialSpread(data), []);
  const probe = useMemo(() => tweedieProbe(mixture, schedule, t), [t]);

  // Tweedie's picture: exact at once, learned when the worker has answered for this t.
  useEffect(() => {
    const c = tweedieCanvas.current;
    const ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    const mine = learned && learned.t === t ? learned.learned[TARGETS.indexOf(shown)] : undefined;
    drawTweedie(ctx, data, probe.xt, probe.exact, mine, paletteOf(c));
  }, [probe, learned, shown, hydrated]);

  // The data, then each model's samples (as many points as the data panel shows).
  useEffect(() => {
    sampleCanvases.forEach((ref, i) => {
      const c = ref.current;
      const ctx = c?.getContext("2d");
      if (!c || !ctx) return;
      const palette = paletteOf(c);
      const points = i === 0 ? data.subarray(0, 1000) : models?.[i - 1]?.points;
      drawLayers(ctx, [
        { points: data, colour: palette.muted, alpha: i === 0 ? 0 : 0.12, size: 2 },
        ...(points
          ? [{ points, colour: i === 0 ? palette.ink : palette.accent, alpha: 0.6, size: 2 }]
          : []),
      ], palette);
    });
  }, [models, hydrated]);

  const ask = (next: number) =>
    run.ask<Tweedie>({ kind: "tweedie", t: next }).then(setLearned).catch(() => {});
  const train = () => {
    if (run.train({ seed: SEED }) === "started") {
      setModels(undefined);
      setLearned(undefined);
      ask(t);
    }
  };
  const reset = () => {
    setModels(undefined);
    setLearned(undefined);
    run.reset();
  };
  const chooseT = (next: number) => {
    setT(next);
    if (run.state.params !== undefined) ask(next);
  };

  const current = learned && learned.t === t ? learned : undefined;

  return (
    <div
      class="demo-island lab parameterisations"
      data-status={status}
      data-hydrated={hydrated ? "true" : undefined}
    >
      <p class="demo-caption">
        Press <strong>Train</strong>{" "}
        to fit three networks, one per target, on the same data; then drag <strong>t</strong>{" "}
        and watch where each one’s Tweedie denoiser (orange) sends noisy points, against the exact
        E[x<sub>0</sub> | x<sub>t</sub>] (rings).
      </p>
      <TrainBar
        run={run}
        onTrain={train}
        onReset={reset}
        budget={PARAMETERISATIONS_BUDGET}
        detail=" per model"
      />
      <div class="lab-plots">
        <div class="lab-main">
          <canvas
            ref={tweedieCanvas}
            width={360}
            height={360}
            role="img"
            aria-label={`Tweedie’s denoiser at t = ${t}: exact and ${TARGET_NAMES[shown]} model`}
          />
          <label class="lab-slider">
            <span>
              t = <output data-testid="t">{t}</output> (of {LAB_T})
            </span>
            <input
              type="range"
              min={1}
              max={LAB_T}
              step={1}
              value={t}
              onInput={(e) => chooseT(Number((e.target as HTMLInputElement).value))}
              aria-label="Diffusion step t"
              data-testid="t-slider"
            />
          </label>
          <fieldset class="lab-choice">
            <legend>Orange shows the model that predicts</legend>
            {TARGETS.map((target) => (
              <label key={target}>
                <input
                  type="radio"
                  name="param-shown"
                  value={target}
                  checked={shown === target}
                  onChange={() => setShown(target)}
                  data-testid={`show-${target}`}
                />
                {TARGET_NAMES[target]}
              </label>
            ))}
          </fieldset>
        </div>
        <div class="lab-side">
          <table class="lab-table">
            <thead>
              <tr>
                <th scope="col">predicts</th>
                <th scope="col">loss</th>
                <th scope="col">MMD²</th>
                <th scope="col">spread</th>
                <th scope="col">Tweedie error at t</th>
              </tr>
            </thead>
            <tbody>
              {TARGETS.map((target, i) => {
                const mmd = models?.[i]?.mmd2;
                const rms = current?.rms[i];
                return (
                  <tr key={target}>
                    <th scope="row">{TARGET_NAMES[target]}</th>
                    <td data-testid={`loss-${target}`}>
                      {progress.losses[i] === undefined ? "–" : formatLoss(progress.losses[i])}
                    </td>
                    <td
                      data-testid={`mmd2-${target}`}
                      class={mmd !== undefined && isGoodMmd2(mmd) ? "demo-good" : undefined}
                    >
                      {mmd === undefined ? "–" : formatMmd2(mmd)}
                    </td>
                    <td data-testid={`spread-${target}`}>
                      {models?.[i] ? radialSpread(models[i].points).toFixed(2) : "–"}
                    </td>
                    <td data-testid={`tweedie-${target}`} data-t={current?.t}>
                      {formatPrecision(rms, 2)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p class="demo-muted">
            Losses are in each target’s own units. MMD² of 500 DDPM samples against fresh data (good
            below{" "}
            {formatPowerOfTen(MMD2_THRESHOLD)}); Tweedie error: RMS distance between learned and
            exact E[x<sub>
              0
            </sub>{" "}
            | x<sub>t</sub>] over the {probe.xt.length / 2} noisy points.
          </p>
          <div class="lab-samples">
            {["data", ...TARGETS].map((target, i) => (
              <figure key={target}>
                <canvas
                  ref={sampleCanvases[i]}
                  width={160}
                  height={160}
                  role="img"
                  aria-label={i === 0
                    ? "The data: six blobs on a ring"
                    : `Samples of the model that predicts the ${
                      TARGET_NAMES[target as Target]
                    }, over the data (faint)`}
                  data-testid={`samples-${target}`}
                />
                <figcaption>{i === 0 ? "data" : TARGET_NAMES[target as Target]}</figcaption>
              </figure>
            ))}
          </div>
          <p class="demo-muted" data-testid="why-x0">
            Spread: RMS distance from the ring’s centre line (the data’s:{" "}
            {dataSpread.toFixed(2)}). A sharp ring is not the data: samples with less spread than
            the data’s blobs score worse on MMD², however clean they look.
          </p>
        </div>
      </div>
    </div>
  );
}
