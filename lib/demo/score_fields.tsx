/**
 * The Train demo's score fields for mixture data: the learned -eps_theta / sqrt(1 - alphaBar_t)
 * beside the exact grad log q(x_t), with a slider for t. The exact field is drawn from the start
 * (it is computed here, from `engine/`); the learned one once the model reports it.
 *
 * @module
 */
import { useEffect, useRef } from "preact/hooks";
import type { Mixture } from "../../engine/mixture.ts";
import type { TrainConfig } from "./config.ts";
import { drawField, paletteOf } from "./draw.ts";
import { FIELD_SIDE } from "./field.ts";
import type { TrainView } from "./runs/train_types.ts";
import { exactScoreField, scheduleOf } from "./target_data.ts";

/** Props of {@link ScoreFields}. */
export interface ScoreFieldsProps {
  config: TrainConfig;
  /** The data's mixture (undefined: nothing to draw yet, e.g. no points drawn). */
  mixture?: Mixture;
  /** The model's latest field (undefined before it reports one). */
  view?: Extract<TrainView, { kind: "field" }>;
  t: number;
  onT(t: number): void;
}

/** The slider and the two fields. */
export function ScoreFields({ config, mixture, view, t, onT }: ScoreFieldsProps) {
  const learned = useRef<HTMLCanvasElement>(null);
  const exact = useRef<HTMLCanvasElement>(null);
  const shownT = Math.min(t, config.T);
  useEffect(() => {
    const vectors = [
      view?.learned,
      view?.exact ?? (mixture && exactScoreField(mixture, scheduleOf(config), shownT)),
    ];
    [learned.current, exact.current].forEach((c, i) => {
      const ctx = c?.getContext("2d");
      if (!c || !ctx) return;
      const palette = paletteOf(c);
      if (!vectors[i]) return ctx.clearRect(0, 0, c.width, c.height);
      drawField(
        ctx,
        vectors[i]!,
        view?.side ?? FIELD_SIDE,
        i ? palette.ink : palette.accent,
        palette,
      );
    });
  }, [view, mixture, shownT, config.T, config.schedule]);
  return (
    <div class="ts-fields" data-testid="fields">
      <label>
        Score field at t = <output>{shownT}</output>
        <input
          type="range"
          min={1}
          max={config.T}
          step={1}
          value={shownT}
          onInput={(e) => onT(Number((e.target as HTMLInputElement).value))}
          data-testid="field-t"
        />
      </label>
      {[
        [
          learned,
          "Learned score field: minus epsilon theta over the square root of 1 minus alpha bar t",
        ],
        [exact, "Exact score field: the gradient of log q of x t"],
      ].map(([ref, label], i) => (
        <figure key={i}>
          <canvas
            ref={ref as typeof learned}
            width={220}
            height={220}
            role="img"
            aria-label={label as string}
          />
          <figcaption>
            {i === 0
              ? (
                <>
                  learned −ε<sub>θ</sub>/√(1−ᾱ<sub>t</sub>){!view && " (once training starts)"}
                </>
              )
              : (
                <>
                  exact ∇ log q(x<sub>t</sub>)
                </>
              )}
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
