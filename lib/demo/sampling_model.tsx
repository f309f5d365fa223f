/**
 * The model chapter 2's sampling demos (ReverseTrajectories, MultiplyDistributions) sample from:
 * the one trained in the chapter's Train demo when the page has one (its slot `train`), else their
 * own, trained with the recipe of `budgets.ts` in the slot `sampling` that both islands share. A
 * bar shows which, with Train, Pause and Reset for their own model.
 *
 * @module
 */
import { type DatasetName, DATASETS, DEFAULT_CONFIG, oneOf } from "./config.ts";
import { formatMmd2, isGoodMmd2 } from "./format.ts";
import { SAMPLING_STEPS } from "./budgets.ts";
import { TrainBar } from "./train_bar.tsx";
import type { TrainParams } from "./runs/train_types.ts";
import { type DemoRun, useDemoRun } from "./use_demo_run.ts";

/** The props of a sampling island (ChapterView passes the worker's). */
export interface SamplingProps {
  /** The data set the model is trained on. */
  dataset?: string;
  /** Ignored: the model uses the linear schedule. */
  schedule?: string;
  /** The demo worker's URL. */
  workerUrl?: string;
  /** Folder URL of tfjs's `.wasm` files. */
  wasmPaths?: string;
}

/** What {@link useSamplingModel} gives an island. */
export interface SamplingModel {
  /** The islands' own model's run. */
  own: DemoRun;
  /** The run the islands sample from (the Train demo's, or their own). */
  source: DemoRun;
  /** True when sampling from the chapter's Train demo's model. */
  borrowed: boolean;
  /** A model exists and stands still (paused or trained): questions may be asked. */
  ready: boolean;
  /** Changes whenever the model the islands sample from changes. */
  version: string;
  /** Parameters of the islands' own model. */
  params: TrainParams;
}

/**
 * Follows the page's Train demo and the islands' own model.
 *
 * @param props The island's props.
 * @returns The data set, and the model to sample from.
 */
export function useSamplingModel(
  props: SamplingProps,
): { dataset: DatasetName; model: SamplingModel } {
  const dataset: DatasetName = oneOf(DATASETS, props.dataset, "swissroll");
  const shared = { workerUrl: props.workerUrl, wasmPaths: props.wasmPaths, run: "train" };
  const own = useDemoRun({ ...shared, slot: "sampling" });
  const lent = useDemoRun({ ...shared, slot: "train", quiet: true });
  const steps = typeof location === "undefined"
    ? NaN
    : Number(new URLSearchParams(location.search).get("trainsteps"));
  const params: TrainParams = {
    config: {
      ...DEFAULT_CONFIG,
      dataset,
      stepBudget: Number.isInteger(steps) && steps > 0 ? steps : SAMPLING_STEPS,
    },
  };
  const borrowed = lent.state.params !== undefined;
  const source = borrowed ? lent : own;
  const ready = source.hasModel && source.state.progress.step > 0;
  const version = ready ? `${borrowed}:${source.state.progress.step}` : `${borrowed}:waiting`;
  return { dataset, model: { own, source, borrowed, ready, version, params } };
}

/** The bar: whose model it is, the controls of the islands' own, and the model's score. */
export function SamplingBar({ model }: { model: SamplingModel }) {
  const { score, progress } = model.source.state;
  return (
    <>
      <ModelBar model={model} />
      <p class="demo-muted">
        Model MMD²{" "}
        <span
          data-testid="mmd2"
          data-value={score?.mmd2}
          class={score && isGoodMmd2(score.mmd2) ? "demo-good" : undefined}
        >
          {score ? formatMmd2(score.mmd2) : "–"}
        </span>
        {score && ` at step ${score.step}`}
        <span hidden data-testid="tensors">{progress.numTensors}</span>
      </p>
    </>
  );
}

function ModelBar({ model }: { model: SamplingModel }) {
  const { own, source, borrowed, params } = model;
  if (borrowed) {
    // No live step here: a line that changes while the model above trains would re-lay the page.
    return (
      <p class="demo-note" data-testid="borrowed">
        {model.ready
          ? `Sampling from the model trained in the Train demo above, at step ${source.state.progress.step}.`
          : "Sampling from the model of the Train demo above, once it is paused or done."}{" "}
        Reset it there to train one here instead.
      </p>
    );
  }
  return (
    <TrainBar
      run={own}
      onTrain={() => own.train(params)}
      budget={params.config.stepBudget}
    />
  );
}
