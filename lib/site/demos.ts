/**
 * The registry of demos a chapter may embed with `::island{name="..."}`: each demo's props and
 * whether it is built yet. The chapter pipeline validates directives against it; a planned demo
 * renders a "demo coming" note in its place.
 *
 * @module
 */
import type { IslandSpec } from "../book/mod.ts";

const dataset = {
  type: "string",
  enum: ["swissroll", "moons", "ring", "mixture"],
} as const;
const schedule = { type: "string", enum: ["linear", "cosine"] } as const;

/**
 * A demo's spec. `needsWorker` demos get a worker's module URL as a `workerUrl` prop: the bundle
 * entry named by `worker` (a key of `BUNDLE_ENTRIES` in lib/site/assets.ts), else `train-worker`,
 * the one demo worker every training island shares (`lib/demo/worker.ts`).
 */
export type DemoSpec = IslandSpec & { needsWorker?: boolean; worker?: string };

/** Every demo the book knows, by island name. `status: "ready"` means `islands/NAME.tsx` exists. */
export const demos: Record<string, DemoSpec> = {
  ForwardChain: {
    name: "ForwardChain",
    status: "ready",
    props: {
      dataset: { ...dataset, default: "swissroll" },
      schedule: { ...schedule, default: "linear" },
    },
  },
  PosteriorExplorer: {
    name: "PosteriorExplorer",
    status: "ready",
    props: { schedule: { ...schedule, default: "linear" } },
  },
  LangevinSampler: {
    name: "LangevinSampler",
    status: "ready",
    props: {
      // the starting step size; the island offers 0.002, 0.005, 0.01, 0.02, 0.04, 0.06 and 0.08
      delta: { type: "number", min: 0.002, max: 0.08, default: 0.01 },
    },
  },
  TrainAndSample: {
    name: "TrainAndSample",
    status: "ready",
    needsWorker: true,
    props: {
      dataset: { ...dataset, default: "swissroll" },
      schedule: { ...schedule, default: "linear" },
    },
  },
  ReverseTrajectories: {
    name: "ReverseTrajectories",
    status: "ready",
    needsWorker: true,
    props: { dataset: { ...dataset, default: "swissroll" }, schedule },
  },
  BinaryHeartbeat: {
    name: "BinaryHeartbeat",
    status: "ready",
    props: {
      schedule: {
        type: "string",
        enum: ["sohl-dickstein", "linear", "cosine"],
        default: "sohl-dickstein",
      },
    },
  },
  MultiplyDistributions: {
    name: "MultiplyDistributions",
    status: "ready",
    needsWorker: true,
    props: { dataset: { ...dataset, default: "swissroll" }, schedule },
  },
  PinnedInpainting: {
    name: "PinnedInpainting",
    status: "ready",
    needsWorker: true,
    props: { dataset: { ...dataset, default: "swissroll" }, schedule },
  },
  FlowSamplers: {
    name: "FlowSamplers",
    status: "ready",
    needsWorker: true,
    props: { dataset: { ...dataset, default: "swissroll" }, schedule },
  },
  ElboTerms: {
    name: "ElboTerms",
    status: "ready",
    needsWorker: true,
    props: {
      dataset: { ...dataset, default: "mixture" },
      schedule: { ...schedule, default: "linear" },
    },
  },
  Parameterisations: {
    name: "Parameterisations",
    status: "ready",
    needsWorker: true,
    props: {},
  },
  Guidance: {
    name: "Guidance",
    status: "ready",
    needsWorker: true,
    props: {},
  },
  // Site tools rather than demos (S2): ChapterView places them; a chapter may embed them too.
  CheckOnDevice: {
    name: "CheckOnDevice",
    status: "ready",
    needsWorker: true,
    worker: "equation-checks-worker",
    props: { chapter: { type: "string", required: true } },
  },
  Search: { name: "Search", status: "ready", props: {} },
};

/** One-line descriptions shown in a planned demo's placeholder. */
export const demoBlurbs: Record<string, string> = {
  ForwardChain: "a 2-D data set diffusing forward under the schedule you choose",
  PosteriorExplorer:
    "the exact reverse step q(x_{t-1} | x_t) of a 1-D mixture next to its Gaussian fit",
  TrainAndSample: "train a small diffusion model in your browser and watch samples emerge",
  ReverseTrajectories: "sample paths from noise to data, DDPM and DDIM side by side",
  BinaryHeartbeat: "the binomial diffusion kernel on binary sequences, forward and reverse",
  MultiplyDistributions: "inpainting by multiplying the model with a region you paint",
  PinnedInpainting: "inpainting with an observed coordinate pinned by the replacement method",
  FlowSamplers: "the reverse SDE and the probability-flow ODE from the same noise, side by side",
  ElboTerms: "the ELBO’s terms during training, under the exact log-likelihood",
  Parameterisations: "eps-, x0- and score-prediction trained side by side, and Tweedie’s denoiser",
  Guidance: "classifier and classifier-free guidance on a labelled mixture",
  LangevinSampler:
    "Langevin chains on the exact score of a 1-D mixture, with their finite-step bias",
};
