/**
 * The one control bar of every training island: Train (Resume, Train more), Pause and Reset, the
 * progress bar with the step it stands at, the speed while training ("paused" when paused), a note
 * when the island's settings need a new model, the message line and the backend line. Focus
 * follows the controls: a Train that becomes disabled hands focus to Pause, and back.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { formatElapsed } from "./format.ts";
import type { DemoRun } from "./use_demo_run.ts";

/** Props of {@link TrainBar}. */
export interface TrainBarProps {
  run: DemoRun;
  /** The island's Train handler (it calls `run.train` with its parameters). */
  onTrain(): void;
  /** The island's Reset handler (default: `run.reset`). */
  onReset?(): void;
  /** The step budget shown before the first report. */
  budget: number;
  /** Whether the island's settings need a new model (a note says so; Train starts it). */
  changed?: boolean;
  /** What follows "step n / budget" (e.g. the losses). */
  detail?: ComponentChildren;
  /** False while the island's settings cannot train (e.g. too few points drawn). */
  canTrain?: boolean;
}

/** The label of the Train button for a run's state. */
function trainLabel(run: DemoRun, changed: boolean): string {
  if (changed) return "Train";
  if (run.state.status === "paused") return "Resume";
  return run.state.status === "done" && run.hasModel ? "Train more" : "Train";
}

/** The bar. */
export function TrainBar(props: TrainBarProps) {
  const { run, changed = false } = props;
  const { state, running } = run;
  const { progress, status } = state;
  const budget = progress.budget || props.budget;
  const trainButton = useRef<HTMLButtonElement>(null);
  const pauseButton = useRef<HTMLButtonElement>(null);
  const lastFocus = useRef<"train" | "pause" | undefined>(undefined);

  // A control that is disabled while focused hands focus to the one that now makes sense.
  useEffect(() => {
    const [from, to] = running
      ? [trainButton.current, pauseButton.current]
      : [pauseButton.current, trainButton.current];
    const wasOn = lastFocus.current === (running ? "train" : "pause");
    const active = typeof document === "undefined" ? null : document.activeElement;
    if (
      from?.disabled && to && !to.disabled &&
      (active === from || (wasOn && active === document.body))
    ) {
      to.focus();
    }
  }, [running]);
  const track = (name: "train" | "pause") => ({
    onFocus: () => lastFocus.current = name,
    onBlur: (e: FocusEvent) => {
      if (e.relatedTarget) lastFocus.current = undefined; // the reader moved on
    },
  });

  const speed = status === "training" && progress.stepsPerSecond > 0
    ? ` · ${progress.stepsPerSecond.toFixed(0)} steps/s`
    : status === "paused"
    ? " · paused"
    : "";
  return (
    <div
      class="demo-train"
      data-tensors={progress.numTensors}
      data-baseline-tensors={state.baselineTensors}
    >
      <div class="demo-buttons" role="group" aria-label="Training">
        <button
          type="button"
          class="primary"
          ref={trainButton}
          onClick={props.onTrain}
          disabled={!run.available || running || props.canTrain === false}
          data-testid="train"
          {...track("train")}
        >
          {trainLabel(run, changed)}
        </button>
        <button
          type="button"
          ref={pauseButton}
          onClick={run.pause}
          disabled={!running}
          data-testid="pause"
          {...track("pause")}
        >
          Pause
        </button>
        <button type="button" onClick={props.onReset ?? run.reset} data-testid="reset">
          Reset
        </button>
      </div>
      <div class="demo-progress">
        <progress
          max={budget}
          value={progress.step}
          aria-label="Training progress"
          data-testid="progress"
        />
        <span>
          step <output data-testid="step">{progress.step}</output> / {budget}
          {props.detail}
          {speed}
          {progress.elapsedMs > 0 && ` · ${formatElapsed(progress.elapsedMs)}`}
        </span>
      </div>
      {changed && run.hasModel && (
        <p class="demo-note" data-testid="changed">
          These settings need a new model: press <strong>Train</strong>{" "}
          to start one. The current model stays until then.
        </p>
      )}
      <p class="demo-message" role="status" data-testid="message">{state.message}</p>
      {state.backend && (
        <p class="demo-muted">
          Runs on <span data-testid="backend">{state.backend}</span>
        </p>
      )}
    </div>
  );
}
