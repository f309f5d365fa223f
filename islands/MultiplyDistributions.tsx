import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Region } from "../engine/region.ts";
import { DEFAULT_CONFIG } from "../lib/demo/config.ts";
import { drawSamples, fromPixel, paletteOf } from "../lib/demo/draw.ts";
import { drawRegion } from "../lib/demo/draw_region.ts";
import { Slider } from "../lib/demo/fields.tsx";
import { formatSigned } from "../lib/demo/format.ts";
import { addDab, DEFAULT_REGION, describeRegion } from "../lib/demo/region_brush.ts";
import type { MultiplyResult } from "../lib/demo/runs/train_types.ts";
import { NewNoiseButton } from "../lib/demo/sampler_pair.tsx";
import { SamplingBar, type SamplingProps, useSamplingModel } from "../lib/demo/sampling_model.tsx";
import { targetPoints } from "../lib/demo/target_data.ts";
import { useLatest } from "../lib/demo/use_latest.ts";

type Props = SamplingProps;

const SAMPLES = 1000;
const PATHS = 10;
/** Keyboard brush step, in data units. */
const CURSOR_STEP = 0.1;

interface Settings {
  region: Region;
  lambda: number;
  seed: number;
}

const sameSettings = (a: Settings, b: Settings) =>
  a.region === b.region && a.lambda === b.lambda && a.seed === b.seed;

const percent = (share: number) => `${(100 * share).toFixed(1)}%`;

/**
 * Multiplying distributions (Sohl-Dickstein et al., 2015): paint a region and sample p(x_0) r(x_0)
 * by nudging every reverse step towards it (`eq:perturbed-step`), with r(x) = exp(-lambda d(x)^2 / 2)
 * and d the distance to the painted region. Left: the model's own samples; right: the multiplied
 * chain from the same noise. The model is the chapter's Train demo's when it has one; the math runs
 * in the worker (`engine/region.ts`).
 */
export default function MultiplyDistributions(props: Props) {
  const { dataset, model } = useSamplingModel(props);
  const [settings, setSettings] = useState<Settings>({
    region: DEFAULT_REGION,
    lambda: 8,
    seed: 1,
  });
  const [result, setResult] = useState<MultiplyResult | undefined>(undefined);
  const [cursor, setCursor] = useState<[number, number] | undefined>(undefined);
  const wanted = useRef<Settings>(settings);
  const painting = useRef(false);
  const resultRef = useRef<MultiplyResult | undefined>(undefined);
  const plainCanvas = useRef<HTMLCanvasElement>(null);
  const multipliedCanvas = useRef<HTMLCanvasElement>(null);
  const cursorRef = useRef<[number, number] | undefined>(undefined);
  const target = useMemo(
    () => Float32Array.from(targetPoints({ ...DEFAULT_CONFIG, dataset }, undefined, 1000)),
    [],
  );

  const redraw = () => {
    const r = resultRef.current;
    const region = wanted.current.region;
    for (
      const [canvas, multiplied] of [[plainCanvas.current, false], [
        multipliedCanvas.current,
        true,
      ]] as const
    ) {
      const ctx = canvas?.getContext("2d");
      if (!canvas || !ctx) continue;
      const palette = paletteOf(canvas);
      const none = new Float32Array(0);
      // Before any model, both panels show the data the chain should reach.
      const panel = !r
        ? { points: target, paths: none, pathCount: 0, pathLength: 0 }
        : multiplied
        ? r.multiplied
        : { points: r.plain, paths: none, pathCount: 0, pathLength: 0 };
      drawSamples(ctx, panel.points, panel.paths, panel.pathCount, panel.pathLength, palette);
      drawRegion(ctx, region, palette, cursorRef.current);
    }
  };

  const latest = useLatest<Settings>((s) => {
    if (!model.ready || painting.current) return false;
    if (s.region.centres.length === 0) {
      resultRef.current = undefined;
      setResult(undefined);
      redraw();
      return Promise.resolve();
    }
    return model.source.ask<MultiplyResult>({
      kind: "multiply",
      request: {
        region: { centres: [...s.region.centres], radius: s.region.radius },
        lambda: s.lambda,
        n: SAMPLES,
        seed: s.seed,
        paths: PATHS,
      },
    }).then((answer) => {
      resultRef.current = answer;
      setResult(answer);
      redraw();
    });
  }, sameSettings);
  const pump = () => latest.want(wanted.current);

  const change = (patch: Partial<Settings>) => {
    const next = { ...wanted.current, ...patch };
    wanted.current = next;
    setSettings(next);
    redraw();
    pump();
  };

  useEffect(redraw, [model.own.hydrated]);
  // A new model: sample again from it.
  useEffect(() => {
    if (model.ready) latest.want(wanted.current, true);
    else {
      resultRef.current = undefined;
      setResult(undefined);
      redraw();
    }
  }, [model.version]);

  // Painting with a mouse, pen or finger: dabs along the path, samples when the stroke ends.
  const dataPoint = (e: PointerEvent): [number, number] => {
    const canvas = e.currentTarget as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / box.width;
    return fromPixel((e.clientX - box.left) * scale, (e.clientY - box.top) * scale, canvas.width);
  };
  const paintAt = ([x, y]: [number, number]) => {
    const region = addDab(wanted.current.region, x, y);
    if (region === wanted.current.region) return;
    wanted.current = { ...wanted.current, region };
    setSettings(wanted.current);
    redraw();
  };
  const onPointerDown = (e: PointerEvent) => {
    painting.current = true;
    (e.currentTarget as HTMLCanvasElement).setPointerCapture?.(e.pointerId);
    paintAt(dataPoint(e));
  };
  const onPointerMove = (e: PointerEvent) => {
    if (painting.current) paintAt(dataPoint(e));
  };
  const onPointerUp = () => {
    if (!painting.current) return;
    painting.current = false;
    pump();
  };

  // Keyboard: arrows move a brush, Space or Enter paints, Delete clears.
  const onKeyDown = (e: KeyboardEvent) => {
    const [x, y] = cursorRef.current ?? [0, 0];
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-CURSOR_STEP, 0],
      ArrowRight: [CURSOR_STEP, 0],
      ArrowUp: [0, CURSOR_STEP],
      ArrowDown: [0, -CURSOR_STEP],
    };
    if (e.key in moves) {
      e.preventDefault();
      const [dx, dy] = moves[e.key];
      const clamp = (v: number) => Math.max(-2.5, Math.min(2.5, v));
      cursorRef.current = [clamp(x + dx), clamp(y + dy)];
      setCursor(cursorRef.current);
      redraw();
    } else if (e.key === " " || e.key === "Enter") {
      e.preventDefault();
      cursorRef.current ??= [0, 0];
      paintAt(cursorRef.current);
      pump();
    } else if (e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault();
      change({ region: { centres: [], radius: DEFAULT_REGION.radius } });
    }
  };
  const onFocus = (e: FocusEvent) => {
    // The brush shows for keyboard focus only; a click or touch paints where it lands.
    if (!(e.currentTarget as HTMLElement).matches(":focus-visible")) return;
    cursorRef.current ??= [0, 0];
    setCursor(cursorRef.current);
    redraw();
  };
  const onBlur = () => {
    cursorRef.current = undefined;
    setCursor(undefined);
    redraw();
  };

  const { ready } = model;
  const { busy } = latest;
  const empty = settings.region.centres.length === 0;
  const canvasProps = {
    width: 320,
    height: 320,
    tabIndex: 0,
    class: "tj-paint",
    onPointerDown,
    onPointerMove,
    onPointerUp,
    onPointerCancel: onPointerUp,
    onKeyDown,
    onFocus,
    onBlur,
  };
  return (
    <div
      class="demo-island trajectories multiply"
      data-hydrated={model.own.hydrated ? "true" : undefined}
      data-phase={ready ? "ready" : model.source.state.status}
      data-status={model.source.state.status}
      data-busy={busy ? "true" : undefined}
      data-draws={latest.draws}
    >
      <p class="demo-caption">
        Paint a region on either plot (drag, or focus a plot and use the arrow keys and Space): the
        right panel multiplies the model by r(x) = exp(−λ d(x)²/2), d the distance to your region,
        by nudging every reverse step towards it, from the same noise as the left panel.
      </p>
      <SamplingBar model={model} />
      <div class="tj-panels">
        <figure class="tj-panel">
          <canvas
            {...canvasProps}
            ref={plainCanvas}
            aria-label={`The model’s own samples, p of x 0, with the painted region (${
              describeRegion(settings.region)
            }); paint with the pointer, or arrow keys and Space`}
            data-testid="canvas-plain"
          />
          <figcaption>
            p(x<sub>0</sub>) · inside the region{" "}
            <output data-testid="plain-share">{result ? percent(result.plainShare) : "–"}</output>
          </figcaption>
        </figure>
        <figure class="tj-panel">
          <canvas
            {...canvasProps}
            ref={multipliedCanvas}
            aria-label={`Samples of p of x 0 times r of x 0 with lambda ${settings.lambda}, with ${PATHS} paths; paint with the pointer, or arrow keys and Space`}
            data-testid="canvas-multiplied"
          />
          <figcaption>
            p(x<sub>0</sub>) r(x<sub>0</sub>), λ = {settings.lambda} · inside{" "}
            <output data-testid="multiplied-share">
              {result ? percent(result.multipliedShare) : "–"}
            </output>
          </figcaption>
        </figure>
      </div>
      <p class="demo-muted tj-note">
        {empty
          ? "The region is empty: paint one to condition the samples."
          : `${describeRegion(settings.region)}; ${SAMPLES} samples per panel`}
        {cursor ? ` · brush at (${formatSigned(cursor[0], 1)}, ${formatSigned(cursor[1], 1)})` : ""}
        {busy
          ? " · sampling…"
          : result || empty
          ? ""
          : " · until there is a model, both panels show the data"}.
      </p>
      <div class="controls tj-controls" role="group" aria-label="Multiplying distributions">
        <Slider
          label="Strength λ"
          testid="lambda"
          min={0}
          max={9}
          step={0.5}
          value={settings.lambda}
          onValue={(lambda) => change({ lambda })}
        />
        <button
          type="button"
          onClick={() => change({ region: { centres: [], radius: DEFAULT_REGION.radius } })}
          data-testid="clear"
        >
          Clear region
        </button>
        <button
          type="button"
          onClick={() => change({ region: DEFAULT_REGION })}
          data-testid="default-region"
        >
          Default region
        </button>
        <NewNoiseButton ready={ready} onClick={() => change({ seed: wanted.current.seed + 1 })} />
      </div>
      {latest.error && <p class="demo-message demo-error" role="alert">{latest.error}</p>}
    </div>
  );
}
