/**
 * The one session inside the demo worker, independent of tfjs and of `self`: it takes the
 * protocol's commands (`ToWorker`), builds runs from a registry, trains each slot's run in chunks,
 * yields between chunks so that Pause and Reset are heard, draws pictures on the cadence of
 * `cadence.ts`, answers questions, and posts reports (`FromWorker`). Every piece of tfjs work runs
 * one at a time and through the engine's guard, so a lost WebGL context stops every run with a
 * message instead of training on meaningless numbers. Tests drive it with fake runs.
 *
 * @module
 */
import type { BackendName, BackendRequest, FromWorker, StopReason, ToWorker } from "./protocol.ts";
import * as pace from "./cadence.ts";
import { scoreDue } from "./score_cadence.ts";

/** One demo's models, behind what the session needs (a run file builds one: `runs/*.ts`). */
export interface Run<View = unknown> {
  /** Steps a run trains for (Train more adds as many again). */
  readonly budget: number;
  /** Takes `steps` optimiser steps per model; resolves with each model's mean loss. */
  train(steps: number): Promise<number[]>;
  /** The pictures at `step`: `full` adds the costly, scored ones (e.g. MMD^2). */
  render(full: boolean, step: number): Promise<View[]>;
  /** Answers a question (another view, a save, samples); rejects with a clear error. */
  ask?(question: unknown, step: number): Promise<unknown>;
  /** Lets the learning-rate schedule run to `steps` optimiser steps in all (Train more). */
  extend?(steps: number): void;
  /** Frees every tensor the run holds. */
  dispose(): void;
}

/** Builds a run from the page's parameters, or from a saved model (`model`, JSON). */
export type RunFactory = (params: unknown, init: { model?: string }) => Promise<Run>;

/** What the session needs from the tfjs side (injected, so tests need no tfjs). */
export interface Engine {
  /** Starts a backend; resolves with its name and the reason it was chosen. */
  initBackend(request: BackendRequest): Promise<{ backend: BackendName; reason: string }>;
  /** tf.memory().numTensors. */
  numTensors(): number;
  /** The runs this worker can build, by name. */
  runs: Readonly<Record<string, RunFactory>>;
  /** Runs one piece of tfjs work, turning a lost WebGL context into an error (`tf_backend.ts`). */
  guard<T>(work: () => Promise<T>): Promise<T>;
  /** `diverged` for a divergence, `lost` for a lost context, else undefined. */
  stopReasonOf(error: unknown): "diverged" | "lost" | undefined;
}

/** Overrides for tests: the cadence, the clock, and the yield between chunks. */
export interface SessionOptions {
  cadence?: Partial<pace.Cadence>;
  now?(): number;
  /** Lets queued messages through between chunks. */
  yieldToEvents?(): Promise<void>;
}

/** A slot's run and where its training stands. */
const newSlot = () => ({
  run: undefined as Run | undefined,
  /** The step the run was built at (a saved model's): its schedule covers `budget - from`. */
  from: 0,
  step: 0,
  budget: 0,
  elapsedMs: 0,
  losses: [] as number[],
  running: false,
  loop: Promise.resolve(),
  stepsPerChunk: 4,
  window: [] as [number, number][],
  clock: undefined as pace.RenderClock | undefined,
});
type Slot = ReturnType<typeof newSlot>;

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Creates a session that posts its reports with `post`.
 *
 * @param engine The tfjs side and the registry of runs.
 * @param post Sends a report to the page.
 * @param options Cadence and clock overrides.
 * @returns The session.
 * @example
 * ```ts
 * import { createSession } from "./session.ts";
 * const reports: { type: string }[] = [];
 * const run = {
 *   budget: 8, train: () => Promise.resolve([1]), render: () => Promise.resolve([]), dispose() {},
 * };
 * const session = createSession({
 *   initBackend: () => Promise.resolve({ backend: "cpu" as const, reason: "test" }),
 *   numTensors: () => 0, runs: { demo: () => Promise.resolve(run) },
 *   guard: (work) => work(), stopReasonOf: () => undefined,
 * }, (r) => reports.push(r));
 * await session.handle({
 *   type: "start", slot: "a", run: "demo", params: {}, backend: "cpu", wasmPaths: "/", pageWebgl: false,
 * });
 * await session.idle();
 * if (reports.at(-1)?.type !== "stopped") throw new Error("a run stops at its budget");
 * ```
 */
export function createSession(
  engine: Engine,
  post: (report: FromWorker) => void,
  options: SessionOptions = {},
) {
  const cadence: pace.Cadence = { ...pace.CADENCE, ...options.cadence };
  const now = options.now ?? (() => performance.now());
  const yieldToEvents = options.yieldToEvents ??
    (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const slots = new Map<string, Slot>();
  let backendReady: Promise<unknown> | undefined;
  // Every piece of tfjs work, one at a time and guarded: a question never interleaves with a step.
  let lock: Promise<unknown> = Promise.resolve();
  const tfWork = <T>(work: () => Promise<T>): Promise<T> => {
    const next = lock.then(() => engine.guard(work));
    lock = next.catch(() => {});
    return next;
  };

  const slotOf = (name: string) => {
    let slot = slots.get(name);
    if (!slot) slots.set(name, slot = newSlot());
    return slot;
  };
  const progressOf = (slot: Slot) => ({
    step: slot.step,
    budget: slot.budget,
    losses: slot.losses,
    stepsPerSecond: slot.running ? pace.stepsPerSecond(cadence, slot.window) : 0,
    elapsedMs: slot.elapsedMs,
    numTensors: engine.numTensors(),
  });
  const stopped = (name: string, reason: StopReason, message: string, views: unknown[] = []) =>
    post({ type: "stopped", slot: name, reason, message, views, ...progressOf(slotOf(name)) });
  const fail = (slot: string, message: string, id?: number) =>
    post({ type: "error", slot, message, ...(id === undefined ? {} : { id }) });

  /** Draws the slot's pictures and keeps the cadence's clock. */
  const render = async (slot: Slot, full: boolean): Promise<unknown[]> => {
    const run = slot.run;
    if (!run) return [];
    const t0 = now();
    const views = await tfWork(() => run.render(full, slot.step));
    const ms = now() - t0;
    slot.elapsedMs += slot.running ? ms : 0;
    pace.noteDrawing(slot.clock ??= pace.freshClock(t0), views, full, now(), ms);
    return views;
  };

  const dispose = (slot: Slot) => {
    slot.run?.dispose();
    Object.assign(slot, { ...newSlot(), loop: slot.loop });
  };

  /**
   * Stops the slot for `error`, a divergence (the model stays, for the reader to see) or a failure
   * (the model goes). A lost WebGL context takes every run's tensors with it: it stops and frees
   * every slot's run.
   */
  const stopFor = (name: string, error: unknown): void => {
    const reason = engine.stopReasonOf(error) ?? "error";
    const message = reason === "diverged"
      ? `Training stopped: ${errorText(error)}`
      : reason === "lost"
      ? errorText(error)
      : `Cannot train as the engine failed: ${errorText(error)}`;
    for (const [other, slot] of slots) {
      if (other !== name && (reason !== "lost" || !slot.run)) continue;
      slot.running = false;
      stopped(other, reason, message);
      if (reason !== "diverged") dispose(slot);
    }
  };

  /** Draws the scored pictures at the slot's step and reports why it stopped. */
  const stopScored = async (name: string, slot: Slot, reason: StopReason, message: string) => {
    const run = slot.run;
    try {
      stopped(name, reason, message, await render(slot, true));
    } catch (error) {
      if (slot.run === run) stopFor(name, error); // else freed while the picture waited its turn
    }
  };

  /** Trains the slot's run from its step until paused, freed or at its budget. */
  const trainLoop = async (name: string, slot: Slot, run: Run) => {
    slot.running = true;
    slot.window = [];
    slot.clock ??= pace.freshClock(now());
    try {
      while (slot.running && slot.run === run && slot.step < slot.budget) {
        const steps = Math.min(slot.stepsPerChunk, slot.budget - slot.step);
        const t0 = now();
        slot.losses = await tfWork(() => run.train(steps));
        const ms = now() - t0;
        slot.step += steps;
        slot.elapsedMs += ms;
        slot.stepsPerChunk = pace.chunkSteps(cadence, ms / steps);
        slot.window.push([ms, steps]);
        const due = slot.step < slot.budget
          ? scoreDue({ ...slot.clock, now: now(), threshold: cadence.threshold }, cadence)
          : "none";
        const views = due === "none" ? [] : await render(slot, due === "full");
        post({ type: "progress", slot: name, views, ...progressOf(slot) });
        await yieldToEvents();
      }
    } catch (error) {
      // A run freed while this chunk waited its turn (a lost context seen by a question) is over.
      if (slot.run === run) stopFor(name, error);
      return;
    }
    if (slot.run !== run) return; // reset (or lost) while training
    slot.running = false;
    if (slot.step < slot.budget) return stopScored(name, slot, "paused", "Paused.");
    return stopScored(name, slot, "budget", `Trained ${slot.budget} steps.`);
  };
  const stopLoop = async (slot: Slot) => {
    slot.running = false;
    await slot.loop;
  };

  /**
   * Starts the backend once (again after a failure); false when it cannot start. A warm start
   * (no slot) fails quietly: the start that follows tries again and reports.
   */
  const backendUp = async (request: BackendRequest, name?: string): Promise<boolean> => {
    backendReady ??= engine.initBackend(request).then(({ backend, reason }) =>
      post({ type: "backend", backend, reason, baselineTensors: engine.numTensors() })
    );
    try {
      await backendReady;
      return true;
    } catch (error) {
      backendReady = undefined;
      if (name !== undefined) fail(name, `Cannot start a tfjs backend: ${errorText(error)}`);
      return false;
    }
  };

  const process = async (message: ToWorker): Promise<void> => {
    if (message.type === "warm") return void await backendUp(message);
    const name = message.slot;
    const slot = slotOf(name);
    switch (message.type) {
      case "start": {
        await stopLoop(slot);
        const factory = engine.runs[message.run];
        const known = `this worker knows only: ${Object.keys(engine.runs).join(", ")}`;
        if (!factory) return fail(name, `Cannot start run "${message.run}" as ${known}`);
        if (!(await backendUp(message, name))) return;
        dispose(slot);
        const { model, step = 0 } = message;
        try {
          slot.run = await tfWork(() => factory(message.params, { model }));
        } catch (error) {
          if (engine.stopReasonOf(error) === "lost") return stopFor(name, error);
          return fail(name, `Cannot ${model ? "load" : "build"} the model: ${errorText(error)}`);
        }
        Object.assign(slot, { from: step, step, budget: Math.max(slot.run.budget, step) });
        if (model === undefined) return void (slot.loop = trainLoop(name, slot, slot.run));
        const next = step < slot.budget
          ? `press Train to go on to step ${slot.budget}`
          : "press Train more to train it further";
        return stopScored(name, slot, "loaded", `Loaded a model saved at step ${step}; ${next}.`);
      }
      case "pause":
        return stopLoop(slot);
      case "resume": {
        const run = slot.run;
        if (!run || slot.running) return;
        if (slot.step >= slot.budget) {
          if (!message.more) return;
          slot.budget += run.budget;
          if (slot.budget - slot.from > run.budget) run.extend?.(slot.budget - slot.from);
        }
        return void (slot.loop = trainLoop(name, slot, run));
      }
      case "ask": {
        const run = slot.run;
        if (!run?.ask) {
          return fail(
            name,
            "Cannot answer as there is no model yet: press Train first",
            message.id,
          );
        }
        try {
          const answer = await tfWork(() => run.ask!(message.question, slot.step));
          post({ type: "answer", slot: name, id: message.id, answer });
        } catch (error) {
          if (engine.stopReasonOf(error) === "lost") stopFor(name, error);
          else fail(name, errorText(error), message.id);
        }
        return;
      }
      case "reset":
        await stopLoop(slot);
        dispose(slot);
        return post({ type: "reset", slot: name, numTensors: engine.numTensors() });
    }
  };

  let queue: Promise<void> = Promise.resolve();
  return {
    // Commands run one after another, in the order they came; a Pause also acts at once, so that
    // it is heard while a chunk runs and stops the loop a queued Train is about to start.
    /** Handles one command (in order); resolves when its immediate effect is done. */
    handle(message: ToWorker): Promise<void> {
      if (message.type === "pause") slotOf(message.slot).running = false;
      queue = queue.catch(() => {}).then(() => process(message));
      return queue;
    },
    /** Resolves when every slot's training has stopped. */
    async idle(): Promise<void> {
      await queue;
      await Promise.all([...slots.values()].map((s) => s.loop));
    },
  };
}
