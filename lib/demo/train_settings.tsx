/**
 * The Train demo's settings: what the model is and how it trains (a change needs a new model, which
 * the island says and starts only on Train), and how it samples (applied to the next samples).
 *
 * @module
 */
import { DATASET_LABELS, TRAIN_DATASETS, type TrainConfig } from "./config.ts";

/** Props of {@link TrainSettings}. */
export interface TrainSettingsProps {
  config: TrainConfig;
  /** Applies a change. */
  update(patch: Partial<TrainConfig>): void;
  /** While training the model settings are locked (Pause first). */
  running: boolean;
}

const num = (e: Event) => Number((e.target as HTMLInputElement).value);
const str = (e: Event) => (e.target as HTMLSelectElement).value;

/** The two fieldsets. */
export function TrainSettings({ config, update, running }: TrainSettingsProps) {
  return (
    <>
      <fieldset class="controls demo-controls" disabled={running}>
        <legend>Model and training (a change needs a new model)</legend>
        <label>
          Data set
          <select
            value={config.dataset}
            onChange={(e) => update({ dataset: str(e) as TrainConfig["dataset"] })}
            data-testid="dataset"
          >
            {TRAIN_DATASETS.map((d) => <option key={d} value={d}>{DATASET_LABELS[d]}</option>)}
          </select>
        </label>
        <label>
          Schedule
          <select
            value={config.schedule}
            onChange={(e) => update({ schedule: str(e) as TrainConfig["schedule"] })}
            data-testid="schedule"
          >
            <option value="linear">linear</option>
            <option value="cosine">cosine</option>
          </select>
        </label>
        <label>
          Steps T
          <input
            type="number"
            min={10}
            max={1000}
            step={10}
            value={config.T}
            onChange={(e) => num(e) >= 10 && num(e) <= 1000 && update({ T: Math.round(num(e)) })}
            data-testid="T"
          />
        </label>
        <label>
          Network predicts
          <select
            value={config.parameterisation}
            onChange={(e) =>
              update({ parameterisation: str(e) as TrainConfig["parameterisation"] })}
            data-testid="param"
          >
            <option value="eps">the noise ε</option>
            <option value="x0">the clean point x₀</option>
            <option value="score">the score</option>
          </select>
        </label>
        <label>
          Learning rate
          <input
            type="number"
            min={1e-6}
            step="any"
            value={config.lr}
            onChange={(e) => num(e) > 0 && update({ lr: num(e) })}
            data-testid="lr"
          />
        </label>
        <label>
          Seed
          <input
            type="number"
            min={0}
            step={1}
            value={config.seed}
            onChange={(e) => num(e) >= 0 && update({ seed: Math.round(num(e)) })}
            data-testid="seed"
          />
        </label>
      </fieldset>
      <fieldset class="controls demo-controls">
        <legend>Sampler (applies to the next samples)</legend>
        <label>
          Sampler
          <select
            value={config.sampler}
            onChange={(e) => update({ sampler: str(e) as TrainConfig["sampler"] })}
            data-testid="sampler"
          >
            <option value="ddpm">DDPM</option>
            <option value="ddim">DDIM</option>
          </select>
        </label>
        <label>
          DDIM steps
          <input
            type="number"
            min={2}
            max={config.T}
            step={1}
            value={config.samplerSteps}
            disabled={config.sampler !== "ddim"}
            onChange={(e) =>
              num(e) >= 2 && update({ samplerSteps: Math.min(Math.round(num(e)), config.T) })}
            data-testid="sampler-steps"
          />
        </label>
        <label>
          DDIM η <output>{config.eta.toFixed(1)}</output>
          <input
            type="range"
            min={0}
            max={1}
            step={0.1}
            value={config.eta}
            disabled={config.sampler !== "ddim"}
            onInput={(e) => update({ eta: num(e) })}
            data-testid="eta"
          />
        </label>
      </fieldset>
    </>
  );
}
