import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { classFidelity, spread } from "../engine/guidance_metrics.ts";
import { GUIDANCE_CLASSES, guidanceMixture, labPool } from "../lib/demo/mixtures.ts";
import { classColours, drawLayers, type PointLayer } from "../lib/demo/draw_layers.ts";
import type { GuidanceMethod, GuidedView, GuideView } from "../lib/demo/runs/guidance.ts";
import { TrainBar } from "../lib/demo/train_bar.tsx";
import { useDemoRun } from "../lib/demo/use_demo_run.ts";
import { paletteOf } from "../lib/demo/draw.ts";
import { GUIDANCE_BUDGET } from "../lib/demo/budgets.ts";
import { formatLoss } from "../lib/demo/format.ts";

interface Props {
  /** The demo worker's module URL (ChapterView passes it: `needsWorker`). */
  workerUrl?: string;
  /** Folder URL of tfjs's `.wasm` files. */
  wasmPaths?: string;
}

const SEED = 2;
const CLASS_NAMES = ["top", "left", "right"];
const METHOD_NAMES: Record<GuidanceMethod, string> = {
  cfg: "classifier-free (learned)",
  classifier: "classifier, exact p(y | xₜ)",
};
const MAX_GAMMA = 5;

type Guided = GuidedView;

const same = (a: GuideView, b: GuideView) =>
  a.y === b.y && a.gamma === b.gamma && a.method === b.method;

/**
 * A conditional model of a three-class mixture, trained live with label dropout in a Web Worker
 * (`lib/demo/runs/guidance.ts`), sampled with classifier-free guidance or with classifier guidance
 * by the exact noisy classifier. The island holds the chosen class, method and strength gamma,
 * draws the samples, and shows fidelity and diversity next to those of the class's own data.
 */
export default function Guidance(props: Props) {
  const [view, setView] = useState<GuideView>({ y: 0, gamma: 1, method: "cfg" });
  const [guided, setGuided] = useState<Guided | undefined>(undefined);
  const run = useDemoRun({
    workerUrl: props.workerUrl,
    wasmPaths: props.wasmPaths,
    slot: "guidance",
    run: "guidance",
    onViews: (views) => {
      for (const v of views as Guided[]) if (v.kind === "guided") setGuided(v);
    },
  });
  const { hydrated } = run;
  const { status, progress } = run.state;
  const canvas = useRef<HTMLCanvasElement>(null);

  const mixture = useMemo(() => guidanceMixture(), []);
  const data = useMemo(() => labPool(mixture, 900, 13), []);
  // The class's own data, as the yardstick for gamma = 1.
  const reference = useMemo(() => {
    const own = (y: number) => {
      const pts: number[] = [];
      data.label.forEach((l, i) => l === y && pts.push(data.x[2 * i], data.x[2 * i + 1]));
      return pts;
    };
    return Array.from({ length: GUIDANCE_CLASSES }, (_, y) => {
      const pts = own(y);
      return { fidelity: classFidelity(mixture, pts, y), diversity: spread(pts), points: pts };
    });
  }, []);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    const palette = paletteOf(c);
    const colours = classColours(c, GUIDANCE_CLASSES);
    const layers: PointLayer[] = reference.map((r, y) => ({
      points: r.points,
      colour: colours[y],
      alpha: guided ? 0.16 : 0.45, // the data alone until there are samples to show
      size: 3,
    }));
    // Before any model: the chosen class's data stands in, so the reader sees the target.
    const shown = guided ? guided.points : undefined;
    if (shown) layers.push({ points: shown, colour: colours[view.y], alpha: 0.85, size: 3 });
    drawLayers(ctx, layers, palette);
  }, [guided, view.y, hydrated]);

  const ask = (v: GuideView) =>
    run.ask<Guided>({ kind: "guide", ...v }).then(setGuided).catch(() => {});
  const train = () => {
    if (run.train({ seed: SEED }) === "started") {
      setGuided(undefined);
      ask(view); // the run draws the chosen class from its first picture
    }
  };
  const reset = () => {
    setGuided(undefined);
    run.reset();
  };
  const update = (patch: Partial<GuideView>) => {
    const next = { ...view, ...patch };
    setView(next);
    if (run.state.params !== undefined) ask(next);
  };

  const fresh = guided && same(guided.view, view) ? guided : undefined;
  const ref = reference[view.y];

  return (
    <div
      class="demo-island lab guidance"
      data-status={status}
      data-hydrated={hydrated ? "true" : undefined}
    >
      <p class="demo-caption">
        Press <strong>Train</strong>, pick a class, and raise the guidance strength{" "}
        <strong>γ</strong>: fidelity (the share of samples in the class’s region) rises while
        diversity (their spread) falls.
      </p>
      <TrainBar
        run={run}
        onTrain={train}
        onReset={reset}
        budget={GUIDANCE_BUDGET}
        detail={progress.losses.length > 0 && ` · loss ${formatLoss(progress.losses[0])}`}
      />
      <div class="lab-plots">
        <div class="lab-main">
          <canvas
            ref={canvas}
            width={360}
            height={360}
            role="img"
            aria-label={`Data of three classes (faint) and samples guided towards the ${
              CLASS_NAMES[view.y]
            } class with gamma ${view.gamma}`}
          />
        </div>
        <div class="lab-side">
          <fieldset class="lab-choice">
            <legend>Class y</legend>
            {CLASS_NAMES.map((name, y) => (
              <label key={name} class={`lab-class-${y}`}>
                <input
                  type="radio"
                  name="guidance-class"
                  value={y}
                  checked={view.y === y}
                  onChange={() => update({ y })}
                  data-testid={`class-${y}`}
                />
                <span class="lab-swatch" aria-hidden="true" />
                {name}
              </label>
            ))}
          </fieldset>
          <fieldset class="lab-choice">
            <legend>Guidance</legend>
            {(["cfg", "classifier"] as const).map((method) => (
              <label key={method}>
                <input
                  type="radio"
                  name="guidance-method"
                  value={method}
                  checked={view.method === method}
                  onChange={() => update({ method })}
                  data-testid={`method-${method}`}
                />
                {METHOD_NAMES[method]}
              </label>
            ))}
          </fieldset>
          <label class="lab-slider">
            <span>
              γ = <output data-testid="gamma">{view.gamma.toFixed(2)}</output>{" "}
              <span class="demo-muted">(0: ignore y, 1: condition on y)</span>
            </span>
            <input
              type="range"
              min={0}
              max={MAX_GAMMA}
              step={0.25}
              value={view.gamma}
              onInput={(e) => update({ gamma: Number((e.target as HTMLInputElement).value) })}
              aria-label="Guidance strength gamma"
              data-testid="gamma-slider"
            />
          </label>
          <dl class="readout lab-readout" aria-live="polite">
            <dt>fidelity</dt>
            <dd>
              <output
                data-testid="fidelity"
                data-gamma={fresh?.view.gamma}
                data-method={fresh?.view.method}
                data-y={fresh?.view.y}
              >
                {fresh ? fresh.fidelity.toFixed(2) : "–"}
              </output>{" "}
              <span class="demo-muted">(class data: {ref.fidelity.toFixed(2)})</span>
            </dd>
            <dt>diversity</dt>
            <dd>
              <output data-testid="diversity">{fresh ? fresh.diversity.toFixed(2) : "–"}</output>
              {" "}
              <span class="demo-muted">(class data: {ref.diversity.toFixed(2)})</span>
            </dd>
          </dl>
          <p class="demo-muted">
            {guided && !fresh
              ? "Sampling with the new setting…"
              : guided
              ? `${guided.points.length / 2} DDPM samples at step ${guided.step}.`
              : "Samples appear once training starts."}
          </p>
        </div>
      </div>
    </div>
  );
}
