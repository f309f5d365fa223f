/**
 * The one hook behind every training island: it joins the page's demo client (`client.ts`) in a
 * slot, follows the slot's state, hands the run's pictures to the island, and decides what Train
 * means: resume a paused run, train a finished one further (Train more), or start a new model when
 * the island's parameters differ from the model's. Reset is the only thing that discards a model.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type DemoClient, IDLE, pageClient, type SlotState } from "./client.ts";

/** What {@link useDemoRun} gives an island. */
export type DemoRun = ReturnType<typeof useDemoRun>;

/** Options of {@link useDemoRun}. */
export interface DemoRunOptions {
  /** The demo worker's module URL (the page passes it); without it nothing can train. */
  workerUrl?: string;
  /** Folder URL of tfjs's `.wasm` files. */
  wasmPaths?: string;
  /** The island's slot in the worker (islands that share a slot share its model). */
  slot: string;
  /** The registry name of the run (`runs/mod.ts`). */
  run: string;
  /** Receives the pictures of every report, with the slot's state. */
  onViews?(views: unknown[], state: SlotState): void;
  /** Whether two parameters give the same model (default: equal as JSON). */
  same?(a: unknown, b: unknown): boolean;
  /** Follow only changes of status, model and score (an island watching another's slot). */
  quiet?: boolean;
  /**
   * Start the worker and its tfjs backend once the page is idle after the island hydrates (islands
   * hydrate near the viewport), so that the first Train does not wait for them. Off by default:
   * it loads tfjs for readers who may never press Train.
   */
  warm?: boolean;
}

const asJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Runs an island's demo on the page's worker.
 *
 * @param options Worker, slot, run name and the pictures' receiver.
 * @returns The state and the commands.
 */
export function useDemoRun(options: DemoRunOptions) {
  const { slot, run } = options;
  const same = options.same ?? asJson;
  const [state, setState] = useState<SlotState | undefined>(undefined);
  const client = useRef<DemoClient | undefined>(undefined);
  const onViews = useRef(options.onViews);
  onViews.current = options.onViews;

  useEffect(() => {
    if (!options.workerUrl) {
      const message = "Training is unavailable here: the page did not provide the worker.";
      return setState({ ...IDLE, message });
    }
    const joined = client.current = pageClient(options.workerUrl, options.wasmPaths);
    let last: SlotState | undefined;
    const leave = joined.subscribe(slot, (s, views) => {
      const same = last && last.status === s.status && last.params === s.params &&
        last.score === s.score && last.message === s.message;
      if (options.quiet && same) return;
      last = s;
      setState(s);
      if (views.length > 0) onViews.current?.(views, s);
    });
    const idle = globalThis.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
    const cancel = globalThis.cancelIdleCallback ?? clearTimeout;
    const warming = options.warm ? idle(() => joined.warm(), { timeout: 3000 }) : 0;
    return () => {
      cancel(warming);
      leave(); // the slot's last island frees its model
      client.current = undefined;
    };
  }, [options.workerUrl, slot]);

  const s = state ?? IDLE;
  return {
    state: s,
    /** True once the island has hydrated (tests and the page wait for it). */
    hydrated: state !== undefined,
    /** Whether the page gave a worker (else nothing can train). */
    available: !!options.workerUrl,
    /** Training, or about to. */
    running: s.status === "training" || s.status === "starting",
    /** A model exists (paused, done or loaded). */
    hasModel: s.params !== undefined && (s.status === "paused" || s.status === "done"),
    /** Whether `params` need a new model (they differ from the current model's). */
    changed: (params: unknown) =>
      s.params !== undefined && (s.run !== run || !same(s.params, params)),
    /** Resumes, trains further, or starts a new model for `params`; says which. */
    train(params: unknown): "resumed" | "started" | "unavailable" {
      const c = client.current;
      if (!c) return "unavailable";
      const now = c.state(slot);
      if (now.params !== undefined && now.run === run && same(now.params, params)) {
        if (now.status === "paused") return c.resume(slot), "resumed";
        if (now.status === "done") return c.resume(slot, true), "resumed";
      }
      c.start(slot, run, params);
      return "started";
    },
    /** Rebuilds a saved model (`model`, JSON) trained `step` steps with `params`. */
    load(params: unknown, model: string, step: number) {
      client.current?.start(slot, run, params, { model, step });
    },
    pause: () => client.current?.pause(slot),
    /** Discards the model (the worker answers with the freed tensor count). */
    reset: () => client.current?.reset(slot),
    /** Asks the run a question. */
    ask: <A>(question: unknown): Promise<A> =>
      client.current?.ask<A>(slot, question) ??
        Promise.reject(new Error("Cannot answer as the page did not provide the worker")),
  };
}
