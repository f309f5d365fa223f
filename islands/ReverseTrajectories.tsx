import type { TrajectoriesResult } from "../lib/demo/runs/train_types.ts";
import { Choice, EtaSlider } from "../lib/demo/fields.tsx";
import { SamplingBar, type SamplingProps, useSamplingModel } from "../lib/demo/sampling_model.tsx";
import { samplingRootData } from "../lib/demo/sampling_root.ts";
import { PairPanel, SeedButtons, useSamplerPair } from "../lib/demo/sampler_pair.tsx";

type Props = SamplingProps;

const SAMPLES = 400;
const PATHS = 10;
const DDIM_STEPS = [5, 10, 20, 50, 100];

interface Settings {
  noiseSeed: number;
  runSeed: number;
  eta: number;
  ddimSteps: number;
}

const sameSettings = (a: Settings, b: Settings) =>
  a.noiseSeed === b.noiseSeed && a.runSeed === b.runSeed && a.eta === b.eta &&
  a.ddimSteps === b.ddimSteps;

/**
 * Reverse trajectories from a model trained live: DDPM (left) and DDIM (right) start from the same
 * x_T. Re-running from the same x_T shows which sampler is deterministic: DDPM adds fresh noise at
 * every step, DDIM with eta = 0 adds none. The model is the chapter's Train demo's when it has one
 * (`lib/demo/sampling_model.tsx`); this island holds the settings and draws.
 */
export default function ReverseTrajectories(props: Props) {
  const { dataset, model } = useSamplingModel(props);
  const pair = useSamplerPair(
    model,
    dataset,
    ["ddpm", "ddim"],
    { noiseSeed: 1, runSeed: 1, eta: 0, ddimSteps: 20 },
    sameSettings,
    (s) =>
      model.source.ask<TrajectoriesResult>({
        kind: "trajectories",
        request: { ...s, n: SAMPLES, paths: PATHS },
      }),
  );
  const { settings, change, shown, latest } = pair;

  const { ready } = model;
  const etaText = settings.eta.toFixed(1);
  const T = shown?.result.T ?? model.params.config.T;
  return (
    <div class="demo-island trajectories" {...samplingRootData(model, latest)}>
      <p class="demo-caption">
        Both panels start from the same noise x<sub>T</sub>. Once there is a model (train one with
        {" "}
        <strong>Train</strong>, or train the one above), press{" "}
        <strong>
          Re-run from the same x<sub>T</sub>
        </strong>{" "}
        and see that DDPM’s samples move (it adds fresh noise at every step) while DDIM with η = 0
        lands exactly where it did before.
      </p>
      <SamplingBar model={model} />
      <div class="tj-panels">
        <PairPanel
          pair={pair}
          panel="ddpm"
          label={`DDPM, ${T} steps: ${SAMPLES} samples and ${PATHS} paths from x T to x 0`}
        >
          DDPM, {T} steps
        </PairPanel>
        <PairPanel
          pair={pair}
          panel="ddim"
          label={`DDIM, ${settings.ddimSteps} steps, eta ${etaText}: ${SAMPLES} samples and ${PATHS} paths`}
        >
          DDIM, {settings.ddimSteps} steps, η = {etaText}
        </PairPanel>
      </div>
      <p class="demo-muted tj-note">
        {shown
          ? (
            <>
              “moved”: mean distance of each x₀ from the previous draw from the same x<sub>T</sub>,
              in standardised units
            </>
          )
          : "Until there is a model, both panels show the data the samplers should reach"}
        {latest.busy ? " · sampling…" : ""}.
      </p>
      <div class="controls tj-controls" role="group" aria-label="Sampling">
        <SeedButtons pair={pair} ready={ready} />
        <EtaSlider value={settings.eta} onValue={(eta) => change({ eta })} />
        <Choice
          label="DDIM steps"
          testid="ddim-steps"
          value={settings.ddimSteps}
          options={DDIM_STEPS.filter((s) => s <= T).map((s) => [s, String(s)] as const)}
          onValue={(ddimSteps) => change({ ddimSteps })}
        />
      </div>
      {latest.error && <p class="demo-message demo-error" role="alert">{latest.error}</p>}
    </div>
  );
}
