import { useEffect, useRef, useState } from "preact/hooks";
import { createTrainClient, type TrainClient, type WorkerLike } from "../lib/demo/client.ts";
import { createLineChart, type LineChart } from "../lib/demo/charts.ts";
import {
  DEFAULT_CONFIG,
  isMixtureDataset,
  oneOf,
  TRAIN_DATASETS,
  type TrainConfig,
} from "../lib/demo/config.ts";
import { formatElapsed } from "../lib/demo/format.ts";
import { type FromWorker, statusAfterStop } from "../lib/demo/protocol.ts";

interface Props {
  /** The data set ("mixture": the exact 2-D mixture, whose log-density is known). */
  dataset?: string;
  /** The noise schedule. */
  schedule?: "linear" | "cosine";
  /** The training worker's module URL (ChapterView passes it: `needsWorker` in demos.ts). */
  workerUrl?: string;
  /** Where tfjs's .wasm files are served (ChapterView passes it, base path included). */
  wasmPaths?: string;
}

type Status = "idle" | "starting" | "training" | "paused" | "done" | "diverged" | "error";
type Elbo = Extract<FromWorker, { type: "elbo" }>;

/** The run this demo trains: the book's defaults on the chosen data, a shorter budget. */
function configOf(props: Props): TrainConfig {
  // Not "drawn": this demo has no canvas to draw on.
  const dataset = oneOf(TRAIN_DATASETS.filter((d) => d !== "drawn"), props.dataset, "mixture");
  return {
    ...DEFAULT_CONFIG,
    dataset,
    schedule: props.schedule ?? DEFAULT_CONFIG.schedule,
    stepBudget: 3000,
  };
}

const fmt = (v: number | undefined, digits = 3) =>
  v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);

/**
 * The ELBO's terms during live training (`eq:elbo-terms`): the prior term, the denoising terms
 * L_{t-1} by t, and the reconstruction term, and for mixture data the exact log-likelihood
 * log q(x_0) above the bound. The same worker and session as TrainAndSample: the worker
 * evaluates the terms of the EMA model every few seconds on the same 256 data points with the
 * same noise, so the changes are the model's.
 */
export default function ElboTerms(props: Props) {
  const config = configOf(props);
  const exact = isMixtureDataset(config.dataset);
  const [status, setStatus] = useState<Status>("idle");
  const [hydrated, setHydrated] = useState(false);
  const [step, setStep] = useState(0);
  const [elapsedMs, setElapsedMs] = useState(0);
  const [backend, setBackend] = useState<string | undefined>(undefined);
  const [latest, setLatest] = useState<Elbo | undefined>(undefined);
  const [first, setFirst] = useState<Elbo | undefined>(undefined);
  const [message, setMessage] = useState("");
  const client = useRef<TrainClient | null>(null);
  const statusRef = useRef<Status>("idle");
  const history = useRef({ steps: [] as number[], elbo: [] as number[], logQ: [] as number[] });
  const firstRef = useRef<Elbo | undefined>(undefined);
  const historyBox = useRef<HTMLDivElement>(null);
  const termsBox = useRef<HTMLDivElement>(null);
  const charts = useRef<{ history?: LineChart; terms?: LineChart; pending?: Promise<void> }>({});

  const setStatusBoth = (s: Status) => {
    statusRef.current = s;
    setStatus(s);
  };

  const redraw = (latestReport?: Elbo) => {
    const h = history.current;
    charts.current.history?.setData(h.steps, exact ? [h.elbo, h.logQ] : [h.elbo]);
    const now = latestReport;
    const start = firstRef.current;
    if (!now || !start) return;
    const ts = Array.from({ length: config.T - 1 }, (_, i) => i + 2); // t = 2..T
    charts.current.terms?.setData(ts, [
      ts.map((t) => now.denoising[t]),
      ts.map((t) => start.denoising[t]),
    ]);
  };

  const ensureCharts = (report: Elbo) => {
    const c = charts.current;
    if (c.pending || !historyBox.current || !termsBox.current) return;
    c.pending = Promise.all([
      createLineChart(historyBox.current, {
        width: 360,
        height: 180,
        xLabel: "training step",
        yLabel: "nats per point",
        series: exact
          ? [
            { label: "ELBO", colour: "accent", points: true },
            { label: "exact log q(x₀)", colour: "ink", dash: [4, 4] },
          ]
          : [{ label: "ELBO", colour: "accent", points: true }],
      }),
      createLineChart(termsBox.current, {
        width: 360,
        height: 180,
        logY: true,
        xLabel: "t",
        yLabel: "L_{t−1} (nats)",
        series: [
          { label: "denoising term now", colour: "accent" },
          { label: "at the start", colour: "muted", dash: [4, 4] },
        ],
      }),
    ]).then(([historyChart, termsChart]) => {
      c.history = historyChart;
      c.terms = termsChart;
      redraw(report);
    }).catch((error) => setMessage(`Cannot draw the charts: ${error}`));
  };

  const onReport = (r: FromWorker) => {
    switch (r.type) {
      case "backend":
        setBackend(`${r.backend} — ${r.reason}`);
        return;
      case "progress":
        setStep(r.step);
        setElapsedMs(r.elapsedMs);
        if (statusRef.current === "starting") setStatusBoth("training");
        return;
      case "elbo": {
        if (!firstRef.current) {
          firstRef.current = r;
          setFirst(r);
        }
        setLatest(r);
        const h = history.current;
        h.steps.push(r.step);
        h.elbo.push(r.elbo);
        h.logQ.push(r.logQ);
        ensureCharts(r);
        redraw(r);
        return;
      }
      case "stopped":
        setStep(r.step);
        setMessage(r.message);
        setStatusBoth(statusAfterStop(r.reason));
        return;
      case "reset":
        setMessage(`Reset: ${r.numTensors} tensors held (baseline ${r.baselineTensors}).`);
        setStatusBoth("idle");
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
      client.current = createTrainClient(
        () => new Worker(url, { type: "module" }) as unknown as WorkerLike,
        onReport,
        props.wasmPaths,
      );
    }
    const onVisibility = () => {
      if (document.hidden && statusRef.current === "training") {
        client.current?.pause();
        setMessage("Paused because the tab was hidden; press Resume to go on.");
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    setHydrated(true);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      client.current?.terminate();
      charts.current.history?.destroy();
      charts.current.terms?.destroy();
    };
  }, []);

  const clear = () => {
    history.current = { steps: [], elbo: [], logQ: [] };
    firstRef.current = undefined;
    setFirst(undefined);
    setLatest(undefined);
    setStep(0);
    setElapsedMs(0);
    redraw();
  };
  const train = () => {
    const c = client.current;
    if (!c) return;
    setMessage("");
    if (status === "paused") {
      c.resume();
      setStatusBoth("training");
      return;
    }
    clear();
    c.start(config, "auto", undefined, { samples: false, elbo: true }); // this demo shows no samples
    setStatusBoth("starting");
  };
  const reset = () => {
    clear();
    if (client.current?.started) client.current.reset();
  };

  const running = status === "training" || status === "starting";
  const denoisingSum = latest?.denoising.reduce((a, b) => a + b, 0);
  return (
    <div
      class="elbo-terms"
      data-status={status}
      data-hydrated={hydrated ? "true" : undefined}
      data-first-gap={first?.gap}
      data-first-elbo={first?.elbo}
    >
      <p class="demo-caption">
        Press{" "}
        <strong>Train</strong>: a small model learns the 2-D Gaussian mixture, and every few seconds
        its ELBO is split into the terms of the bound on the same 256 data points. Watch the
        denoising terms fall (large t first) and the ELBO climb towards the exact log-likelihood.
      </p>
      <div class="ts-buttons" role="group" aria-label="Training">
        <button
          type="button"
          onClick={train}
          disabled={!props.workerUrl || running}
          data-testid="train"
        >
          {status === "paused" ? "Resume" : "Train"}
        </button>
        <button
          type="button"
          onClick={() => client.current?.pause()}
          disabled={!running}
          data-testid="pause"
        >
          Pause
        </button>
        <button type="button" onClick={reset} data-testid="reset">Reset</button>
      </div>
      <div class="ts-progress">
        <progress
          max={config.stepBudget}
          value={step}
          aria-label="Training progress"
          data-testid="progress"
        />
        <span>
          step <output data-testid="step">{step}</output> / {config.stepBudget},{" "}
          {formatElapsed(elapsedMs)}
        </span>
      </div>
      <div class="et-plots">
        <div
          ref={historyBox}
          class="ts-chart"
          role="img"
          aria-label={exact
            ? "The ELBO and the exact log-likelihood against training step"
            : "The ELBO against training step"}
          data-testid="history-chart"
        />
        <div
          ref={termsBox}
          class="ts-chart"
          role="img"
          aria-label="Denoising terms L_{t-1} against t, now and at the start, log scale"
          data-testid="terms-chart"
        />
      </div>
      <table class="et-table" aria-live="off">
        <caption class="ts-muted">
          Nats per data point{latest ? `, at step ${latest.step}` : ""}; σ<sub>t</sub>
          <sup>2</sup> = β<sub>t</sub>
        </caption>
        <tbody>
          <tr>
            <th scope="row">reconstruction E log p(x₀ | x₁)</th>
            <td data-testid="reconstruction">{fmt(latest?.reconstruction)}</td>
          </tr>
          <tr>
            <th scope="row">− prior KL(q(x_T | x₀) ‖ p(x_T))</th>
            <td data-testid="prior">
              {latest
                ? `−${latest.prior < 1e-3 ? latest.prior.toExponential(2) : fmt(latest.prior)}`
                : "–"}
            </td>
          </tr>
          <tr>
            <th scope="row">
              − denoising Σ L<sub>t−1</sub>, t = 2…{config.T}
            </th>
            <td data-testid="denoising">{latest ? `−${fmt(denoisingSum)}` : "–"}</td>
          </tr>
          <tr class="et-total">
            <th scope="row">= ELBO</th>
            <td data-testid="elbo">{fmt(latest?.elbo)}</td>
          </tr>
          {exact && (
            <>
              <tr>
                <th scope="row">exact log q(x₀) (the data's own density)</th>
                <td data-testid="logq">{fmt(latest?.logQ)}</td>
              </tr>
              <tr>
                <th scope="row">gap log q(x₀) − ELBO</th>
                <td data-testid="gap">
                  {fmt(latest?.gap)}
                  {first && latest && latest !== first && (
                    <span class="ts-muted">{` (was ${fmt(first.gap)} at step ${first.step})`}</span>
                  )}
                </td>
              </tr>
            </>
          )}
        </tbody>
      </table>
      <p class="ts-muted">
        The gap is never negative on average: E log q(x₀) ≥ E log p<sub>θ</sub>(x₀) ≥ E ELBO. Part
        of it is the model's error, part the bound's own slack (the posterior mismatch), which does
        not vanish with σ<sub>t</sub>
        <sup>2</sup> = β<sub>t</sub>.
      </p>
      <p class="ts-message" role="status" data-testid="message">
        {!props.workerUrl
          ? "Training is unavailable here: the page did not provide the worker."
          : message}
      </p>
      <p class="ts-muted" data-testid="backend">backend: {backend ?? "not started"}</p>
    </div>
  );
}
