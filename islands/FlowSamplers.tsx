import { DEFAULT_CONFIG } from "../lib/demo/config.ts";
import { formatMmd2 } from "../lib/demo/format.ts";
import type { FlowPanel, FlowResult } from "../lib/demo/runs/train_types.ts";
import { SamplingBar, type SamplingProps, useSamplingModel } from "../lib/demo/sampling_model.tsx";
import { samplingRootData } from "../lib/demo/sampling_root.ts";
import { PairPanel, SeedButtons, useSamplerPair } from "../lib/demo/sampler_pair.tsx";

type Props = SamplingProps;

const SAMPLES = 500;
const PATHS = 12;

interface Seeds {
  noiseSeed: number;
  runSeed: number;
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
  const pair = useSamplerPair(
    model,
    dataset,
    ["sde", "ode"],
    { noiseSeed: 1, runSeed: 1 },
    sameSeeds,
    (s) =>
      model.source.ask<FlowResult>({ kind: "flow", request: { ...s, n: SAMPLES, paths: PATHS } }),
  );
  const { shown, latest } = pair;

  const { ready } = model;
  const T = shown?.result.T ?? DEFAULT_CONFIG.T;
  const panel = (key: "sde" | "ode", title: string) => {
    const p: FlowPanel | undefined = shown?.result[key];
    return (
      <PairPanel
        pair={pair}
        panel={key}
        label={`${title}, ${T} steps: ${SAMPLES} samples and ${PATHS} paths from x T to x 0`}
      >
        {title}, {T} steps · MMD²{" "}
        <output data-testid={`${key}-mmd2`} data-value={p?.mmd2}>
          {p ? formatMmd2(p.mmd2) : "–"}
        </output>{" "}
        · crossings <output data-testid={`${key}-crossings`}>{p ? p.crossings : "–"}</output>
      </PairPanel>
    );
  };
  return (
    <div class="demo-island trajectories flow-samplers" {...samplingRootData(model, latest)}>
      <p class="demo-caption">
        Left, the reverse SDE (DDPM’s chain, fresh noise at every step); right, the probability-flow
        ODE (DDIM with η = 0, no noise), both from the same x<sub>T</sub>. Train a model with{" "}
        <strong>Train</strong>, then press{" "}
        <strong>
          Re-run from the same x<sub>T</sub>
        </strong>: the SDE’s samples move, the ODE’s land where they did. Press{" "}
        <strong>
          New x<sub>T</sub>
        </strong>{" "}
        for another start.
      </p>
      <SamplingBar model={model} />
      <div class="tj-panels">
        {panel("sde", "Reverse SDE")}
        {panel("ode", "Probability-flow ODE")}
      </div>
      <p class="demo-muted tj-note">
        {shown
          ? `MMD² of ${SAMPLES} samples against fresh data; “crossings”: pairs among the first ${shown.result.crossingPaths} paths that swap places within one step; “moved”: mean distance of each x₀ from the previous draw from the same starting noise`
          : "Until there is a model, both panels show the data the samplers should reach"}
        {latest.busy ? " · sampling…" : ""}.
      </p>
      <div class="controls tj-controls" role="group" aria-label="Sampling">
        <SeedButtons pair={pair} ready={ready} />
      </div>
      {latest.error && <p class="demo-message demo-error" role="alert">{latest.error}</p>}
    </div>
  );
}
