/**
 * The Train demo's settings: what the model is and how it trains (a change needs a new model, which
 * the island says and starts only on Train), and how it samples (applied to the next samples).
 *
 * @module
 */
import { DATASET_LABELS, TRAIN_DATASETS, type TrainConfig } from "./config.ts";
import { Choice, EtaSlider, NumberField } from "./fields.tsx";

/** Props of {@link TrainSettings}. */
export interface TrainSettingsProps {
  config: TrainConfig;
  /** Applies a change. */
  update(patch: Partial<TrainConfig>): void;
  /** While training the model settings are locked (Pause first). */
  running: boolean;
}

type Options<K extends keyof TrainConfig> = readonly (readonly [TrainConfig[K], string])[];
const SCHEDULES: Options<"schedule"> = [["linear", "linear"], ["cosine", "cosine"]];
const PARAMETERISATIONS: Options<"parameterisation"> = [
  ["eps", "the noise ε"],
  ["x0", "the clean point x₀"],
  ["score", "the score"],
];
const SAMPLERS: Options<"sampler"> = [["ddpm", "DDPM"], ["ddim", "DDIM"]];

/** The two fieldsets. */
export function TrainSettings({ config, update, running }: TrainSettingsProps) {
  const ddim = config.sampler === "ddim";
  return (
    <>
      <fieldset class="controls demo-controls" disabled={running}>
        <legend>Model and training (a change needs a new model)</legend>
        <Choice
          label="Data set"
          testid="dataset"
          value={config.dataset}
          options={TRAIN_DATASETS.map((d) => [d, DATASET_LABELS[d]] as const)}
          onValue={(dataset) => update({ dataset })}
        />
        <Choice
          label="Schedule"
          testid="schedule"
          value={config.schedule}
          options={SCHEDULES}
          onValue={(schedule) => update({ schedule })}
        />
        <NumberField
          label="Steps T"
          testid="T"
          min={10}
          max={1000}
          step={10}
          value={config.T}
          onValue={(T) => T <= 1000 && update({ T: Math.round(T) })}
        />
        <Choice
          label="Network predicts"
          testid="param"
          value={config.parameterisation}
          options={PARAMETERISATIONS}
          onValue={(parameterisation) => update({ parameterisation })}
        />
        <NumberField
          label="Learning rate"
          testid="lr"
          min={1e-6}
          step="any"
          value={config.lr}
          onValue={(lr) => update({ lr })}
        />
        <NumberField
          label="Seed"
          testid="seed"
          min={0}
          step={1}
          value={config.seed}
          onValue={(seed) => update({ seed: Math.round(seed) })}
        />
      </fieldset>
      <fieldset class="controls demo-controls">
        <legend>Sampler (applies to the next samples)</legend>
        <Choice
          label="Sampler"
          testid="sampler"
          value={config.sampler}
          options={SAMPLERS}
          onValue={(sampler) => update({ sampler })}
        />
        <NumberField
          label="DDIM steps"
          testid="sampler-steps"
          min={2}
          max={config.T}
          step={1}
          value={config.samplerSteps}
          disabled={!ddim}
          onValue={(n) => update({ samplerSteps: Math.min(Math.round(n), config.T) })}
        />
        <EtaSlider value={config.eta} disabled={!ddim} onValue={(eta) => update({ eta })} />
      </fieldset>
    </>
  );
}
