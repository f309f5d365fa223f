/**
 * Two samplers side by side from the same x_T (chapter 2's DDPM and DDIM, chapter 6's SDE and
 * ODE): the settings, one question at a time to the model, both canvases drawn from each answer
 * (the target data before there is a model), and how far each panel's x_0 moved from the previous
 * draw from the same x_T. One hook, so that every such island is its settings, its question and
 * its markup.
 *
 * @module
 */
import type { ComponentChildren, RefObject } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type DatasetName, DEFAULT_CONFIG } from "./config.ts";
import { drawSamples, paletteOf } from "./draw.ts";
import { formatDistance, meanPairDistance } from "./pair_distance.ts";
import type { Panel } from "./runs/train_types.ts";
import type { SamplingModel } from "./sampling_model.tsx";
import { targetPoints } from "./target_data.ts";
import { type Latest, useLatest } from "./use_latest.ts";

/** Settings with the seed of x_T (`noiseSeed`) and of the sampler's own noise (`runSeed`). */
export interface Seeded {
  noiseSeed: number;
  runSeed: number;
}

/** The latest answer, the settings it answers, and how far each panel moved. */
export interface PairShown<S, K extends string, R> {
  settings: S;
  result: R;
  /** Mean distance of each panel's x_0 from the previous draw from the same x_T (NaN: none). */
  moved: Record<K, number>;
}

/** What {@link useSamplerPair} gives an island. */
export interface SamplerPair<S, K extends string, R> {
  settings: S;
  /** Changes the settings and asks for a new draw. */
  change(patch: Partial<S>): void;
  /** The latest answer (undefined before a model, or after it changed). */
  shown?: PairShown<S, K, R>;
  latest: Latest<S>;
  /** The canvas of each panel. */
  canvases: Record<K, RefObject<HTMLCanvasElement>>;
}

/** A panel with no paths: the data the samplers should reach. */
const dataPanel = (points: Float32Array): Panel => ({
  points,
  paths: new Float32Array(0),
  pathCount: 0,
  pathLength: 0,
});

function draw(canvas: HTMLCanvasElement | null, panel: Panel): void {
  const ctx = canvas?.getContext("2d");
  if (!canvas || !ctx) return;
  const { points, paths, pathCount, pathLength } = panel;
  drawSamples(ctx, points, paths, pathCount, pathLength, paletteOf(canvas));
}

/**
 * @param model The model the island samples from (`useSamplingModel`).
 * @param dataset The data set drawn before there is a model.
 * @param keys The two panels' keys in the answer.
 * @param initial The first settings.
 * @param same Whether two settings give the same draw.
 * @param ask Asks the model for a draw with `settings`.
 * @returns Settings, the latest answer, the question queue and the canvases.
 */
export function useSamplerPair<S extends Seeded, K extends string, R extends Record<K, Panel>>(
  model: SamplingModel,
  dataset: DatasetName,
  keys: readonly [K, K],
  initial: S,
  same: (a: S, b: S) => boolean,
  ask: (settings: S) => Promise<R>,
): SamplerPair<S, K, R> {
  const [settings, setSettings] = useState<S>(initial);
  const [shown, setShown] = useState<PairShown<S, K, R> | undefined>(undefined);
  const last = useRef<PairShown<S, K, R> | undefined>(undefined);
  const first = useRef<HTMLCanvasElement>(null);
  const second = useRef<HTMLCanvasElement>(null);
  const canvases = { [keys[0]]: first, [keys[1]]: second } as Record<K, typeof first>;
  const target = useMemo(() => targetPoints({ ...DEFAULT_CONFIG, dataset }, undefined, 600), []);

  // Before any model: the data both samplers should reach.
  useEffect(() => {
    if (shown) return;
    for (const key of keys) draw(canvases[key].current, dataPanel(Float32Array.from(target)));
  }, [shown, model.own.hydrated]);

  const latest = useLatest<S>((s) => {
    if (!model.ready) return false;
    return ask(s).then((result) => {
      const prev = last.current;
      const comparable = prev && prev.settings.noiseSeed === s.noiseSeed;
      const moved = {} as Record<K, number>;
      for (const key of keys) {
        moved[key] = comparable
          ? meanPairDistance(prev.result[key].points, result[key].points)
          : NaN;
        draw(canvases[key].current, result[key]);
      }
      last.current = { settings: s, result, moved };
      setShown(last.current);
    });
  }, same);

  // A new model (trained, paused, lent): draw again from it, comparing nothing with the old one.
  useEffect(() => {
    last.current = undefined;
    if (model.ready) latest.want(settings, true);
    else setShown(undefined);
  }, [model.version]);

  return {
    settings,
    change(patch) {
      const next = { ...settings, ...patch };
      setSettings(next);
      latest.want(next);
    },
    shown,
    latest,
    canvases,
  };
}

/**
 * The two buttons every pair shares: the same x_T with fresh sampler noise, and a new x_T.
 *
 * @param props The pair and whether there is a model to sample from.
 * @returns The buttons.
 */
export function SeedButtons<S extends Seeded>(
  props: { pair: Pick<SamplerPair<S, never, never>, "settings" | "change">; ready: boolean },
) {
  const { settings, change } = props.pair;
  return (
    <>
      <button
        type="button"
        disabled={!props.ready}
        onClick={() => change({ runSeed: settings.runSeed + 1 } as Partial<S>)}
        data-testid="rerun"
      >
        Re-run from the same x<sub>T</sub>
      </button>
      <button
        type="button"
        disabled={!props.ready}
        onClick={() => change({ noiseSeed: settings.noiseSeed + 1 } as Partial<S>)}
        data-testid="new-noise"
      >
        New x<sub>T</sub>
      </button>
    </>
  );
}

/**
 * Draws again with fresh noise (the islands that condition one model's samples).
 *
 * @param props Whether there is a model, and what a press does.
 * @returns The button.
 */
export function NewNoiseButton(props: { ready: boolean; onClick(): void }) {
  return (
    <button type="button" disabled={!props.ready} onClick={props.onClick} data-testid="new-noise">
      New noise
    </button>
  );
}

/**
 * One panel of a pair: its canvas, described for screen readers once it shows samples (before, it
 * shows the data), and its caption followed by how far its samples moved.
 *
 * @param props The pair, the panel's key, the canvas's description, and the caption.
 * @returns The panel.
 */
export function PairPanel<S, K extends string, R>(
  props: { pair: SamplerPair<S, K, R>; panel: K; label: string; children: ComponentChildren },
) {
  const { pair, panel } = props;
  return (
    <figure class="tj-panel">
      <canvas
        ref={pair.canvases[panel]}
        width={320}
        height={320}
        role="img"
        aria-label={pair.shown ? props.label : "The data the samplers should reach"}
      />
      <figcaption>
        {props.children} · moved{" "}
        <output data-testid={`${panel}-moved`}>
          {formatDistance(pair.shown?.moved[panel] ?? NaN)}
        </output>
      </figcaption>
    </figure>
  );
}
