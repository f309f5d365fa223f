/**
 * The islands registry the test chapters use.
 *
 * @module
 */
import type { IslandSpec } from "../types.ts";

/** `Demo` is ready and has one prop of each type; `Planned` is planned and has none. */
export const islands: Record<string, IslandSpec> = {
  Demo: {
    name: "Demo",
    status: "ready",
    props: {
      steps: { type: "number", integer: true, min: 1, max: 1000, default: 10 },
      dataset: { type: "string", enum: ["swissroll", "ring"], required: true },
      paused: { type: "boolean", default: false },
    },
  },
  Planned: { name: "Planned", status: "planned", props: {} },
};
