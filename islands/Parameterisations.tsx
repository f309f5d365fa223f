import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { createLabClient, type LabClient, type LabWorkerLike } from "../lib/demo/lab_client.ts";
import { LAB_T, labPool, labSchedule, ringMixture } from "../lib/demo/lab_data.ts";
import { drawLayers, drawTweedie } from "../lib/demo/lab_draw.ts";
import type { FromLab, ModelSamples } from "../lib/demo/lab_protocol.ts";
import { tweedieProbe } from "../lib/demo/lab_tweedie.ts";
import { PARAMETERISATIONS_BUDGET } from "../lib/demo/lab_budgets.ts";
import { paletteOf } from "../lib/demo/draw.ts";
import { formatElapsed, formatLoss, formatMmd2, isGoodMmd2 } from "../lib/demo/format.ts";

interface Props {
  /** The lab worker's module URL (ChapterView passes it: `needsWorker`, `worker: "lab-worker"`). */
  workerUrl?: string;
}

type Status = "idle" | "starting" | "training" | "paused" | "done" | "diverged" | "error";
type Target = "eps" | "x0" | "score";

const TARGETS: readonly Target[] = ["eps", "x0", "score"];
const TARGET_NAMES: Record<Target, string> = {
  eps: "noise ε",
  x0: "clean x₀",
  score: "score ∇log q",
};
const HIDDEN_MESSAGE = "Paused because the tab was hidden; press Resume to go on.";
const SEED = 1;

interface Progress {
  step: number;
  budget: number;
  losses: number[];
  stepsPerSecond: number;
  elapsedMs: number;
  numTensors: number;
}

const NO_PROGRESS: Progress = {
  step: 0,
  budget: 0,
  losses: [],
  stepsPerSecond: 0,
  elapsedMs: 0,
  numTensors: 0,
};

/**
 * Three small networks, predicting the noise, the clean point and the score, trained side by side
 * on the same minibatches of a six-blob mixture, in a Web Worker (`lib/demo/lab_worker.ts`). The
 * island shows each model's loss, samples and MMD², and Tweedie's denoiser at a step t chosen
 * with a slider: the exact E[x₀ | x_t] of the mixture (computed here, from `engine/`) against what
 * each network implies.
 */
export default function Parameterisations(props: Props) {
  const [status, setStatus] = useState<Status>("idle");
  const [progress, setProgress] = useState<Progress>(NO_PROGRESS);
  const [models, setModels] = useState<ModelSamples[] | undefined>(undefined);
  const [learned, setLearned] = useState<
    { t: number; learned: Float32Array[]; rms: number[]; step: number } | undefined
  >(undefined);
  const [t, setT] = useState(10);
  const [shown, setShown] = useState<Target>("eps");
  const [backend, setBackend] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState("");
  const [hydrated, setHydrated] = useState(false);
  const client = useRef<LabClient | null>(null);
  const statusRef = useRef<Status>("idle");
  const hiddenPause = useRef(false); // paused because the tab was hidden
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

  const setStatusBoth = (s: Status) => {
    statusRef.current = s;
    setStatus(s);
  };

  const onReport = (r: FromLab) => {
    switch (r.type) {
      case "backend":
        setBackend(`${r.backend} — ${r.reason}`);
        return;
      case "progress":
        setProgress({
          step: r.step,
          budget: r.budget,
          losses: r.losses,
          stepsPerSecond: r.stepsPerSecond,
          elapsedMs: r.elapsedMs,
          numTensors: r.numTensors,
        });
        if (statusRef.current === "starting") setStatusBoth("training");
        return;
      case "models":
        setModels(r.models);
        return;
      case "tweedie":
        setLearned({ t: r.t, learned: r.learned, rms: r.rms, step: r.step });
        return;
      case "stopped":
        setMessage(r.reason === "paused" && hiddenPause.current ? HIDDEN_MESSAGE : r.message);
        setStatusBoth(
          r.reason === "budget"
            ? "done"
            : r.reason === "diverged"
            ? "diverged"
            : r.reason === "error"
            ? "error"
            : "paused",
        );
        return;
      case "reset":
        setProgress({ ...NO_PROGRESS, numTensors: r.numTensors });
        setMessage(`Reset: ${r.numTensors} tensors held (baseline ${r.baselineTensors}).`);
        setStatusBoth("idle");
        return;
      case "guided":
        return;
      case "error":
        setMessage(r.message);
        setStatusBoth("error");
        return;
    }
  };

  useEffect(() => {
    if (props.workerUrl) {
      const url = props.workerUrl;
      client.current = createLabClient(
        () => new Worker(url, { type: "module" }) as unknown as LabWorkerLike,
        onReport,
      );
    }
    const onVisibility = () => {
      if (document.hidden && statusRef.current === "training") {
        hiddenPause.current = true;
        client.current?.pause();
        setMessage(HIDDEN_MESSAGE);
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    setHydrated(true);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      client.current?.terminate();
    };
  }, []);

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
    const c = client.current;
    if (!c) return;
    hiddenPause.current = false;
    setMessage("");
    if (status === "paused") {
      c.resume();
      setStatusBoth("training");
      return;
    }
    setModels(undefined);
    setLearned(undefined);
    setProgress(NO_PROGRESS);
    c.start("parameterisations", SEED, { kind: "tweedie", t });
    setStatusBoth("starting");
  };
  const pause = () => client.current?.pause();
  const reset = () => {
    setModels(undefined);
    setLearned(undefined);
    if (client.current?.started) client.current.reset();
    else setProgress(NO_PROGRESS);
  };
  const chooseT = (next: number) => {
    setT(next);
    if (status !== "idle") client.current?.view({ kind: "tweedie", t: next });
  };

  const running = status === "training" || status === "starting";
  const current = learned && learned.t === t ? learned : undefined;
  const budget = progress.budget || PARAMETERISATIONS_BUDGET;

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
      <div class="lab-buttons" role="group" aria-label="Training">
        <button
          type="button"
          onClick={train}
          disabled={!props.workerUrl || running}
          data-testid="train"
        >
          {status === "paused" ? "Resume" : "Train"}
        </button>
        <button type="button" onClick={pause} disabled={!running} data-testid="pause">
          Pause
        </button>
        <button type="button" onClick={reset} data-testid="reset">Reset</button>
      </div>
      <div class="lab-progress">
        <progress
          max={budget}
          value={progress.step}
          aria-label="Training progress"
          data-testid="progress"
        />
        <span>
          step <output data-testid="step">{progress.step}</output> / {budget} per model
          {progress.step > 0 &&
            ` · ${progress.stepsPerSecond.toFixed(0)} steps/s · ${
              formatElapsed(progress.elapsedMs)
            }`}
        </span>
      </div>
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
      <p class="lab-message" role="status" data-testid="message">
        {!props.workerUrl
          ? "Training is unavailable here: the page did not provide the worker."
          : message}
      </p>
      <p class="lab-muted" data-testid="backend">
        backend: {backend ?? "not started"} · tensors {progress.numTensors}
      </p>
    </div>
  );
}
