/**
 * The training strip shared by ReverseTrajectories and MultiplyDistributions: one button (Train,
 * Pause, Resume), a progress bar, and the shared model's numbers. Both islands show the same
 * state because they share one client (and one model).
 *
 * @module
 */
import { formatElapsed, formatLoss, formatMmd2, isGoodMmd2 } from "./format.ts";
import type { TrajectoryClient, TrajectoryState } from "./trajectories_client.ts";
import type { DatasetName } from "./config.ts";

/** Props of {@link TrainBar}. */
export interface TrainBarProps {
  state: TrajectoryState;
  /** Undefined when the page gave no worker. */
  client?: TrajectoryClient;
  dataset: DatasetName;
}

/** The strip: button, progress, readouts, message. */
export function TrainBar({ state, client, dataset }: TrainBarProps) {
  const { phase } = state;
  const busy = phase === "training" || phase === "starting";
  const label = busy ? "Pause" : phase === "paused" ? "Resume training" : "Train the model";
  const onClick = () => {
    if (!client) return;
    if (busy) client.pause();
    else client.train(dataset);
  };
  return (
    <div class="tj-train">
      {phase !== "ready" && (
        <button type="button" onClick={onClick} disabled={!client} data-testid="train">
          {label}
        </button>
      )}
      <progress
        max={state.total}
        value={state.step}
        aria-label="Training progress of the shared model"
        data-testid="progress"
      />
      <span class="tj-step">
        step <output data-testid="step">{state.step}</output> / {state.total}
        {busy && state.stepsPerSecond > 0 && ` · ${state.stepsPerSecond.toFixed(0)} steps/s`}
        {busy && Number.isFinite(state.loss) && ` · loss ${formatLoss(state.loss)}`}
      </span>
      {phase === "ready" && (
        <span class="tj-muted">
          trained in {formatElapsed(state.trainMs ?? 0)} on {state.backend}; MMD²{" "}
          <span
            data-testid="mmd2"
            class={state.mmd2 !== undefined && isGoodMmd2(state.mmd2) ? "tj-good" : undefined}
          >
            {state.mmd2 === undefined ? "scoring…" : formatMmd2(state.mmd2)}
          </span>{" "}
          · tensors <span data-testid="tensors">{state.numTensors ?? "–"}</span>
        </span>
      )}
      <p class="tj-message" role="status" data-testid="message">
        {!client
          ? "Sampling is unavailable here: the page did not provide the worker."
          : state.hiddenPause
          ? "Training paused while the tab was hidden."
          : phase === "idle"
          ? `A small network is trained here, in your browser (${state.total} steps; under half a minute on a typical laptop), and shared by this chapter's sampling demos.`
          : state.message ?? ""}
      </p>
    </div>
  );
}
