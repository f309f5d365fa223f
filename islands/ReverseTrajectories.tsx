import { useEffect, useRef, useState } from "preact/hooks";
import { type DatasetName, DATASETS, oneOf } from "../lib/demo/config.ts";
import { drawSamples, paletteOf } from "../lib/demo/draw.ts";
import {
  INITIAL,
  sharedTrajectoryClient,
  type TrajectoryClient,
  type TrajectoryState,
} from "../lib/demo/trajectories_client.ts";
import type {
  Panel,
  TrajectoriesRequest,
  TrajectoriesResult,
} from "../lib/demo/trajectories_protocol.ts";
import { TRAJECTORY_TRAINING } from "../lib/demo/trajectories_protocol.ts";
import { formatDistance, meanPairDistance } from "../lib/demo/trajectories_readout.ts";
import { TrainBar } from "../lib/demo/trajectories_train_bar.tsx";

interface Props {
  /** The data set the model is trained on. */
  dataset?: string;
  /** Ignored: the shared model uses the linear schedule. */
  schedule?: string;
  /** The `trajectories-worker` bundle's URL (ChapterView passes it). */
  workerUrl?: string;
}

const SAMPLES = 400;
const PATHS = 10;
const DDIM_STEPS = [5, 10, 20, 50, 100];

interface Settings {
  noiseSeed: number;
  runSeed: number;
  eta: number;
  ddimSteps: number;
}

interface Shown {
  settings: Settings;
  result: TrajectoriesResult;
  ms: number;
  /** Mean distance of each panel's x_0 from the previous draw from the same x_T (NaN: none). */
  moved: { ddpm: number; ddim: number };
}

/**
 * Reverse trajectories from a model trained live: DDPM (left) and DDIM (right) start from the same
 * x_T. Re-running from the same x_T shows which sampler is deterministic: DDPM adds fresh noise at
 * every step, DDIM with eta = 0 adds none. Training and sampling run in the shared worker; this
 * island holds the settings and draws.
 */
export default function ReverseTrajectories(props: Props) {
  const dataset: DatasetName = oneOf(DATASETS, props.dataset, "swissroll");
  const [state, setState] = useState<TrajectoryState | undefined>(undefined);
  const [settings, setSettings] = useState<Settings>({
    noiseSeed: 1,
    runSeed: 1,
    eta: 0,
    ddimSteps: 20,
  });
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [draws, setDraws] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);
  const client = useRef<TrajectoryClient | undefined>(undefined);
  const wanted = useRef<Settings>(settings);
  const inFlight = useRef(false);
  const last = useRef<Shown | undefined>(undefined);
  const ddpmCanvas = useRef<HTMLCanvasElement>(null);
  const ddimCanvas = useRef<HTMLCanvasElement>(null);

  const drawPanel = (canvas: HTMLCanvasElement | null, panel: Panel) => {
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    drawSamples(
      ctx,
      panel.points,
      panel.paths,
      panel.pathCount,
      panel.pathLength,
      paletteOf(canvas),
    );
  };

  /** Asks for the wanted settings; one request at a time, the latest wins. */
  const pump = async () => {
    const c = client.current;
    if (!c || inFlight.current || c.state.phase !== "ready") return;
    const s = wanted.current;
    if (last.current && sameSettings(last.current.settings, s)) return;
    inFlight.current = true;
    setBusy(true);
    const request: TrajectoriesRequest = { ...s, n: SAMPLES, paths: PATHS };
    try {
      const { result, ms } = await c.trajectories(request);
      const prev = last.current;
      const comparable = prev && prev.settings.noiseSeed === s.noiseSeed;
      const moved = {
        ddpm: comparable ? meanPairDistance(prev.result.ddpm.points, result.ddpm.points) : NaN,
        ddim: comparable ? meanPairDistance(prev.result.ddim.points, result.ddim.points) : NaN,
      };
      last.current = { settings: s, result, ms, moved };
      setShown(last.current);
      setDraws((d) => d + 1);
      setError(undefined);
      drawPanel(ddpmCanvas.current, result.ddpm);
      drawPanel(ddimCanvas.current, result.ddim);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
    if (!sameSettings(wanted.current, s)) pump();
  };

  const change = (patch: Partial<Settings>) => {
    const next = { ...wanted.current, ...patch };
    wanted.current = next;
    setSettings(next);
    pump();
  };

  useEffect(() => {
    if (!props.workerUrl) {
      setState(INITIAL);
      return;
    }
    const c = sharedTrajectoryClient(props.workerUrl);
    client.current = c;
    return c.subscribe((s) => {
      setState(s);
      if (s.phase === "ready") pump();
      if (s.phase !== "ready") last.current = undefined;
    });
  }, []);

  const ready = state?.phase === "ready";
  const moved = shown?.moved;
  const etaText = settings.eta.toFixed(1);
  return (
    <div
      class="trajectories"
      data-hydrated={state ? "true" : undefined}
      data-phase={state?.phase}
      data-busy={busy ? "true" : undefined}
      data-draws={draws}
    >
      <p class="demo-caption">
        Both panels start from the same noise x<sub>T</sub>: press{" "}
        <strong>
          Re-run from the same x<sub>T</sub>
        </strong>{" "}
        and see that DDPM's samples move (it adds fresh noise at every step) while DDIM with η = 0
        lands exactly where it did before.
      </p>
      {state && <TrainBar state={state} client={client.current} dataset={dataset} />}
      <div class="tj-panels">
        <figure class="tj-panel">
          <canvas
            ref={ddpmCanvas}
            width={320}
            height={320}
            role="img"
            aria-label={`DDPM, ${TRAJECTORY_TRAINING.T} steps: ${SAMPLES} samples and ${PATHS} paths from x_T to x_0`}
          />
          <figcaption>
            DDPM, {TRAJECTORY_TRAINING.T} steps · moved{" "}
            <output data-testid="ddpm-moved">{formatDistance(moved?.ddpm ?? NaN)}</output>
          </figcaption>
        </figure>
        <figure class="tj-panel">
          <canvas
            ref={ddimCanvas}
            width={320}
            height={320}
            role="img"
            aria-label={`DDIM, ${settings.ddimSteps} steps, eta ${etaText}: ${SAMPLES} samples and ${PATHS} paths`}
          />
          <figcaption>
            DDIM, {settings.ddimSteps} steps, η = {etaText} · moved{" "}
            <output data-testid="ddim-moved">{formatDistance(moved?.ddim ?? NaN)}</output>
          </figcaption>
        </figure>
      </div>
      <p class="tj-muted tj-note">
        “moved”: mean distance of each x<sub>0</sub>{" "}
        from the previous draw from the same x<sub>T</sub>, in standardised units
        {busy ? " · sampling…" : shown ? ` · drawn in ${shown.ms.toFixed(0)} ms` : ""}.
      </p>
      <div class="controls tj-controls" role="group" aria-label="Sampling">
        <button
          type="button"
          disabled={!ready}
          onClick={() => change({ runSeed: wanted.current.runSeed + 1 })}
          data-testid="rerun"
        >
          Re-run from the same x<sub>T</sub>
        </button>
        <button
          type="button"
          disabled={!ready}
          onClick={() => change({ noiseSeed: wanted.current.noiseSeed + 1 })}
          data-testid="new-noise"
        >
          New x<sub>T</sub>
        </button>
        <label>
          DDIM η <output data-testid="eta-value">{etaText}</output>
          <input
            type="range"
            min={0}
            max={1}
            step={0.1}
            value={settings.eta}
            onInput={(e) => change({ eta: Number((e.target as HTMLInputElement).value) })}
            data-testid="eta"
          />
        </label>
        <label>
          DDIM steps
          <select
            value={settings.ddimSteps}
            onChange={(e) => change({ ddimSteps: Number((e.target as HTMLSelectElement).value) })}
            data-testid="ddim-steps"
          >
            {DDIM_STEPS.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      </div>
      {error && <p class="tj-message tj-error" role="alert">{error}</p>}
    </div>
  );
}

function sameSettings(a: Settings, b: Settings): boolean {
  return a.noiseSeed === b.noiseSeed && a.runSeed === b.runSeed && a.eta === b.eta &&
    a.ddimSteps === b.ddimSteps;
}
