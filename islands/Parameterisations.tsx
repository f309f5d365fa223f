import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { LAB_T, labPool, labSchedule, ringMixture } from "../lib/demo/lab_data.ts";
import { drawLayers, drawTweedie } from "../lib/demo/lab_draw.ts";
import type { ModelSamples } from "../lib/demo/lab_protocol.ts";
import { LabStatusLines, LabTrainBar, useLabTraining } from "../lib/demo/lab_training.tsx";
import { tweedieProbe } from "../lib/demo/lab_tweedie.ts";
import { PARAMETERISATIONS_BUDGET } from "../lib/demo/lab_budgets.ts";
import { paletteOf } from "../lib/demo/draw.ts";
import { formatLoss, formatMmd2, isGoodMmd2 } from "../lib/demo/format.ts";

interface Props {
  /** The lab worker's module URL (ChapterView passes it: `needsWorker`, `worker: "lab-worker"`). */
  workerUrl?: string;
}

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
 * on the same minibatches of a six-blob mixture, in a Web Worker (`lib/demo/lab_worker.ts`). The
 * island shows each model's loss, samples and MMD², and Tweedie's denoiser at a step t chosen
 * with a slider: the exact E[x₀ | x_t] of the mixture (computed here, from `engine/`) against what
 * each network implies.
 */
export default function Parameterisations(props: Props) {
  const [models, setModels] = useState<ModelSamples[] | undefined>(undefined);
  const [learned, setLearned] = useState<
    { t: number; learned: Float32Array[]; rms: number[]; step: number } | undefined
  >(undefined);
  const [t, setT] = useState(10);
  const [shown, setShown] = useState<Target>("eps");
  const training = useLabTraining(props.workerUrl, (r) => {
    if (r.type === "models") setModels(r.models);
    if (r.type === "tweedie") setLearned({ t: r.t, learned: r.learned, rms: r.rms, step: r.step });
  });
  const { status, progress, hydrated } = training;
  const tweedieCanvas = useRef<HTMLCanvasElement>(null);
  const sampleCanvases = [
    useRef<HTMLCanvasElement>(null),
    useRef<HTMLCanvasElement>(null),
    useRef<HTMLCanvasElement>(null),
  ];

  const mixture = useMemo(() => ringMixture(), []);
  const schedule = useMemo(() => labSchedule(), []);
  const data = useMemo(() => labPool(mixture, 800, 11).x, []);
  const probe = useMemo(() => tweedieProbe(mixture, schedule, t), [t]);

  // Tweedie's picture: exact at once, learned when the worker has answered for this t.
  useEffect(() => {
    const c = tweedieCanvas.current;
    const ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    const mine = learned && learned.t === t ? learned.learned[TARGETS.indexOf(shown)] : undefined;
    drawTweedie(ctx, data, probe.xt, probe.exact, mine, paletteOf(c));
  }, [probe, learned, shown, hydrated]);

  // Each model's samples.
  useEffect(() => {
    sampleCanvases.forEach((ref, i) => {
      const c = ref.current;
      const ctx = c?.getContext("2d");
      if (!c || !ctx) return;
      const palette = paletteOf(c);
      const points = models?.[i]?.points;
      drawLayers(ctx, [
        { points: data, colour: palette.muted, alpha: 0.15, size: 2 },
        ...(points ? [{ points, colour: palette.accent, alpha: 0.6, size: 2 }] : []),
      ], palette);
    });
  }, [models, hydrated]);

  const train = () => {
    if (status !== "paused") {
      setModels(undefined);
      setLearned(undefined);
    }
    training.train((c) => c.start("parameterisations", SEED, { kind: "tweedie", t }));
  };
  const reset = () => {
    setModels(undefined);
    setLearned(undefined);
    training.reset();
  };
  const chooseT = (next: number) => {
    setT(next);
    training.view({ kind: "tweedie", t: next });
  };

  const current = learned && learned.t === t ? learned : undefined;

  return (
    <div
      class="lab parameterisations"
      data-status={status}
      data-hydrated={hydrated ? "true" : undefined}
    >
      <p class="demo-caption">
        Press <strong>Train</strong>{" "}
        to fit three networks, one per target, on the same data; then drag <strong>t</strong>{" "}
        and watch where each one's Tweedie denoiser (orange) sends noisy points, against the exact
        E[x<sub>0</sub> | x<sub>t</sub>] (rings).
      </p>
      <LabTrainBar
        training={training}
        onTrain={train}
        onReset={reset}
        canTrain={!!props.workerUrl}
        defaultBudget={PARAMETERISATIONS_BUDGET}
        detail=" per model"
      />
      <div class="lab-plots">
        <div class="lab-main">
          <canvas
            ref={tweedieCanvas}
            width={360}
            height={360}
            role="img"
            aria-label={`Tweedie's denoiser at t = ${t}: exact and ${TARGET_NAMES[shown]} model`}
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
                      class={mmd !== undefined && isGoodMmd2(mmd) ? "lab-good" : undefined}
                    >
                      {mmd === undefined ? "–" : formatMmd2(mmd)}
                    </td>
                    <td data-testid={`tweedie-${target}`} data-t={current?.t}>
                      {rms === undefined ? "–" : rms.toPrecision(2)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p class="lab-muted">
            Losses are in each target's own units. MMD² of 500 DDPM samples against fresh data (good
            below 2e-3); Tweedie error: RMS distance between learned and exact E[x<sub>
              0
            </sub>{" "}
            | x<sub>t</sub>] over the {probe.xt.length / 2} noisy points.
          </p>
          <div class="lab-samples">
            {TARGETS.map((target, i) => (
              <figure key={target}>
                <canvas
                  ref={sampleCanvases[i]}
                  width={160}
                  height={160}
                  role="img"
                  aria-label={`Samples of the ${TARGET_NAMES[target]} model`}
                />
                <figcaption>{TARGET_NAMES[target]}</figcaption>
              </figure>
            ))}
          </div>
        </div>
      </div>
      <LabStatusLines training={training} canTrain={!!props.workerUrl} />
    </div>
  );
}
