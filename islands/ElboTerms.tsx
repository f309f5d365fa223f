import { useEffect, useRef, useState } from "preact/hooks";
import { createLineChart, type LineChart } from "../lib/demo/charts.ts";
import {
  DEFAULT_CONFIG,
  isMixtureDataset,
  oneOf,
  TRAIN_DATASETS,
  type TrainConfig,
} from "../lib/demo/config.ts";
import { formatExponential, formatSigned } from "../lib/demo/format.ts";
import type { LikelihoodResult, TrainView } from "../lib/demo/runs/train_types.ts";
import { TrainBar } from "../lib/demo/train_bar.tsx";
import { useDemoRun } from "../lib/demo/use_demo_run.ts";

interface Props {
  /** The data set ("mixture": the exact 2-D mixture, whose log-density is known). */
  dataset?: string;
  /** The noise schedule. */
  schedule?: "linear" | "cosine";
  /** The demo worker's module URL (ChapterView passes it: `needsWorker` in lib/site/demos.ts). */
  workerUrl?: string;
  /** Where tfjs's .wasm files are served (ChapterView passes it, base path included). */
  wasmPaths?: string;
}

type Elbo = Extract<TrainView, { kind: "elbo" }>;

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

export default function ElboTerms(props: Props) {
  const config = configOf(props);
  const exact = isMixtureDataset(config.dataset);
  const [latest, setLatest] = useState<Elbo | undefined>(undefined);
  const [first, setFirst] = useState<Elbo | undefined>(undefined);
  const [chartError, setChartError] = useState("");
  const [ode, setOde] = useState<LikelihoodResult | undefined>(undefined);
  const [odeBusy, setOdeBusy] = useState(false);
  const [odeError, setOdeError] = useState("");
  const history = useRef({ steps: [] as number[], elbo: [] as number[], logQ: [] as number[] });
  const firstRef = useRef<Elbo | undefined>(undefined);
  const historyBox = useRef<HTMLDivElement>(null);
  const termsBox = useRef<HTMLDivElement>(null);
  const charts = useRef<{ history?: LineChart; terms?: LineChart; pending?: Promise<void> }>({});

  const redraw = (now?: Elbo) => {
    const h = history.current;
    charts.current.history?.setData(h.steps, exact ? [h.elbo, h.logQ] : [h.elbo]);
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
        yLabel: "Lₜ₋₁ (nats)",
        series: [
          { label: "denoising term now", colour: "accent" },
          { label: "at the start", colour: "muted", dash: [4, 4] },
        ],
      }),
    ]).then(([historyChart, termsChart]) => {
      c.history = historyChart;
      c.terms = termsChart;
      redraw(report);
    }).catch((error) => setChartError(`Cannot draw the charts: ${error}`));
  };

  const clear = () => {
    history.current = { steps: [], elbo: [], logQ: [] };
    firstRef.current = undefined;
    setFirst(undefined);
    setOde(undefined);
    setOdeError("");
    setLatest(undefined);
    redraw();
  };

  const run = useDemoRun({
    workerUrl: props.workerUrl,
    wasmPaths: props.wasmPaths,
    slot: "elbo",
    run: "train",
    onViews: (views) => {
      for (const r of views as TrainView[]) {
        if (r.kind !== "elbo") continue;
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
      }
    },
  });
  useEffect(() => () => {
    charts.current.history?.destroy();
    charts.current.terms?.destroy();
  }, []);

  const params = { config, samples: false, elbo: true }; // this demo shows no samples
  const train = () => {
    if (run.train(params) === "started") clear();
  };
  const reset = () => {
    clear();
    run.reset();
  };

  // The model's own log p_theta(x_0) through its probability-flow ODE, on the ELBO's points.
  const likelihood = () => {
    setOdeBusy(true);
    setOdeError("");
    run.ask<LikelihoodResult>({ kind: "likelihood" })
      .then(setOde, (e) => setOdeError(e instanceof Error ? e.message : String(e)))
      .finally(() => setOdeBusy(false));
  };
  const denoisingSum = latest?.denoising.reduce((a, b) => a + b, 0);
  const negated = (v: number | undefined) => v === undefined ? undefined : -v;
  return (
    <div
      class="demo-island elbo-terms"
      data-status={run.state.status}
      data-hydrated={run.hydrated ? "true" : undefined}
      data-first-gap={first?.gap}
      data-first-elbo={first?.elbo}
      data-ode-busy={odeBusy ? "true" : undefined}
    >
      <p class="demo-caption">
        Press{" "}
        <strong>Train</strong>: a small model learns the 2-D Gaussian mixture, and every few seconds
        its ELBO is split into the terms of the bound on the same 256 data points. Watch the
        denoising terms fall (large t first) and the ELBO climb towards the exact log-likelihood.
      </p>
      <TrainBar run={run} onTrain={train} onReset={reset} budget={config.stepBudget} />
      <div class="controls" role="group" aria-label="The model’s own likelihood">
        <button
          type="button"
          disabled={!run.hasModel || run.running || odeBusy}
          onClick={likelihood}
          data-testid="ode-likelihood"
        >
          Compute log p<sub>θ</sub>(x₀) through the ODE
        </button>
        <span class="demo-muted">
          {odeBusy
            ? "integrating 256 paths…"
            : run.hasModel
            ? ""
            : "once the model is paused or trained"}
        </span>
      </div>
      <div class="et-plots" hidden={!latest}>
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
          aria-label="Denoising terms L sub t minus 1 against t, now and at the start, log scale"
          data-testid="terms-chart"
        />
      </div>
      {chartError && <p class="demo-message">{chartError}</p>}
      {odeError && <p class="demo-message demo-error" role="alert">{odeError}</p>}
      <table class="et-table" aria-live="off">
        <caption class="demo-muted">
          Nats per data point{latest ? `, at step ${latest.step}` : ", once training starts"}; σ
          <sub>t</sub>
          <sup>2</sup> = β<sub>t</sub>
        </caption>
        <tbody>
          <tr>
            <th scope="row">reconstruction E log p(x₀ | x₁)</th>
            <td data-testid="reconstruction">{formatSigned(latest?.reconstruction)}</td>
          </tr>
          <tr>
            <th scope="row">
              − prior KL(q(x<sub>T</sub> | x₀) ‖ p(x<sub>T</sub>))
            </th>
            <td data-testid="prior">
              {latest && latest.prior < 1e-3
                ? `−${formatExponential(latest.prior, 2)}`
                : formatSigned(negated(latest?.prior))}
            </td>
          </tr>
          <tr>
            <th scope="row">
              − denoising Σ L<sub>t−1</sub>, t = 2…{config.T}
            </th>
            <td data-testid="denoising">{formatSigned(negated(denoisingSum))}</td>
          </tr>
          <tr class="et-total">
            <th scope="row">= ELBO</th>
            <td data-testid="elbo">{formatSigned(latest?.elbo)}</td>
          </tr>
          <tr>
            <th scope="row">
              model’s log p<sub>θ</sub>(x₀) through its probability-flow ODE
            </th>
            <td data-testid="ode-logp" data-value={ode?.odeLogLikelihood}>
              {formatSigned(ode?.odeLogLikelihood)}
              {ode && (
                <span class="demo-muted">
                  {` (step ${ode.step}; above the ELBO for ${
                    (100 * ode.aboveElbo).toFixed(0)
                  }% of the points)`}
                </span>
              )}
            </td>
          </tr>
          {exact && (
            <>
              <tr>
                <th scope="row">exact log q(x₀) (the data’s own density)</th>
                <td data-testid="logq">{formatSigned(latest?.logQ)}</td>
              </tr>
              <tr>
                <th scope="row">gap log q(x₀) − ELBO</th>
                <td data-testid="gap">
                  {formatSigned(latest?.gap)}
                  {first && latest && latest !== first && (
                    <span class="demo-muted">
                      {` (was ${formatSigned(first.gap)} at step ${first.step})`}
                    </span>
                  )}
                </td>
              </tr>
            </>
          )}
        </tbody>
      </table>
      <p class="demo-muted">
        The gap is never negative on average: E log q(x₀) ≥ E log p<sub>θ</sub>(x₀) ≥ E ELBO for the
        chain’s own p<sub>θ</sub>. Part of it is the model’s error, part the bound’s own slack (the
        posterior mismatch), which does not vanish with σ<sub>t</sub>
        <sup>2</sup>{" "}
        = β<sub>t</sub>. The ODE’s log p<sub>θ</sub>(x₀) is the exact likelihood of the same
        network’s deterministic flow, a different model from the chain: E log q(x₀) is above it too,
        but the chain’s ELBO need not be below it.
      </p>
    </div>
  );
}
