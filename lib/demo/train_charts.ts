/**
 * The loss and MMD^2 charts of the Train demo: created when the page is idle (uPlot's chunk loads
 * then), fed with every step's loss and every score, redrawn at most four times a second, and
 * cleared when a new model starts.
 *
 * @module
 */
import { useEffect, useRef } from "preact/hooks";
import type { RefObject } from "preact";
import { createLineChart, type LineChart } from "./charts.ts";
import { MMD2_THRESHOLD } from "./config.ts";
import { smooth } from "./draw.ts";
import { formatPowerOfTen } from "./format.ts";

/** What {@link useTrainCharts} gives the island. */
export interface TrainCharts {
  /** Adds a loss (kept only when `step` moved on). */
  loss(step: number, value: number): void;
  /** Adds a score (kept only when `step` moved on). */
  score(step: number, mmd2: number): void;
  /** Forgets every point (a new model). */
  clear(): void;
  /** Creates the charts now if they are not yet (e.g. when the first number arrives). */
  ensure(): void;
}

const series = () => ({ steps: [] as number[], values: [] as number[] });

/**
 * @param lossBox The loss chart's box.
 * @param mmdBox The MMD^2 chart's box.
 * @param onError Receives a message when the charts cannot be drawn.
 * @returns The feeding functions.
 */
export function useTrainCharts(
  lossBox: RefObject<HTMLDivElement>,
  mmdBox: RefObject<HTMLDivElement>,
  onError: (message: string) => void,
): TrainCharts {
  const data = useRef({ loss: series(), mmd: series() });
  const charts = useRef<{ loss?: LineChart; mmd?: LineChart; pending?: Promise<void> }>({});
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const redraw = () => {
    const { loss, mmd } = data.current;
    charts.current.loss?.setData(loss.steps, [loss.values, smooth(loss.values, 0.9)]);
    charts.current.mmd?.setData(mmd.steps, [mmd.values, mmd.steps.map(() => MMD2_THRESHOLD)]);
  };
  const schedule = () => {
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      redraw();
    }, 250);
  };
  const ensure = () => {
    const c = charts.current;
    if (c.pending || !lossBox.current || !mmdBox.current) return;
    const [lossEl, mmdEl] = [lossBox.current, mmdBox.current];
    // One chart per task, so that neither blocks the page for long.
    c.pending = (async () => {
      const common = { width: 360, height: 150, logY: true, xLabel: "step" };
      c.loss = await createLineChart(lossEl, {
        ...common,
        yLabel: "loss",
        series: [
          { label: "loss", colour: "rule", width: 1 },
          { label: "smoothed", colour: "accent" },
        ],
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
      c.mmd = await createLineChart(mmdEl, {
        ...common,
        yLabel: "MMD²",
        series: [
          { label: "MMD²", colour: "ink", points: true },
          {
            label: `good below ${formatPowerOfTen(MMD2_THRESHOLD)}`,
            colour: "accent",
            dash: [4, 4],
            width: 1,
          },
        ],
      });
      redraw();
    })().catch((error) => onError(`Cannot draw the charts: ${error}`));
  };
  const push = (s: { steps: number[]; values: number[] }, step: number, value: number) => {
    if (s.steps.length > 0 && step <= s.steps[s.steps.length - 1]) return;
    s.steps.push(step);
    s.values.push(value);
    ensure();
    schedule();
  };

  // The charts are set up when the page is idle after loading, so that building them rarely
  // competes with training for the main thread.
  useEffect(() => {
    const idle = "requestIdleCallback" in window
      ? requestIdleCallback(ensure, { timeout: 2000 })
      : setTimeout(ensure, 500);
    return () => {
      if ("cancelIdleCallback" in window) cancelIdleCallback(idle as number);
      clearTimeout(timer.current);
      charts.current.loss?.destroy();
      charts.current.mmd?.destroy();
    };
  }, []);

  return {
    loss: (step, value) => push(data.current.loss, step, value),
    score: (step, mmd2) => push(data.current.mmd, step, mmd2),
    clear() {
      data.current = { loss: series(), mmd: series() };
      redraw();
    },
    ensure,
  };
}
