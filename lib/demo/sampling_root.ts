/**
 * The data attributes on a sampling island's root (the tests and the page's styles read them):
 * hydrated, the phase of the model it samples from, and whether a question is in flight.
 *
 * @module
 */
import type { SamplingModel } from "./sampling_model.tsx";
import type { Latest } from "./use_latest.ts";

/**
 * The root's data attributes for a sampling island.
 *
 * @param model The model the island samples from.
 * @param latest The island's question queue.
 * @returns Attributes to spread on the root element.
 * @example
 * ```ts
 * import { samplingRootData } from "./sampling_root.ts";
 * const state = { status: "done" } as never;
 * const model = { own: { hydrated: true }, source: { state }, ready: true } as never;
 * const attrs = samplingRootData(model, { busy: false, draws: 2 } as never);
 * if (attrs["data-phase"] !== "ready" || attrs["data-draws"] !== 2) throw new Error();
 * ```
 */
export function samplingRootData(model: SamplingModel, latest: Latest<never>) {
  return {
    "data-hydrated": model.own.hydrated ? "true" : undefined,
    "data-phase": model.ready ? "ready" : model.source.state.status,
    "data-status": model.source.state.status,
    "data-busy": latest.busy ? "true" : undefined,
    "data-draws": latest.draws,
  };
}
