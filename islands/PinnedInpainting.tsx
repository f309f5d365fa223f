import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { DEFAULT_CONFIG } from "../lib/demo/config.ts";
import { dotInView, drawSamples, paletteOf, toPixel } from "../lib/demo/draw.ts";
import { Choice } from "../lib/demo/fields.tsx";
import { formatMmd2, formatSigned } from "../lib/demo/format.ts";
import type { InpaintResult } from "../lib/demo/runs/train_types.ts";
import { SamplingBar, type SamplingProps, useSamplingModel } from "../lib/demo/sampling_model.tsx";
import { NewNoiseButton } from "../lib/demo/sampler_pair.tsx";
import { samplingRootData } from "../lib/demo/sampling_root.ts";
import { targetPoints } from "../lib/demo/target_data.ts";
import { useLatest } from "../lib/demo/use_latest.ts";

type Props = SamplingProps;

const SAMPLES = 400;
const NAMES = ["x₁ (across)", "x₂ (up)"] as const;

interface Settings {
  coordinate: 0 | 1;
  value: number;
  seed: number;
}

const same = (a: Settings, b: Settings) =>
  a.coordinate === b.coordinate && a.value === b.value && a.seed === b.seed;

/**
 * Inpainting with an observed coordinate (chapter 2), by the replacement method: at every reverse
 * step the observed coordinate of x_{t-1} is drawn from q(x_{t-1} | x_0) with x_0's observed
 * value, the free one from the model's step (`engine/inpaint.ts`). Unlike the painted-region
 * nudge of MultiplyDistributions, it pins the coordinate exactly. The free coordinate is scored
 * against the data in a thin band around the observed value, beside the model's own samples in
 * that band (the model's conditional, which the heuristic approximates).
 */
export default function PinnedInpainting(props: Props) {
  const { dataset, model } = useSamplingModel(props);
  const [settings, setSettings] = useState<Settings>({ coordinate: 0, value: 0.5, seed: 1 });
  const [result, setResult] = useState<InpaintResult | undefined>(undefined);
  const wanted = useRef(settings);
  const resultRef = useRef<InpaintResult | undefined>(undefined);
  const canvas = useRef<HTMLCanvasElement>(null);
  const target = useMemo(
    () => Float32Array.from(targetPoints({ ...DEFAULT_CONFIG, dataset }, undefined, 1000)),
    [],
  );

  const redraw = () => {
    const c = canvas.current, ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    const palette = paletteOf(c);
    const size = c.width;
    const none = new Float32Array(0);
    drawSamples(ctx, none, none, 0, 0, palette);
    const { coordinate, value } = wanted.current;
    const r = resultRef.current;
    // The data, faint; the observed line; the data in the band, then the pinned samples.
    const dots = (points: Float32Array, colour: string, alpha: number, dot: number) => {
      ctx.fillStyle = colour;
      ctx.globalAlpha = alpha;
      for (let i = 0; i + 1 < points.length; i += 2) {
        dotInView(ctx, points[i], points[i + 1], size, dot);
      }
      ctx.globalAlpha = 1;
    };
    dots(target, palette.muted, 0.35, 2);
    const [a, b] = coordinate === 0
      ? [toPixel(value, -3, size), toPixel(value, 3, size)]
      : [toPixel(-3, value, size), toPixel(3, value, size)];
    ctx.strokeStyle = palette.accent;
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
    ctx.setLineDash([]);
    if (!r) return;
    dots(r.dataSlice, palette.ink, 0.9, 3);
    dots(r.pinned, palette.accent, 0.6, 3);
  };

  const latest = useLatest<Settings>((s) => {
    if (!model.ready) return false;
    return model.source.ask<InpaintResult>({ kind: "inpaint", request: { ...s, n: SAMPLES } })
      .then((answer) => {
        resultRef.current = answer;
        setResult(answer);
        redraw();
      });
  }, same);

  useEffect(redraw, [model.own.hydrated]);
  // A new model: sample again from it.
  useEffect(() => {
    resultRef.current = undefined;
    setResult(undefined);
    redraw();
    if (model.ready) latest.want(wanted.current, true);
  }, [model.version]);

  const change = (patch: Partial<Settings>) => {
    wanted.current = { ...wanted.current, ...patch };
    setSettings(wanted.current);
    resultRef.current = undefined;
    redraw();
    latest.want(wanted.current);
  };

  const { ready } = model;
  const observed = NAMES[settings.coordinate];
  const freeName = NAMES[1 - settings.coordinate];
  return (
    <div class="demo-island trajectories pinned-inpainting" {...samplingRootData(model, latest)}>
      <p class="demo-caption">
        Inpainting with an observed coordinate, by the replacement method: choose which coordinate
        is observed and its value, and every reverse step draws that coordinate from q(x
        <sub>t−1</sub>{" "}
        | x<sub>0</sub>) and the other from the model. The samples (orange) sit exactly on the
        dashed line; the dark points are the data within ±0.1 of it, the conditional the samples
        should match. <strong>New noise</strong> draws again.
      </p>
      <SamplingBar model={model} />
      <figure class="tj-panel">
        <canvas
          ref={canvas}
          width={320}
          height={320}
          role="img"
          aria-label={`Samples with ${observed} observed at ${
            formatSigned(settings.value, 1)
          }, over the data`}
          data-testid="canvas-pinned"
        />
        <figcaption>
          {freeName} along the line, 1-D MMD² to the data in the band: replacement{" "}
          <output data-testid="pinned-mmd2" data-value={result?.pinnedMmd2}>
            {result ? formatMmd2(result.pinnedMmd2) : "–"}
          </output>{" "}
          · the model’s own samples in the band{" "}
          <output data-testid="model-mmd2" data-value={result?.modelMmd2}>
            {result ? formatMmd2(result.modelMmd2) : "–"}
          </output>{" "}
          <span class="demo-muted">
            ({result
              ? `${result.modelSlice.length / 2} of 2,000 model samples, ${
                result.dataSlice.length / 2
              } data points in the band`
              : "once there is a model"})
          </span>
        </figcaption>
      </figure>
      <div class="controls tj-controls" role="group" aria-label="Observed coordinate">
        <Choice
          label="Observed "
          testid="coordinate"
          value={settings.coordinate}
          options={[[0, NAMES[0]], [1, NAMES[1]]] as const}
          onValue={(coordinate) =>
            change({ coordinate })}
        />
        <label>
          value <output data-testid="value">{formatSigned(settings.value, 1)}</output>
          <input
            type="range"
            min={-2}
            max={2}
            step={0.1}
            value={settings.value}
            aria-valuetext={formatSigned(settings.value, 1)}
            onInput={(e) =>
              change({ value: Number((e.target as HTMLInputElement).value) })}
            data-testid="value-slider"
          />
        </label>
        <NewNoiseButton ready={ready} onClick={() => change({ seed: wanted.current.seed + 1 })} />
      </div>
      {latest.error && <p class="demo-message demo-error" role="alert">{latest.error}</p>}
    </div>
  );
}
