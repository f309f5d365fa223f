/**
 * The training half of a lab island (Parameterisations, Guidance): the lab worker's client, the
 * status and progress it reports, pausing while the tab is hidden, and the Train / Pause / Reset
 * bar with its progress line, message and backend line. Each island keeps only its own views and
 * receives the reports that are about them (`models`, `tweedie`, `guided`).
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { createLabClient, type LabClient, type LabWorkerLike } from "./lab_client.ts";
import type { FromLab, LabView } from "./lab_protocol.ts";
import { statusAfterStop } from "./protocol.ts";
import { formatElapsed } from "./format.ts";

/** Where a lab run stands. */
export type LabStatus = "idle" | "starting" | "training" | "paused" | "done" | "diverged" | "error";

/** The latest `progress` report. */
export interface LabProgress {
  step: number;
  /** The run's step budget (0 before the first report). */
  budget: number;
  /** Each model's loss at `step`. */
  losses: number[];
  stepsPerSecond: number;
  elapsedMs: number;
  numTensors: number;
}

const NO_PROGRESS: LabProgress = {
  step: 0,
  budget: 0,
  losses: [],
  stepsPerSecond: 0,
  elapsedMs: 0,
  numTensors: 0,
};

const HIDDEN_MESSAGE = "Paused because the tab was hidden; press Resume to go on.";

/** The reports a lab island handles itself; the hook handles the rest. */
export type ViewReport = Extract<FromLab, { type: "models" | "tweedie" | "guided" }>;

/** What {@link useLabTraining} gives an island. */
export interface LabTraining {
  status: LabStatus;
  progress: LabProgress;
  /** "backend — reason" once the worker has started one. */
  backend?: string;
  message: string;
  /** True once the island has hydrated (tests and the page wait for it). */
  hydrated: boolean;
  /** Training or about to. */
  running: boolean;
  /** Resumes a paused run, or clears the progress and starts a run with `start`. */
  train(start: (client: LabClient) => void): void;
  pause(): void;
  /** Disposes the run in the worker (which answers with `reset`), or clears the progress. */
  reset(): void;
  /** Asks for another view, once a run exists. */
  view(view: LabView): void;
}

/**
 * Runs a lab worker for an island.
 *
 * @param workerUrl The lab worker's module URL; without it nothing can train.
 * @param onView Receives the reports about the island's views.
 * @returns The state and the commands.
 */
export function useLabTraining(
  workerUrl: string | undefined,
  onView: (report: ViewReport) => void,
): LabTraining {
  const [status, setStatus] = useState<LabStatus>("idle");
  const [progress, setProgress] = useState<LabProgress>(NO_PROGRESS);
  const [backend, setBackend] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState("");
  const [hydrated, setHydrated] = useState(false);
  const client = useRef<LabClient | null>(null);
  const statusRef = useRef<LabStatus>("idle");
  const hiddenPause = useRef(false); // paused because the tab was hidden
  const onViewRef = useRef(onView);
  onViewRef.current = onView;

  const setStatusBoth = (s: LabStatus) => {
    statusRef.current = s;
    setStatus(s);
  };

  const onReport = (r: FromLab) => {
    switch (r.type) {
      case "backend":
        setBackend(`${r.backend} — ${r.reason}`);
        return;
      case "progress":
        setProgress({
          step: r.step,
          budget: r.budget,
          losses: r.losses,
          stepsPerSecond: r.stepsPerSecond,
          elapsedMs: r.elapsedMs,
          numTensors: r.numTensors,
        });
        if (statusRef.current === "starting") setStatusBoth("training");
        return;
      case "stopped":
        setMessage(r.reason === "paused" && hiddenPause.current ? HIDDEN_MESSAGE : r.message);
        setStatusBoth(statusAfterStop(r.reason));
        return;
      case "reset":
        setProgress({ ...NO_PROGRESS, numTensors: r.numTensors });
        setMessage(`Reset: ${r.numTensors} tensors held (baseline ${r.baselineTensors}).`);
        setStatusBoth("idle");
        return;
      case "error":
        setMessage(r.message);
        setStatusBoth("error");
        return;
      default:
        onViewRef.current(r);
    }
  };

  useEffect(() => {
    if (workerUrl) {
      client.current = createLabClient(
        () => new Worker(workerUrl, { type: "module" }) as unknown as LabWorkerLike,
        onReport,
      );
    }
    const onVisibility = () => {
      if (document.hidden && statusRef.current === "training") {
        hiddenPause.current = true;
        client.current?.pause();
        setMessage(HIDDEN_MESSAGE);
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    setHydrated(true);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      client.current?.terminate();
    };
  }, []);

  return {
    status,
    progress,
    backend,
    message,
    hydrated,
    running: status === "training" || status === "starting",
    train(start) {
      const c = client.current;
      if (!c) return;
      hiddenPause.current = false;
      setMessage("");
      if (status === "paused") {
        c.resume();
        setStatusBoth("training");
        return;
      }
      setProgress(NO_PROGRESS);
      start(c);
      setStatusBoth("starting");
    },
    pause: () => client.current?.pause(),
    reset() {
      if (client.current?.started) client.current.reset();
      else setProgress(NO_PROGRESS);
    },
    view(view) {
      if (status !== "idle") client.current?.view(view);
    },
  };
}

/** Props of {@link LabTrainBar}. */
export interface LabTrainBarProps {
  training: LabTraining;
  /** The island's Train handler (it calls `training.train` with its own start). */
  onTrain: () => void;
  /** The island's Reset handler (it clears its views and calls `training.reset`). */
  onReset: () => void;
  /** Whether the page gave a worker. */
  canTrain: boolean;
  /** The budget shown before the first report. */
  defaultBudget: number;
  /** What follows "step n / budget" (the losses, or "per model"). */
  detail?: ComponentChildren;
}

/** The Train / Pause / Reset buttons and the progress line. */
export function LabTrainBar(props: LabTrainBarProps) {
  const { training, onTrain, onReset, canTrain, detail } = props;
  const { progress, status, running } = training;
  const budget = progress.budget || props.defaultBudget;
  return (
    <>
      <div class="lab-buttons" role="group" aria-label="Training">
        <button type="button" onClick={onTrain} disabled={!canTrain || running} data-testid="train">
          {status === "paused" ? "Resume" : "Train"}
        </button>
        <button type="button" onClick={training.pause} disabled={!running} data-testid="pause">
          Pause
        </button>
        <button type="button" onClick={onReset} data-testid="reset">Reset</button>
      </div>
      <div class="lab-progress">
        <progress
          max={budget}
          value={progress.step}
          aria-label="Training progress"
          data-testid="progress"
        />
        <span>
          step <output data-testid="step">{progress.step}</output> / {budget}
          {detail}
          {progress.step > 0 &&
            ` · ${progress.stepsPerSecond.toFixed(0)} steps/s · ${
              formatElapsed(progress.elapsedMs)
            }`}
        </span>
      </div>
    </>
  );
}

/** The message line and the backend line under a lab island. */
export function LabStatusLines(props: { training: LabTraining; canTrain: boolean }) {
  const { training } = props;
  return (
    <>
      <p class="lab-message" role="status" data-testid="message">
        {!props.canTrain
          ? "Training is unavailable here: the page did not provide the worker."
          : training.message}
      </p>
      <p class="lab-muted" data-testid="backend">
        backend: {training.backend ?? "not started"} · tensors {training.progress.numTensors}
      </p>
    </>
  );
}
