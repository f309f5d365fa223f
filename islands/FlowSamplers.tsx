import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { DEFAULT_CONFIG } from "../lib/demo/config.ts";
import { drawSamples, paletteOf } from "../lib/demo/draw.ts";
import { formatMmd2 } from "../lib/demo/format.ts";
import { formatDistance, meanPairDistance } from "../lib/demo/pair_distance.ts";
import type { FlowPanel, FlowResult, Panel } from "../lib/demo/runs/train_types.ts";
import { SamplingBar, type SamplingProps, useSamplingModel } from "../lib/demo/sampling_model.tsx";
import { samplingRootData } from "../lib/demo/sampling_root.ts";
import { targetPoints } from "../lib/demo/target_data.ts";
import { useLatest } from "../lib/demo/use_latest.ts";

type Props = SamplingProps;

const SAMPLES = 500;
const PATHS = 12;

interface Seeds {
  noiseSeed: number;
  runSeed: number;
}

interface Shown {
  seeds: Seeds;
  result: FlowResult;
  /** Mean distance of each x_0 from the previous draw from the same x_T (NaN: none). */
  moved: { sde: number; ode: number };
}

const sameSeeds = (a: Seeds, b: Seeds) => a.noiseSeed === b.noiseSeed && a.runSeed === b.runSeed;

/**
 * The reverse SDE and the probability-flow ODE from the same x_T (chapter 6): DDPM's ancestral
 * chain is the SDE's Euler–Maruyama discretisation, DDIM with eta = 0 over all T steps the ODE's
 * Euler discretisation. Each panel shows its samples and a few paths, its MMD^2 against the data
 * and how often its paths swap places within one step (the ODE's do not). The model is the
 * page's Train demo's when it has one, else the islands' own (`lib/demo/sampling_model.tsx`).
 */
export default function FlowSamplers(props: Props) {
  const { dataset, model } = useSamplingModel(props);
  const [seeds, setSeeds] = useState<Seeds>({ noiseSeed: 1, runSeed: 1 });
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  const last = useRef<Shown | undefined>(undefined);
  const sdeCanvas = useRef<HTMLCanvasElement>(null);
  const odeCanvas = useRef<HTMLCanvasElement>(null);
  const target = useMemo(() => targetPoints({ ...DEFAULT_CONFIG, dataset }, undefined, 600), []);

  const draw = (canvas: HTMLCanvasElement | null, panel: Panel) => {
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const { points, paths, pathCount, pathLength } = panel;
    drawSamples(ctx, points, paths, pathCount, pathLength, paletteOf(canvas));
  };
  // Before any model: the data both samplers should reach.
  useEffect(() => {
    if (shown) return;
    const none = new Float32Array(0);
    const data = { points: Float32Array.from(target), paths: none, pathCount: 0, pathLength: 0 };
    draw(sdeCanvas.current, data);
    draw(odeCanvas.current, data);
  }, [shown, model.own.hydrated]);

  const latest = useLatest<Seeds>((s) => {
    if (!model.ready) return false;
    return model.source.ask<FlowResult>({
      kind: "flow",
      request: { ...s, n: SAMPLES, paths: PATHS },
    }).then((result) => {
      const prev = last.current;
      const comparable = prev && prev.seeds.noiseSeed === s.noiseSeed;
      const moved = (key: "sde" | "ode") =>
        comparable ? meanPairDistance(prev.result[key].points, result[key].points) : NaN;
      last.current = { seeds: s, result, moved: { sde: moved("sde"), ode: moved("ode") } };
      setShown(last.current);
      draw(sdeCanvas.current, result.sde);
      draw(odeCanvas.current, result.ode);
    });
  }, sameSeeds);

  // A new model (trained, paused, lent): draw again from it, comparing nothing with the old one.
  useEffect(() => {
    last.current = undefined;
    if (model.ready) latest.want(seeds, true);
    else setShown(undefined);
  }, [model.version]);

  const change = (patch: Partial<Seeds>) => {
    const next = { ...seeds, ...patch };
    setSeeds(next);
    latest.want(next);
  };

  const { ready } = model;
  const T = shown?.result.T ?? DEFAULT_CONFIG.T;
  const panel = (key: "sde" | "ode", title: string, canvas: typeof sdeCanvas) => {
    const p: FlowPanel | undefined = shown?.result[key];
    return (
      <figure class="tj-panel">
        <canvas
          ref={canvas}
          width={320}
          height={320}
          role="img"
          aria-label={p
            ? `${title}, ${T} steps: ${SAMPLES} samples and ${PATHS} paths from x T to x 0`
            : "The data the samplers should reach"}
        />
        <figcaption>
          {title}, {T} steps · MMD²{" "}
          <output data-testid={`${key}-mmd2`} data-value={p?.mmd2}>
            {p ? formatMmd2(p.mmd2) : "–"}
          </output>{" "}
          · crossings <output data-testid={`${key}-crossings`}>{p ? p.crossings : "–"}</output>{" "}
          · moved{" "}
          <output data-testid={`${key}-moved`}>
            {formatDistance(shown?.moved[key] ?? NaN)}
          </output>
        </figcaption>
      </figure>
    );
  };
  return (
    <div class="demo-island trajectories flow-samplers" {...samplingRootData(model, latest)}>
      <p class="demo-caption">
        Left, the reverse SDE (DDPM's chain, fresh noise at every step); right, the probability-flow
        ODE (DDIM with η = 0, no noise), both from the same x<sub>T</sub>. Train a model with{" "}
        <strong>Train</strong>, then press{" "}
        <strong>
          Re-run from the same x<sub>T</sub>
        </strong>: the SDE's samples move, the ODE's land where they did. Press{" "}
        <strong>
          New x<sub>T</sub>
        </strong>{" "}
        for another start.
      </p>
      <SamplingBar model={model} />
      <div class="tj-panels">
        {panel("sde", "Reverse SDE", sdeCanvas)}
        {panel("ode", "Probability-flow ODE", odeCanvas)}
      </div>
      <p class="demo-muted tj-note">
        {shown
          ? `MMD² of ${SAMPLES} samples against fresh data; “crossings”: pairs among the first ${shown.result.crossingPaths} paths that swap places within one step; “moved”: mean distance of each x₀ from the previous draw from the same x_T`
          : "Until there is a model, both panels show the data the samplers should reach"}
        {latest.busy ? " · sampling…" : ""}.
      </p>
      <div class="controls tj-controls" role="group" aria-label="Sampling">
        <button
          type="button"
          disabled={!ready}
          onClick={() => change({ runSeed: seeds.runSeed + 1 })}
          data-testid="rerun"
        >
          Re-run from the same x<sub>T</sub>
        </button>
        <button
          type="button"
          disabled={!ready}
          onClick={() => change({ noiseSeed: seeds.noiseSeed + 1 })}
          data-testid="new-noise"
        >
          New x<sub>T</sub>
        </button>
      </div>
      {latest.error && <p class="demo-message demo-error" role="alert">{latest.error}</p>}
    </div>
  );
}
